import { displayNamesOf } from '../identity/operator-names.js';
import type { AppContext } from '../platform/context.js';
import { invalid } from '../platform/errors.js';
import { decodeHistoryCursor, encodeHistoryCursor } from './alert-history.cursor.js';
import { searchAlerts, type AlertHistoryDbRow } from './alert-history.queries.js';
import type { AlertHistoryPage, AlertHistoryQuery, AlertHistoryRow } from './alert-history.schema.js';

/**
 * GET /api/v1/alerts: the alert history and its search, newest first, a page at a time. A range
 * whose end is before its start, or a cursor this API did not issue, is a 400 naming the field.
 */
export async function alertHistory(ctx: AppContext, query: AlertHistoryQuery): Promise<AlertHistoryPage> {
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && to.getTime() <= from.getTime())
    throw invalid('The date range ends before it starts: make "to" later than "from".', [
      { in: 'querystring', field: 'to', message: 'must be later than from' },
    ]);
  const after = query.cursor ? decodeHistoryCursor(query.cursor) : undefined;
  const page = await searchAlerts(
    ctx.db,
    { q: query.q, kind: query.kind, status: query.status, test: query.test, from, to },
    { limit: query.limit, after, language: ctx.profile.alerts.languages[0]! },
  );
  const names = await displayNamesOf(
    ctx.db,
    page.rows.map((r) => r.sent_by),
  );
  return {
    alerts: page.rows.map((r) => historyRow(r, names)),
    nextCursor: page.next ? encodeHistoryCursor(page.next) : null,
  };
}

function historyRow(r: AlertHistoryDbRow, names: Map<string, string>): AlertHistoryRow {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    hazard: r.hazard,
    templateName: r.template_name,
    what: r.what,
    where: r.where_text,
    sentBy: r.sent_by,
    sentByName: r.sent_by ? (names.get(r.sent_by) ?? r.sent_by) : null,
    createdAt: r.created_at.toISOString(),
    sentAt: r.initiated_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    latestMessageType: r.latest_message_type ?? 'alert',
    messageCount: Math.max(1, r.message_count),
    deliveries: { done: r.done, total: r.total },
  };
}
