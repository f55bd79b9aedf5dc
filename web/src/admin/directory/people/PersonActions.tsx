import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client';
import { affiliationList, type Person } from '../directory-types';
import { affiliationLabel, feedSources, personSourceLabel } from '../labels';
import { ErrorNote, Notice } from '../ui';
import { useAction } from '../use-action';

type Field =
  | 'displayName'
  | 'givenName'
  | 'familyName'
  | 'institutionalId'
  | 'department'
  | 'homeBuilding'
  | 'residenceHall'
  | 'preferredLanguage';

const textFields: Array<{ name: Field; label: string; hint?: string }> = [
  { name: 'displayName', label: 'Display name' },
  { name: 'givenName', label: 'Given name' },
  { name: 'familyName', label: 'Family name' },
  { name: 'institutionalId', label: 'Institutional id', hint: 'Letters, digits and . _ @ -' },
  { name: 'department', label: 'Department' },
  { name: 'homeBuilding', label: 'Home building code', hint: 'A building code such as W20' },
  { name: 'residenceHall', label: 'Residence hall code', hint: 'A residence hall code such as W7' },
  { name: 'preferredLanguage', label: 'Preferred language', hint: 'A language code such as en or es' },
];

/** Edit a person's fields, deactivate or reactivate them (directory.manage). */
export function PersonActions({ person, onChange }: { person: Person; onChange: (p: Person) => void }) {
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const changes: Record<string, string | null> = {};
    for (const { name } of textFields) {
      const value = String(data.get(name) ?? '').trim();
      if (value !== (person[name] ?? ''))
        changes[name] = value === '' && name !== 'displayName' ? null : value;
    }
    const affiliation = String(data.get('affiliation'));
    if (affiliation !== person.affiliation) changes.affiliation = affiliation;
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      return;
    }
    const ok = await action.run(
      async () =>
        onChange(await api<Person>(`/api/v1/people/${person.id}`, { method: 'PATCH', body: changes })),
      'Saved.',
    );
    if (ok) setEditing(false);
  };
  const setActive = async (active: boolean) => {
    const verb = active ? 'reactivate' : 'deactivate';
    const ok = await action.run(
      async () => onChange(await api<Person>(`/api/v1/people/${person.id}/${verb}`, { body: {} })),
      active
        ? 'Reactivated: alerts reach this person again.'
        : 'Deactivated: this person receives no alerts.',
    );
    if (ok) setConfirming(false);
  };

  return (
    <div>
      {feedSources.has(person.source) && (
        <p className="hint">
          This record comes from the {personSourceLabel[person.source]}: the next sync replaces the fields the
          feed provides.
        </p>
      )}
      {!editing && !confirming && (
        <div className="actions">
          <button type="button" onClick={() => (action.clear(), setEditing(true))}>
            Edit details
          </button>
          {person.status === 'active' ? (
            <button type="button" onClick={() => (action.clear(), setConfirming(true))}>
              Deactivate…
            </button>
          ) : (
            <button type="button" disabled={action.pending} onClick={() => void setActive(true)}>
              Reactivate
            </button>
          )}
        </div>
      )}
      {confirming && (
        <div className="panel warning">
          <p>Deactivate {person.displayName}? They receive no alerts until reactivated.</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={action.pending}
              onClick={() => void setActive(false)}
            >
              Deactivate {person.displayName}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {editing && (
        <form className="panel" onSubmit={save} aria-labelledby="edit-person">
          <h2 id="edit-person">Edit details</h2>
          <label htmlFor="person-affiliation">Affiliation</label>
          <select id="person-affiliation" name="affiliation" defaultValue={person.affiliation}>
            {affiliationList.map((a) => (
              <option key={a} value={a}>
                {affiliationLabel[a]}
              </option>
            ))}
          </select>
          {textFields.map((f) => (
            <div key={f.name}>
              <label htmlFor={`person-${f.name}`}>{f.label}</label>
              <input
                id={`person-${f.name}`}
                name={f.name}
                defaultValue={person[f.name] ?? ''}
                required={f.name === 'displayName' || f.name === 'preferredLanguage'}
                aria-describedby={f.hint ? `person-${f.name}-hint` : undefined}
              />
              {f.hint && (
                <p className="hint" id={`person-${f.name}-hint`}>
                  {f.hint}
                </p>
              )}
            </div>
          ))}
          <div className="actions">
            <button type="submit" className="primary" disabled={action.pending}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <Notice message={action.notice} />
      <ErrorNote message={action.error} />
    </div>
  );
}
