import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';

/** Someone who answered "2, I need help", oldest first so the longest wait is on top. */
export interface NeedHelpEntry {
  personId: string;
  name: string;
  channel: string;
  /** The address they answered from (their phone for SMS and voice), null for the web page. */
  address: string | null;
  respondedAt: string;
}

/** Who answered an alert and how; `needHelp` is personal data (names and phone numbers). */
export interface AcknowledgementCounts {
  safe: number;
  needHelp: number;
  list: NeedHelpEntry[];
  listTruncated: boolean;
}

export const needHelpListLimit = 1000;

// Stand-in until acknowledgementSummary (src/alerts/replies/acknowledgement-summary.ts) lands:
// swap this function for it and keep the shape above.
/** Safe and need-help counts of an alert and the need-help list (at most needHelpListLimit). */
export async function readAcknowledgements(q: Queryable, alertId: string): Promise<AcknowledgementCounts> {
  const counts = await sql<{ safe: number; need_help: number }>`
    select count(*) filter (where response = 'safe')::int as safe,
           count(*) filter (where response = 'need_help')::int as need_help
    from acknowledgements where alert_id = ${alertId}`.execute(q);
  const rows = await sql<{
    person_id: string;
    display_name: string;
    channel: string;
    address: string | null;
    responded_at: Date;
  }>`
    select a.person_id, p.display_name, a.channel, d.address, a.responded_at
    from acknowledgements a
    join people p on p.id = a.person_id
    left join deliveries d on d.id = a.delivery_id
    where a.alert_id = ${alertId} and a.response = 'need_help'
    order by a.responded_at, a.person_id
    limit ${needHelpListLimit + 1}`.execute(q);
  const { safe, need_help } = counts.rows[0] ?? { safe: 0, need_help: 0 };
  return {
    safe,
    needHelp: need_help,
    list: rows.rows.slice(0, needHelpListLimit).map((r) => ({
      personId: r.person_id,
      name: r.display_name,
      channel: r.channel,
      address: r.address,
      respondedAt: r.responded_at.toISOString(),
    })),
    listTruncated: rows.rows.length > needHelpListLimit,
  };
}
