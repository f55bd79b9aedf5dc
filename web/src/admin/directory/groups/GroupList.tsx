import { Link } from 'react-router';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { useSession } from '../../../session/session-context';
import type { Group } from '../directory-types';
import { DataTable, Empty, Loaded, usePageTitle } from '../ui';
import { useSearchFilters } from '../use-search-filters';
import { ruleText } from './rule-text';

/** Groups: static lists and dynamic rules, in name order. */
export function GroupList() {
  usePageTitle('Groups');
  return (
    <RequirePermission permission="directory.read">
      <Groups />
    </RequirePermission>
  );
}

function Groups() {
  const { can } = useSession();
  const { params, query, search } = useSearchFilters(['q', 'kind']);
  const groups = useApi<{ groups: Group[] }>(`/api/v1/groups?${query({ limit: '500' }).toString()}`);
  return (
    <section className="dir">
      <h1>Groups</h1>
      {can('directory.manage') && (
        <p>
          <Link className="button primary" to="/console/groups/new">
            New group
          </Link>
        </p>
      )}
      <form role="search" aria-label="Groups" className="filters" onSubmit={search}>
        <div>
          <label htmlFor="groups-q">Name</label>
          <input id="groups-q" name="q" type="search" defaultValue={params.get('q') ?? ''} />
        </div>
        <div>
          <label htmlFor="groups-kind">Kind</label>
          <select id="groups-kind" name="kind" defaultValue={params.get('kind') ?? ''}>
            <option value="">Static or dynamic</option>
            <option value="static">Static (a list of people)</option>
            <option value="dynamic">Dynamic (a rule)</option>
          </select>
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <Loaded state={groups} what="groups">
        {({ groups: list }) =>
          list.length === 0 ? (
            <Empty>No groups match.</Empty>
          ) : (
            <DataTable label="Groups" headings={['Name', 'Kind', 'Members', 'Source']}>
              {list.map((g) => (
                <tr key={g.id}>
                  <td>
                    <Link to={`/console/groups/${g.id}`}>{g.name}</Link>
                    {g.description && <span className="why">{g.description}</span>}
                  </td>
                  <td>{g.kind === 'static' ? 'Static' : 'Dynamic'}</td>
                  <td>{g.kind === 'dynamic' ? ruleText(g.rule) : 'A list of people'}</td>
                  <td>{g.source}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
    </section>
  );
}
