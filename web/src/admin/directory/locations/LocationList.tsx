import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { locationKindList, type Location } from '../directory-types';
import { cleryClassLabel, locationKindLabel } from '../labels';
import { Empty, Loaded, TableScroll, usePageTitle } from '../ui';

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
  const [params, setParams] = useSearchParams();
  // The code each page starts after: the first page starts at the beginning.
  const [afters, setAfters] = useState<Array<string | null>>([null]);
  const after = afters.at(-1) ?? null;
  const query = new URLSearchParams({ limit: String(pageSize) });
  for (const name of ['q', 'kind']) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  if (after) query.set('after', after);
  const locations = useApi<{ locations: Location[] }>(`/api/v1/locations?${query.toString()}`);
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['q', 'kind']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setAfters([null]);
    setParams(next);
  };
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
              <TableScroll label="Locations">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Code</th>
                      <th scope="col">Name</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Zone</th>
                      <th scope="col">Clery class today</th>
                    </tr>
                  </thead>
                  <tbody>
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
                  </tbody>
                </table>
              </TableScroll>
              <nav className="pager" aria-label="Pages of locations">
                {afters.length > 1 && (
                  <button type="button" onClick={() => setAfters((a) => a.slice(0, -1))}>
                    Previous page
                  </button>
                )}
                {list.length === pageSize && (
                  <button type="button" onClick={() => setAfters((a) => [...a, list.at(-1)!.code])}>
                    Next page
                  </button>
                )}
              </nav>
            </>
          )
        }
      </Loaded>
    </section>
  );
}
