import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { AlertKind, AlertStatus } from './alerts.tables.js';
import { pendingStatuses } from './tracking/tracking-math.js';

/** Which alerts the history lists. */
export interface AlertHistoryFilter {
  /** Words in a message's what or where (any language), the template's name, or an alert id. */
  q?: string;
  kind?: AlertKind;
  status?: AlertStatus;
  /** true: test and exercise only; false: emergency and operations only. */
  test?: boolean;
  /** Sent at or after. */
  from?: Date;
  /** Sent before. */
  to?: Date;
}

/** Where a page ends: the last row's created_at (ISO, microseconds, UTC) and id. */
export interface AlertHistoryCursor {
  at: string;
  id: string;
}

/** One alert of the history, with its first message's text, latest message and delivery totals. */
export interface AlertHistoryDbRow {
  id: string;
  kind: AlertKind;
  status: AlertStatus;
  hazard: string;
  template_name: string;
  sent_by: string | null;
  created_at: Date;
  initiated_at: Date | null;
  closed_at: Date | null;
  cursor_at: string;
  what: string | null;
  where_text: string | null;
  latest_message_type: string | null;
  message_count: number;
  total: number;
  done: number;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const testKinds: AlertKind[] = ['test', 'exercise'];
const realKinds: AlertKind[] = ['emergency', 'operations'];

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE conditions of the history's page (every one an index range or a cheap row check). */
function conditions(filter: AlertHistoryFilter, after?: AlertHistoryCursor): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [];
  if (after) where.push(sql`(a.created_at, a.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  if (filter.kind) where.push(sql`a.kind = ${filter.kind}`);
  if (filter.status) where.push(sql`a.status = ${filter.status}`);
  if (filter.test !== undefined)
    where.push(sql`a.kind = any(${filter.test ? testKinds : realKinds}::text[])`);
  if (filter.from) where.push(sql`a.created_at >= ${filter.from}`);
  if (filter.to) where.push(sql`a.created_at < ${filter.to}`);
  if (filter.q) where.push(searchCondition(filter.q));
  return where;
}

/**
 * A substring of any message's what or where (alert_messages_search_trgm serves it), of the
 * template's name, or the alert's own id.
 */
function searchCondition(text: string): RawBuilder<unknown> {
  const term = text.trim();
  const pattern = `%${escapeLike(term)}%`;
  const byId = uuid.test(term) ? sql`a.id = ${term.toLowerCase()}::uuid or` : sql``;
  return sql`(${byId}
    a.id in (select m.alert_id from alert_messages m where alert_message_search_text(m.content) ilike ${pattern})
    or a.template_id in (select t.id from alert_templates t where t.name ilike ${pattern}))`;
}

/**
 * Alerts newest first, a page at a time (keyset on created_at, id: alerts_history_idx). The page
 * is cut first; its rows then get their template name, first and latest message, and delivery
 * totals in the same statement (one index-only count per alert of the page, never of the rest).
 */
export async function searchAlerts(
  q: Queryable,
  filter: AlertHistoryFilter,
  page: { limit: number; after?: AlertHistoryCursor; language: string },
): Promise<{ rows: AlertHistoryDbRow[]; next: AlertHistoryCursor | null }> {
  const where = conditions(filter, page.after);
  const whereSql = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const result = await sql<AlertHistoryDbRow>`
    with page as (
      select a.id, a.kind, a.status, a.hazard, a.template_id, a.sent_by, a.created_at, a.initiated_at,
        a.closed_at, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
      from alerts a
      ${whereSql}
      order by a.created_at desc, a.id desc
      limit ${page.limit + 1}
    )
    select p.*, t.name as template_name,
      coalesce(first.content -> ${page.language}, first.fallback) ->> 'what' as what,
      coalesce(first.content -> ${page.language}, first.fallback) ->> 'where' as where_text,
      latest.message_type as latest_message_type, latest.message_count,
      coalesce(d.total, 0)::int as total, coalesce(d.done, 0)::int as done
    from page p
    join alert_templates t on t.id = p.template_id
    left join lateral (
      select m.content, (select e.value from jsonb_each(m.content) e limit 1) as fallback
      from alert_messages m where m.alert_id = p.id order by m.sequence limit 1
    ) first on true
    left join lateral (
      select (array_agg(m.message_type order by m.sequence desc))[1] as message_type,
        count(*)::int as message_count
      from alert_messages m where m.alert_id = p.id and m.message_type <> 'escalation'
    ) latest on true
    left join lateral (
      select count(*) as total,
        count(*) filter (where d.status <> all(${[...pendingStatuses]}::text[])) as done
      from deliveries d where d.alert_id = p.id
    ) d on true
    order by p.created_at desc, p.id desc`.execute(q);
  const more = result.rows.length > page.limit;
  const rows = more ? result.rows.slice(0, page.limit) : result.rows;
  const last = rows[rows.length - 1];
  return { rows, next: more && last ? { at: last.cursor_at, id: last.id } : null };
}
