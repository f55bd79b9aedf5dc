import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import type { Affiliation, DiffPerson, SyncCounts, SyncRunDetail } from '../directory-types';
import { affiliationLabel, diffFieldLabel, duration, feedLabel, syncStatusLabel, when } from '../labels';
import { Loaded, usePageTitle } from '../ui';
import { ApplyRun } from './ApplyRun';
import { PagedTable } from './PagedTable';
import { inProgress, usePoll } from './use-poll';

/** One sync run: what it found (adds, changes with their fields, deactivations), its bad rows, and applying it. */
export function SyncRunPage() {
  usePageTitle('Directory sync run');
  return (
    <RequirePermission permission="directory.sync">
      <RunLoader />
    </RequirePermission>
  );
}

function RunLoader() {
  const { id } = useParams();
  const run = useApi<SyncRunDetail>(`/api/v1/directory/syncs/${id}`);
  usePoll(run.reload, run.data ? inProgress(run.data.status) : false);
  return (
    <section className="dir">
      <p>
        <Link to="/console/directory/syncs">← Directory syncs</Link>
      </p>
      <Loaded state={run} what="this sync run">
        {(r) => <RunView run={r} reload={run.reload} />}
      </Loaded>
    </section>
  );
}

// What the counts list shows, in order.
const countLines: Array<[keyof SyncCounts, string]> = [
  ['rows', 'rows read'],
  ['adds', 'to add'],
  ['changes', 'to change'],
  ['deactivations', 'to deactivate'],
  ['unchanged', 'unchanged'],
  ['errors', 'bad rows and warnings'],
];

/** A person added or deactivated: the same three columns in both lists. */
function diffPersonRow(p: DiffPerson) {
  return (
    <tr key={p.institutionalId}>
      <td>{p.institutionalId}</td>
      <td>{p.displayName}</td>
      <td>{affiliationLabel[p.affiliation as Affiliation] ?? p.affiliation}</td>
    </tr>
  );
}

function RunView({ run, reload }: { run: SyncRunDetail; reload: () => void }) {
  const c = run.counts;
  const diff = run.diff;
  const badRows = run.rowErrors.filter((e) => e.line > 0);
  const warnings = run.rowErrors.filter((e) => e.line === 0);
  return (
    <>
      <h1>
        {feedLabel[run.feed]} sync {run.inputName ? `of ${run.inputName}` : ''}
      </h1>
      <p
        role="status"
        className={run.status === 'failed' ? 'error' : run.status === 'refused' ? 'warning' : 'notice'}
      >
        {syncStatusLabel[run.status]}
        {inProgress(run.status) ? '… this page updates by itself.' : '.'}
        {run.message ? ` ${run.message}` : ''}
      </p>
      <dl className="details">
        <dt>Mode</dt>
        <dd>
          {run.mode === 'dry_run'
            ? 'Preview only'
            : `Apply${run.forced ? ', forced past the safety brake' : ''}`}
        </dd>
        <dt>Requested by</dt>
        <dd>{run.requestedBy ?? '—'}</dd>
        <dt>Requested</dt>
        <dd>{when(run.createdAt)}</dd>
        <dt>Finished</dt>
        <dd>{when(run.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{duration(c.durationMs)}</dd>
      </dl>
      {c.rows !== undefined && (
        <ul className="counts" aria-label="Counts">
          {countLines.map(([key, words]) => (
            <li key={key}>
              <strong>{c[key]}</strong> {words}
            </li>
          ))}
        </ul>
      )}
      <ApplyRun run={run} onApplied={reload} />
      {diff && (
        <>
          {diff.truncated && (
            <p className="hint">Each list below shows the first 500; the counts above cover everyone.</p>
          )}
          <h2>Adds ({c.adds ?? diff.adds.length})</h2>
          <PagedTable
            label="Adds"
            items={diff.adds}
            headings={['Institutional id', 'Name', 'Affiliation']}
            empty="No one new."
            row={diffPersonRow}
          />
          <h2>Changes ({c.changes ?? diff.changes.length})</h2>
          <PagedTable
            label="Changes"
            items={diff.changes}
            headings={['Institutional id', 'Name', 'What changes']}
            empty="No changes to anyone already in the directory."
            row={(p) => (
              <tr key={p.institutionalId}>
                <td>{p.institutionalId}</td>
                <td>{p.displayName}</td>
                <td>{p.fields.map((f) => diffFieldLabel[f] ?? f).join(', ')}</td>
              </tr>
            )}
          />
          <h2>Deactivations ({c.deactivations ?? diff.deactivations.length})</h2>
          <PagedTable
            label="Deactivations"
            items={diff.deactivations}
            headings={['Institutional id', 'Name', 'Affiliation']}
            empty="No one is deactivated."
            row={diffPersonRow}
          />
        </>
      )}
      <h2>Bad rows ({badRows.length})</h2>
      <p className="hint">
        A person whose row is bad is left as they are: never added, changed or deactivated by this file.
      </p>
      <PagedTable
        label="Bad rows"
        items={badRows}
        headings={['Line', 'Institutional id', 'Why']}
        empty="Every row could be read."
        row={(e) => (
          <tr key={`${e.line}-${e.institutionalId ?? ''}`}>
            <td>{e.line}</td>
            <td>{e.institutionalId ?? '—'}</td>
            <td>{e.reason}</td>
          </tr>
        )}
      />
      {warnings.length > 0 && (
        <>
          <h2>Warnings ({warnings.length})</h2>
          <PagedTable
            label="Warnings"
            items={warnings}
            headings={['Institutional id', 'Warning']}
            empty=""
            row={(e) => (
              <tr key={`${e.institutionalId ?? ''}-${e.reason}`}>
                <td>{e.institutionalId ?? '—'}</td>
                <td>{e.reason}</td>
              </tr>
            )}
          />
        </>
      )}
    </>
  );
}
