import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { affiliationList, type Location, type PeoplePage } from '../directory-types';
import { affiliationLabel } from '../labels';
import { DataTable, Empty, Loaded, Pager, usePageTitle } from '../ui';
import { useSearchFilters } from '../use-search-filters';

const pageSize = 50;
const filterNames = ['q', 'affiliation', 'building', 'status'] as const;

/** People: search by name, institutional id or email, filter, page through. */
export function PeopleList() {
  usePageTitle('People');
  return (
    <RequirePermission permission="directory.read">
      <PeopleSearch />
    </RequirePermission>
  );
}

function PeopleSearch() {
  // Cursors of the pages before this one, so "Previous page" goes back without re-searching from the start.
  const [cursors, setCursors] = useState<string[]>([]);
  const { params, setParams, query, search } = useSearchFilters(filterNames, () => setCursors([]));
  const cursor = params.get('cursor');
  const peopleQuery = query({ limit: String(pageSize) });
  if (cursor) peopleQuery.set('cursor', cursor);
  const people = useApi<PeoplePage>(`/api/v1/people?${peopleQuery.toString()}`);
  const buildings = useApi<{ locations: Location[] }>('/api/v1/locations?kind=building&limit=500');

  const goTo = (nextCursor: string | null, stack: string[]) => {
    const next = new URLSearchParams(params);
    if (nextCursor) next.set('cursor', nextCursor);
    else next.delete('cursor');
    setCursors(stack);
    setParams(next);
  };

  return (
    <section className="dir">
      <h1>People</h1>
      <form role="search" aria-label="People" onSubmit={search} className="filters">
        <div>
          <label htmlFor="people-q">Name, institutional id or email</label>
          <input id="people-q" name="q" type="search" defaultValue={params.get('q') ?? ''} />
        </div>
        <div>
          <label htmlFor="people-affiliation">Affiliation</label>
          <select id="people-affiliation" name="affiliation" defaultValue={params.get('affiliation') ?? ''}>
            <option value="">Any</option>
            {affiliationList.map((a) => (
              <option key={a} value={a}>
                {affiliationLabel[a]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="people-building">Home building</label>
          <select
            id="people-building"
            name="building"
            defaultValue={params.get('building') ?? ''}
            key={buildings.data ? 'loaded' : 'loading'}
          >
            <option value="">Any</option>
            {buildings.data?.locations.map((b) => (
              <option key={b.id} value={b.code}>
                {b.code} {b.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="people-status">Status</label>
          <select id="people-status" name="status" defaultValue={params.get('status') ?? ''}>
            <option value="">Active or inactive</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <h2>Results</h2>
      <Loaded state={people} what="people">
        {(page) =>
          page.people.length === 0 ? (
            <Empty>
              No one matches. Try part of a name, an exact institutional id or a whole email address.
            </Empty>
          ) : (
            <>
              <DataTable
                label="People"
                headings={['Name', 'Institutional id', 'Affiliation', 'Department', 'Building', 'Status']}
              >
                {page.people.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/console/people/${p.id}`}>{p.displayName}</Link>
                    </td>
                    <td>{p.institutionalId ?? '—'}</td>
                    <td>{affiliationLabel[p.affiliation]}</td>
                    <td>{p.department ?? '—'}</td>
                    <td>{p.homeBuilding ?? '—'}</td>
                    <td>{p.status === 'active' ? 'Active' : 'Inactive'}</td>
                  </tr>
                ))}
              </DataTable>
              <Pager
                label="Pages of people"
                onPrevious={
                  cursors.length > 0 || cursor
                    ? () => goTo(cursors.at(-1) ?? null, cursors.slice(0, -1))
                    : undefined
                }
                onNext={
                  page.nextCursor
                    ? () => goTo(page.nextCursor, cursor ? [...cursors, cursor] : cursors)
                    : undefined
                }
              >
                <span>
                  {page.people.length} shown{page.nextCursor ? '; more on the next page' : ''}
                </span>
              </Pager>
            </>
          )
        }
      </Loaded>
    </section>
  );
}
