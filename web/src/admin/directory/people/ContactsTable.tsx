import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client';
import type { Contact, Person } from '../directory-types';
import { channelLabel, contactSourceLabel, optOutReasonLabel, when } from '../labels';
import { DataTable, Empty, ErrorNote, Notice } from '../ui';
import { useAction } from '../use-action';
import { optInRefusal, removalRefusal } from './contact-rules';

interface Props {
  person: Person;
  contacts: Contact[];
  manage: boolean;
  onChange: (contact: Contact) => void;
  onReload: (contacts: Contact[]) => void;
}

/** A person's contacts: where alerts go, from where, verified, opted out and why; changes for managers. */
export function ContactsTable({ person, contacts, manage, onChange, onReload }: Props) {
  const action = useAction();
  const [open, setOpen] = useState<{ id: string; verb: 'opt-out' | 'opt-in' | 'remove' } | null>(null);
  if (contacts.length === 0)
    return <Empty>No contacts: alerts cannot reach this person until one is added.</Empty>;
  const base = `/api/v1/people/${person.id}/contacts`;

  const optChange = (c: Contact, verb: 'opt-out' | 'opt-in') => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    const done = verb === 'opt-out' ? `${c.address} is opted out.` : `${c.address} is opted back in.`;
    const ok = await action.run(async () => {
      if (!reason) throw new Error('Give a reason: it is kept with the change.');
      onChange(await api<Contact>(`${base}/${c.id}/${verb}`, { body: { reason } }));
    }, done);
    if (ok) setOpen(null);
  };
  const remove = async (c: Contact) => {
    const ok = await action.run(async () => {
      await api(`${base}/${c.id}`, { method: 'DELETE' });
      // Removing a primary hands primary to another contact: read the list again.
      onReload((await api<{ contacts: Contact[] }>(`/api/v1/people/${person.id}`)).contacts);
    }, `${c.address} is removed.`);
    if (ok) setOpen(null);
  };

  return (
    <>
      <Notice message={action.notice} />
      <ErrorNote message={action.error} />
      <DataTable
        label="Contacts"
        className="stack"
        headings={['Channel', 'Address', 'Source', 'Verified', 'Alerts', manage && 'Change']}
      >
        {contacts.map((c) => (
          <tr key={c.id}>
            <td data-label="Channel">
              {channelLabel[c.channel]}
              {c.primary && <span className="why">primary</span>}
            </td>
            <td data-label="Address">
              <code>{c.address}</code>
            </td>
            <td data-label="Source">{contactSourceLabel[c.source]}</td>
            <td data-label="Verified">{c.verifiedAt ? when(c.verifiedAt) : 'No'}</td>
            <td data-label="Alerts">
              {c.optedOutAt ? (
                <>
                  <span className="badge off">Opted out</span> {when(c.optedOutAt)}
                  <span className="why">
                    Reason: {optOutReasonLabel[c.optOutReason ?? ''] ?? c.optOutReason ?? 'none recorded'}
                  </span>
                </>
              ) : (
                <span className="badge ok">Receives alerts</span>
              )}
            </td>
            {manage && (
              <td>
                <ContactChanges
                  contact={c}
                  person={person}
                  open={open?.id === c.id ? open.verb : null}
                  setOpen={(verb) => {
                    action.clear();
                    setOpen(verb ? { id: c.id, verb } : null);
                  }}
                  pending={action.pending}
                  onOpt={optChange}
                  onRemove={remove}
                />
              </td>
            )}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

function ContactChanges({
  contact: c,
  person,
  open,
  setOpen,
  pending,
  onOpt,
  onRemove,
}: {
  contact: Contact;
  person: Person;
  open: 'opt-out' | 'opt-in' | 'remove' | null;
  setOpen: (verb: 'opt-out' | 'opt-in' | 'remove' | null) => void;
  pending: boolean;
  onOpt: (c: Contact, verb: 'opt-out' | 'opt-in') => (event: FormEvent<HTMLFormElement>) => Promise<void>;
  onRemove: (c: Contact) => Promise<void>;
}) {
  const removal = removalRefusal(c, person);
  const optIn = optInRefusal(c);
  const verb = c.optedOutAt ? 'opt-in' : 'opt-out';
  const label = c.optedOutAt ? 'Opt in' : 'Opt out';
  if (open === 'opt-out' || open === 'opt-in')
    return (
      <form className="inline-form" onSubmit={onOpt(c, open)}>
        <label htmlFor={`reason-${c.id}`}>
          Reason for {open === 'opt-out' ? 'opting out' : 'opting back in'}
        </label>
        <input id={`reason-${c.id}`} name="reason" required maxLength={500} autoFocus />
        <div className="actions">
          <button type="submit" className="primary" disabled={pending}>
            {open === 'opt-out' ? 'Opt out' : 'Opt in'} {c.address}
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            Cancel
          </button>
        </div>
      </form>
    );
  if (open === 'remove')
    return (
      <div className="inline-form">
        <p>Remove {c.address}? Alerts stop going to it.</p>
        <div className="actions">
          <button type="button" className="danger" disabled={pending} onClick={() => void onRemove(c)}>
            Remove {c.address}
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            Cancel
          </button>
        </div>
      </div>
    );
  return (
    <div className="actions">
      {optIn ? (
        <span className="why">{optIn}</span>
      ) : (
        <button type="button" onClick={() => setOpen(verb)} aria-label={`${label} ${c.address}`}>
          {label}
        </button>
      )}
      {removal ? (
        <span className="why">Cannot be removed. {removal}</span>
      ) : (
        <button type="button" onClick={() => setOpen('remove')} aria-label={`Remove ${c.address}`}>
          Remove
        </button>
      )}
    </div>
  );
}
