import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { plural } from '../common/format';
import { useApi } from '../api/use-api';
import type { AlertHistoryPage, AlertHistoryRow } from './alert-types';
import { count, messageWords, percent, statusWords, timeOf, wordFor } from './alert-words';
import { KindBadge } from './AlertHeader';
import { HistoryFilterForm } from './HistoryFilterForm';
import {
  filterProblem,
  filtersOf,
  historyPath,
  noFilters,
  paramsOf,
  type HistoryFilters,
} from './history-query';
import { usePageTitle } from './use-page-title';
import './alerts.css';

const pageSize = 25;

function Row({ a }: { a: AlertHistoryRow }) {
  const d = a.deliveries;
  return (
    <tr>
      <td data-label="Sent">
        <time dateTime={a.sentAt ?? a.createdAt}>{timeOf(a.sentAt ?? a.createdAt)}</time>
      </td>
      <td data-label="Kind">
        <KindBadge kind={a.kind} />
      </td>
      <td data-label="Alert" className="al-wrap">
        <div>
          <Link to={`/console/alerts/${a.id}`}>{a.templateName}</Link>
          {a.what && <span className="al-what">{a.what}</span>}
        </div>
      </td>
      <td data-label="Where" className="al-wrap">
        {a.where ?? '—'}
      </td>
      <td data-label="Status">
        {wordFor(statusWords, a.status)}
        {a.latestMessageType !== 'alert' && ` · ${wordFor(messageWords, a.latestMessageType).toLowerCase()}`}
      </td>
      <td data-label="Sent by" className="al-wrap">
        {a.sentByName ?? '—'}
      </td>
      <td data-label="Delivered">
        {d.total === 0 ? '—' : `${percent(d.done / d.total)}% (${count(d.done)} of ${count(d.total)})`}
      </td>
    </tr>
  );
}

function Results({ page, filtered }: { page: AlertHistoryPage; filtered: boolean }) {
  if (page.alerts.length === 0)
    return (
      <p className="al-empty">
        {filtered ? 'No alerts match these filters.' : 'No alerts have been sent yet.'}
      </p>
    );
  return (
    <table className="al-table al-history">
      <caption className="visually-hidden">Alerts, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Sent</th>
          <th scope="col">Kind</th>
          <th scope="col">Alert</th>
          <th scope="col">Where</th>
          <th scope="col">Status</th>
          <th scope="col">Sent by</th>
          <th scope="col">Delivered</th>
        </tr>
      </thead>
      <tbody>
        {page.alerts.map((a) => (
          <Row key={a.id} a={a} />
        ))}
      </tbody>
    </table>
  );
}

/** /console/alerts: every alert, newest first, with search, filters and paging. */
export function AlertHistory() {
  usePageTitle('Alerts');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const filters = filtersOf(params);
  const cursor = params.get('cursor');
  // The cursors of the newer pages this visit came through, so "Newer" can go back one page.
  const back = ((location.state as { back?: string[] } | null)?.back ?? []).filter(
    (c) => typeof c === 'string',
  );
  const problem = filterProblem(filters);
  const page = useApi<AlertHistoryPage>(problem ? null : historyPath(filters, cursor, pageSize));
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);

  const apply = (next: HistoryFilters) => navigate({ search: paramsOf(next).toString() });
  const older = (next: string) =>
    navigate({ search: paramsOf(filters, next).toString() }, { state: { back: [...back, cursor ?? ''] } });
  const newer = () =>
    navigate(
      { search: paramsOf(filters, back.at(-1) || undefined).toString() },
      { state: { back: back.slice(0, -1) } },
    );

  return (
    <section className="al-history-page">
      <h1>Alerts</h1>
      <HistoryFilterForm key={params.toString()} filters={filters} onApply={apply} />
      <div aria-live="polite" className="visually-hidden">
        {page.loading ? '' : page.data ? `${plural(page.data.alerts.length, 'alert')} shown.` : ''}
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {page.error && (
        <div className="error" role="alert">
          <p>The alerts could not be loaded: {page.error}</p>
          <button type="button" onClick={page.reload}>
            Try again
          </button>
        </div>
      )}
      {page.loading && (
        <p className="al-loading" role="status">
          Loading alerts…
        </p>
      )}
      {page.data && (
        <div aria-busy={page.loading}>
          <Results page={page.data} filtered={filtered} />
          <nav aria-label="Pages of alerts" className="al-pager">
            {cursor && back.length > 0 && (
              <button type="button" onClick={newer}>
                ← Newer alerts
              </button>
            )}
            {cursor && <Link to={{ search: paramsOf(filters).toString() }}>Newest alerts</Link>}
            {page.data.nextCursor && (
              <button type="button" onClick={() => older(page.data!.nextCursor!)}>
                Older alerts →
              </button>
            )}
          </nav>
        </div>
      )}
    </section>
  );
}
