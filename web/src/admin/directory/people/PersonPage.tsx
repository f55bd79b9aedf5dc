import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { useSession } from '../../../session/session-context';
import type { Contact, Person } from '../directory-types';
import { affiliationLabel, personSourceLabel, when } from '../labels';
import { Loaded, usePageTitle } from '../ui';
import { AddContactForm } from './AddContactForm';
import { ContactsTable } from './ContactsTable';
import { PersonActions } from './PersonActions';

interface PersonWithContacts {
  person: Person;
  contacts: Contact[];
}

/** One person: details and contacts (the server audits this read); changes with directory.manage. */
export function PersonPage() {
  return (
    <RequirePermission permission="directory.read">
      <PersonLoader />
    </RequirePermission>
  );
}

function PersonLoader() {
  const { id } = useParams();
  const state = useApi<PersonWithContacts>(`/api/v1/people/${id}`);
  return (
    <section className="dir">
      <p>
        <Link to="/console/people">← People</Link>
      </p>
      <Loaded state={state} what="this person">
        {(data) => <PersonView key={data.person.id} initial={data} />}
      </Loaded>
    </section>
  );
}

// Changes update this copy from their answers instead of reloading: every reload is an audited read.
function PersonView({ initial }: { initial: PersonWithContacts }) {
  const { can } = useSession();
  const [person, setPerson] = useState(initial.person);
  const [contacts, setContacts] = useState(initial.contacts);
  useEffect(() => setPerson(initial.person), [initial.person]);
  usePageTitle(person.displayName);
  const manage = can('directory.manage');
  const replace = (c: Contact) => setContacts((all) => all.map((x) => (x.id === c.id ? c : x)));
  return (
    <>
      <h1>{person.displayName}</h1>
      <dl className="details">
        <dt>Status</dt>
        <dd>
          {person.status === 'active'
            ? 'Active'
            : `Inactive since ${when(person.deactivatedAt)}: receives no alerts`}
        </dd>
        <dt>Institutional id</dt>
        <dd>{person.institutionalId ?? '—'}</dd>
        <dt>Affiliation</dt>
        <dd>{affiliationLabel[person.affiliation]}</dd>
        <dt>Given name</dt>
        <dd>{person.givenName ?? '—'}</dd>
        <dt>Family name</dt>
        <dd>{person.familyName ?? '—'}</dd>
        <dt>Department</dt>
        <dd>{person.department ?? '—'}</dd>
        <dt>Home building</dt>
        <dd>{person.homeBuilding ?? '—'}</dd>
        <dt>Residence hall</dt>
        <dd>{person.residenceHall ?? '—'}</dd>
        <dt>Language</dt>
        <dd>{person.preferredLanguage}</dd>
        <dt>Source</dt>
        <dd>{personSourceLabel[person.source] ?? person.source}</dd>
        <dt>Last changed</dt>
        <dd>{when(person.updatedAt)}</dd>
      </dl>
      {manage && <PersonActions person={person} onChange={setPerson} />}
      <h2>Contacts</h2>
      <ContactsTable
        person={person}
        contacts={contacts}
        manage={manage}
        onChange={replace}
        onReload={setContacts}
      />
      {manage && (
        <AddContactForm
          personId={person.id}
          onAdded={(c) =>
            setContacts((all) => [
              ...all.map((x) => (c.primary && x.channel === c.channel ? { ...x, primary: false } : x)),
              c,
            ])
          }
        />
      )}
    </>
  );
}
