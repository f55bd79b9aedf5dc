import { Fragment, useState } from 'react';
import { useApi } from '../../../api/use-api';
import { useSession } from '../../../session/session-context';
import { LoadState } from '../common/LoadState';
import { TableScroll } from '../common/TableScroll';
import { formatTime, plural } from '../../../common/format';
import { AuditFilters } from './AuditFilters';
import { AuditVerificationPanel } from './AuditVerificationPanel';
import { auditQuery, noFilter, type AuditFilter, type AuditRow } from './audit-types';

const pageSize = 50;

const json = (value: unknown) =>
  value === null || value === undefined ? null : JSON.stringify(value, null, 2);

function EntryDetails({ row, onActor }: { row: AuditRow; onActor: (actorId: string) => void }) {
  const parts = [
    ['Before', json(row.before)],
    ['After', json(row.after)],
    ['Details', json(row.metadata)],
  ] as const;
  return (
    <div className="entry-details">
      <dl className="pairs">
        <div>
          <dt>Number</dt>
          <dd>{row.seq}</dd>
        </div>
        <div>
          <dt>Actor</dt>
          <dd>
            {row.actorType} {row.actorLabel ?? ''}{' '}
            {row.actorId && <code className="wrap">{row.actorId}</code>}{' '}
            {row.actorId && (
              <button type="button" className="link-button" onClick={() => onActor(row.actorId!)}>
                Only this actor
              </button>
            )}
          </dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>{row.targetType ? `${row.targetType} ${row.targetId ?? ''}` : '—'}</dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd>{row.ip ?? '—'}</dd>
        </div>
        <div>
          <dt>Request id</dt>
          <dd>{row.requestId ? <code className="wrap">{row.requestId}</code> : '—'}</dd>
        </div>
        <div>
          <dt>Hash</dt>
          <dd>
            <code className="wrap">{row.hash}</code>
          </dd>
        </div>
      </dl>
      {parts.map(([label, text]) =>
        text ? (
          <Fragment key={label}>
            <h3 className="small-heading">{label}</h3>
            <pre className="json">{text}</pre>
          </Fragment>
        ) : null,
      )}
    </div>
  );
}

/** The audit log newest first, filtered and paged, each entry's details; verification for audit.verify. */
export function AuditPage() {
  const { can } = useSession();
  const [filter, setFilter] = useState<AuditFilter>(noFilter);
  const [filterKey, setFilterKey] = useState(0);
  // The beforeSeq of each page shown after the first, so "Newer" can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const log = useApi<{ rows: AuditRow[]; nextBeforeSeq: string | null }>(
    `/api/v1/audit?${auditQuery(filter, pageSize, cursors.at(-1))}`,
  );
  const apply = (f: AuditFilter) => {
    setFilter(f);
    setCursors([]);
    setOpen(null);
  };
  return (
    <section>
      <h1>Audit log</h1>
      <p>
        Every change and every sensitive read, append-only and hash-chained. Reading it is itself recorded.
      </p>
      {can('audit.verify') && <AuditVerificationPanel />}
      <AuditFilters key={`filters-${filterKey}`} value={filter} onApply={apply} />
      <LoadState
        state={log}
        what="audit log"
        isEmpty={(d) => d.rows.length === 0}
        empty="No entries match these filters."
      >
        {(d) => (
          <>
            <p role="status">
              {log.loading ? 'Updating… ' : ''}Page {cursors.length + 1}:{' '}
              {plural(d.rows.length, 'entry', 'entries')}, newest first
              {d.rows.length > 0 ? `, numbers ${d.rows.at(-1)!.seq} to ${d.rows[0]!.seq}` : ''}.
            </p>
            <TableScroll label="Audit entries, newest first">
              <table className="audit-table">
                <caption className="visually-hidden">Audit entries, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">
                      <span className="visually-hidden">Details</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((row) => (
                    <Fragment key={row.seq}>
                      <tr>
                        <td>{formatTime(row.occurredAt)}</td>
                        <td>{row.actorLabel ?? row.actorType}</td>
                        <td>
                          <code>{row.action}</code>
                        </td>
                        <td>{row.targetType ?? '—'}</td>
                        <td>
                          <span className={`outcome outcome-${row.outcome}`}>{row.outcome}</span>
                        </td>
                        <td>
                          <button
                            type="button"
                            className="link-button"
                            aria-expanded={open === row.seq}
                            aria-controls={open === row.seq ? `entry-${row.seq}` : undefined}
                            onClick={() => setOpen(open === row.seq ? null : row.seq)}
                          >
                            {open === row.seq ? 'Hide' : 'Details'}
                            <span className="visually-hidden"> of entry {row.seq}</span>
                          </button>
                        </td>
                      </tr>
                      {open === row.seq && (
                        <tr id={`entry-${row.seq}`}>
                          <td colSpan={6}>
                            <EntryDetails
                              row={row}
                              onActor={(actorId) => {
                                apply({ ...filter, actorId });
                                setFilterKey((k) => k + 1);
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            {cursors.length > 0 && (
              <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer entries
              </button>
            )}
            {d.nextBeforeSeq && (
              <button type="button" onClick={() => setCursors((c) => [...c, d.nextBeforeSeq!])}>
                Older entries
              </button>
            )}
          </>
        )}
      </LoadState>
    </section>
  );
}
