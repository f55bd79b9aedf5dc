import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { useApi } from '../../../api/use-api';
import type { Group, GroupMembers as Members, PeoplePage, Person } from '../directory-types';
import { affiliationLabel } from '../labels';
import { DataTable, Empty, ErrorNote, Loaded, Notice, Pager } from '../ui';
import { useAction } from '../use-action';
import { useCursorPages } from '../use-cursor-pages';

/** The active people in a group now, a page at a time; a static group's list changes here. */
export function GroupMembers({
  group,
  manage,
  onChange,
}: {
  group: Group;
  manage: boolean;
  onChange: () => void;
}) {
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const members = useApi<Members>(
    `/api/v1/groups/${group.id}/members?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  const action = useAction();
  const changed = () => {
    members.reload();
    onChange();
  };
  const removeMember = (p: Person) =>
    action.run(async () => {
      await api(`/api/v1/groups/${group.id}/members/${p.id}`, { method: 'DELETE' });
      changed();
    }, `${p.displayName} is no longer in the group.`);
  return (
    <>
      <h2>Members</h2>
      <Notice message={action.notice} />
      <ErrorNote message={action.error} />
      <Loaded state={members} what="the members">
        {(page) =>
          page.members.length === 0 ? (
            <Empty>
              {group.kind === 'static'
                ? 'No one is in this group yet.'
                : 'No active person matches the rule now.'}
            </Empty>
          ) : (
            <>
              <DataTable
                label="Members"
                className={manage ? 'stack' : undefined}
                headings={['Name', 'Institutional id', 'Affiliation', manage && 'Change']}
              >
                {page.members.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/console/people/${p.id}`}>{p.displayName}</Link>
                    </td>
                    <td data-label="Institutional id">{p.institutionalId ?? '—'}</td>
                    <td data-label="Affiliation">{affiliationLabel[p.affiliation]}</td>
                    {manage && (
                      <td>
                        <button
                          type="button"
                          disabled={action.pending}
                          onClick={() => void removeMember(p)}
                          aria-label={`Remove ${p.displayName} from the group`}
                        >
                          Remove
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </DataTable>
              <Pager
                label="Pages of members"
                onPrevious={pages.previous}
                onNext={page.nextCursor ? () => pages.next(page.nextCursor!) : undefined}
              >
                <span>{page.total.toLocaleString()} in all</span>
              </Pager>
            </>
          )
        }
      </Loaded>
      {manage && <AddMembers group={group} onAdded={changed} />}
    </>
  );
}

function AddMembers({ group, onAdded }: { group: Group; onAdded: () => void }) {
  const [q, setQ] = useState<string | null>(null);
  const found = useApi<PeoplePage>(
    q ? `/api/v1/people?limit=10&status=active&q=${encodeURIComponent(q)}` : null,
  );
  const action = useAction();
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    setQ(text || null);
  };
  const add = (p: Person) =>
    action.run(async () => {
      const r = await api<{ added: number; alreadyMembers: number }>(`/api/v1/groups/${group.id}/members`, {
        body: { personIds: [p.id] },
      });
      if (r.alreadyMembers > 0) throw new Error(`${p.displayName} is already in the group.`);
      onAdded();
    }, `${p.displayName} is added to the group.`);
  return (
    <section className="panel" aria-labelledby="add-members">
      <h2 id="add-members">Add people</h2>
      <form role="search" aria-label="People to add" onSubmit={search}>
        <label htmlFor="add-member-q">Name, institutional id or email</label>
        <input id="add-member-q" name="q" type="search" />
        <button type="submit">Find</button>
      </form>
      <Notice message={action.notice} />
      <ErrorNote message={action.error} />
      {q && (
        <Loaded state={found} what="people">
          {(page) =>
            page.people.length === 0 ? (
              <Empty>No active person matches “{q}”.</Empty>
            ) : (
              <ul>
                {page.people.map((p) => (
                  <li key={p.id}>
                    {p.displayName} {p.institutionalId ? `(${p.institutionalId})` : ''}{' '}
                    <button
                      type="button"
                      disabled={action.pending}
                      onClick={() => void add(p)}
                      aria-label={`Add ${p.displayName} to the group`}
                    >
                      Add
                    </button>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      )}
    </section>
  );
}
