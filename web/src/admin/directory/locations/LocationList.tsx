import { Link } from 'react-router';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { locationKindList, type Location } from '../directory-types';
import { cleryClassLabel, locationKindLabel } from '../labels';
import { DataTable, Empty, Loaded, Pager, usePageTitle } from '../ui';
import { useCursorPages } from '../use-cursor-pages';
import { useSearchFilters } from '../use-search-filters';

const pageSize = 100;

/** Buildings, zones and residence halls in code order, with today's Clery class. */
export function LocationList() {
  usePageTitle('Locations');
  return (
    <RequirePermission permission="directory.read">
      <Locations />
    </RequirePermission>
  );
}

function Locations() {
  // Pages start after a code: the first page starts at the beginning.
  const pages = useCursorPages();
  const { params, query, search } = useSearchFilters(['q', 'kind'], pages.reset);
  const locationQuery = query({ limit: String(pageSize) });
  if (pages.cursor) locationQuery.set('after', pages.cursor);
  const locations = useApi<{ locations: Location[] }>(`/api/v1/locations?${locationQuery.toString()}`);
  return (
    <section className="dir">
      <h1>Locations</h1>
      <form role="search" aria-label="Locations" className="filters" onSubmit={search}>
        <div>
          <label htmlFor="locations-q">Code or part of a name</label>
          <input id="locations-q" name="q" type="search" defaultValue={params.get('q') ?? ''} />
        </div>
        <div>
          <label htmlFor="locations-kind">Kind</label>
          <select id="locations-kind" name="kind" defaultValue={params.get('kind') ?? ''}>
            <option value="">Any</option>
            {locationKindList.map((k) => (
              <option key={k} value={k}>
                {locationKindLabel[k]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <Loaded state={locations} what="locations">
        {({ locations: list }) =>
          list.length === 0 ? (
            <Empty>No location matches.</Empty>
          ) : (
            <>
              <DataTable label="Locations" headings={['Code', 'Name', 'Kind', 'Zone', 'Clery class today']}>
                {list.map((l) => (
                  <tr key={l.id}>
                    <td>
                      <Link to={`/console/locations/${l.id}`}>{l.code}</Link>
                    </td>
                    <td>{l.name}</td>
                    <td>{locationKindLabel[l.kind]}</td>
                    <td>{l.parentCode ?? '—'}</td>
                    <td>{l.cleryClass ? cleryClassLabel[l.cleryClass] : 'None recorded'}</td>
                  </tr>
                ))}
              </DataTable>
              <Pager
                label="Pages of locations"
                onPrevious={pages.previous}
                onNext={list.length === pageSize ? () => pages.next(list.at(-1)!.code) : undefined}
              />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
