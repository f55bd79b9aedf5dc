import { Link } from 'react-router';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import type { Feeds, SyncRun } from '../directory-types';
import { duration, feedLabel, syncStatusLabel, when } from '../labels';
import { DataTable, Empty, Loaded, usePageTitle } from '../ui';
import { StartSync } from './StartSync';
import { inProgress, usePoll } from './use-poll';

/** Directory sync runs, newest first; upload a CSV export or start an LDAP sync. */
export function SyncRunList() {
  usePageTitle('Directory syncs');
  return (
    <RequirePermission permission="directory.sync">
      <SyncRuns />
    </RequirePermission>
  );
}

function SyncRuns() {
  const runs = useApi<{ runs: SyncRun[] }>('/api/v1/directory/syncs?limit=50');
  const feeds = useApi<Feeds>('/api/v1/directory/feeds');
  usePoll(runs.reload, runs.data?.runs.some((r) => inProgress(r.status)) ?? false, 2000);
  return (
    <section className="dir">
      <h1>Directory syncs</h1>
      <Loaded state={feeds} what="the feed settings">
        {(f) => <StartSync feeds={f} />}
      </Loaded>
      <h2>Runs</h2>
      <Loaded state={runs} what="the sync runs">
        {({ runs: list }) =>
          list.length === 0 ? (
            <Empty>No sync has run yet.</Empty>
          ) : (
            <DataTable
              label="Sync runs"
              headings={[
                'Requested',
                'Source',
                'Status',
                'Adds',
                'Changes',
                'Deactivations',
                'Bad rows',
                'Duration',
                'By',
              ]}
            >
              {list.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/console/directory/syncs/${r.id}`}>{when(r.createdAt)}</Link>
                    {r.inputName && <span className="why">{r.inputName}</span>}
                  </td>
                  <td>{feedLabel[r.feed]}</td>
                  <td>
                    {syncStatusLabel[r.status]}
                    {r.forced && <span className="why">forced</span>}
                  </td>
                  <td>{r.counts.adds ?? '—'}</td>
                  <td>{r.counts.changes ?? '—'}</td>
                  <td>{r.counts.deactivations ?? '—'}</td>
                  <td>{r.counts.errors ?? '—'}</td>
                  <td>{duration(r.counts.durationMs)}</td>
                  <td>{r.requestedBy ?? '—'}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
    </section>
  );
}
