import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client';
import { channelList, type Channel, type Contact } from '../directory-types';
import { channelLabel } from '../labels';
import { ErrorNote, Notice } from '../ui';
import { useAction } from '../use-action';

/** Add an email address or a phone number (SMS or voice); the server stores phones in E.164. */
export function AddContactForm({ personId, onAdded }: { personId: string; onAdded: (c: Contact) => void }) {
  const action = useAction();
  const [channel, setChannel] = useState<Channel>('email');
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const address = String(data.get('address') ?? '').trim();
    const ok = await action.run(async () => {
      const added = await api<Contact>(`/api/v1/people/${personId}/contacts`, {
        body: { channel, address, primary: data.get('primary') === 'on' },
      });
      onAdded(added);
    }, `${address} is added.`);
    if (ok) form.reset();
  };
  return (
    <form onSubmit={submit} className="panel" aria-labelledby="add-contact">
      <h2 id="add-contact">Add a contact</h2>
      <label htmlFor="contact-channel">Channel</label>
      <select id="contact-channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
        {channelList.map((c) => (
          <option key={c} value={c}>
            {channelLabel[c]}
          </option>
        ))}
      </select>
      <label htmlFor="contact-address">{channel === 'email' ? 'Email address' : 'Phone number'}</label>
      <input
        id="contact-address"
        name="address"
        type={channel === 'email' ? 'email' : 'tel'}
        autoComplete="off"
        required
        minLength={3}
        maxLength={320}
        aria-describedby="contact-address-hint"
      />
      <p className="hint" id="contact-address-hint">
        {channel === 'email'
          ? 'For example name@example.edu.'
          : 'With the country code, or a number in the default region (617-555-0142).'}
      </p>
      <label className="check">
        <input type="checkbox" name="primary" />
        Make it the primary {channelLabel[channel]} contact
      </label>
      <button type="submit" className="primary" disabled={action.pending}>
        Add contact
      </button>
      <Notice message={action.notice} />
      <ErrorNote message={action.error} />
    </form>
  );
}
