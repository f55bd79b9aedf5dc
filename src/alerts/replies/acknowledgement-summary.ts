import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { peopleWithPlaceNames } from '../../directory/people.queries.js';

/** One person who answered "I need help". */
interface NeedHelpEntry {
  personId: string;
  name: string;
  /** The phone number or email address they answered from (null: unknown). */
  contact: string | null;
  channel: 'sms' | 'email' | 'voice' | 'web';
  respondedAt: string;
  /** Home building and residence hall from the directory, when known. */
  building: { code: string; name: string } | null;
  residenceHall: { code: string; name: string } | null;
}

/** How the people an alert asked have answered. */
export interface AcknowledgementSummary {
  alertId: string;
  safe: number;
  needHelp: number;
  /** People with at least one delivery that was not suppressed, who have not answered. */
  noResponse: number;
  /** Longest waiting first; at most `limit` entries (needHelp has the full count). */
  needHelpList: NeedHelpEntry[];
}

type NeedHelpRow = {
  person_id: string;
  display_name: string;
  address: string | null;
  channel: NeedHelpEntry['channel'];
  responded_at: Date;
  building_code: string | null;
  building_name: string | null;
  hall_code: string | null;
  hall_name: string | null;
};

const place = (code: string | null, name: string | null) => (code && name ? { code, name } : null);

/**
 * Counts of safe, need-help and no answer for an alert, and who needs help (sensitive: callers
 * that show it to an operator audit the read).
 */
export async function acknowledgementSummary(
  q: Queryable,
  alertId: string,
  options: { limit?: number } = {},
): Promise<AcknowledgementSummary> {
  const counts = await sql<{ safe: number; need_help: number; no_response: number }>`
    select
      (select count(*) from acknowledgements where alert_id = ${alertId} and response = 'safe')::int as safe,
      (select count(*) from acknowledgements where alert_id = ${alertId} and response = 'need_help')::int as need_help,
      (select count(distinct d.person_id) from deliveries d
        where d.alert_id = ${alertId} and d.person_id is not null and d.status not in ('suppressed', 'cancelled')
          and not exists (select 1 from acknowledgements k where k.alert_id = d.alert_id and k.person_id = d.person_id)
      )::int as no_response`.execute(q);
  const rows = await sql<NeedHelpRow>`
    select k.person_id, p.display_name, d.address, k.channel, k.responded_at,
           p.building_code, p.building_name, p.hall_code, p.hall_name
    from acknowledgements k
    left join deliveries d on d.id = k.delivery_id
    join ${peopleWithPlaceNames(q)} p on p.id = k.person_id
    where k.alert_id = ${alertId} and k.response = 'need_help'
    order by k.responded_at, k.person_id
    limit ${options.limit ?? 1000}`.execute(q);
  const c = counts.rows[0]!;
  return {
    alertId,
    safe: c.safe,
    needHelp: c.need_help,
    noResponse: c.no_response,
    needHelpList: rows.rows.map((r) => ({
      personId: r.person_id,
      name: r.display_name,
      contact: r.address,
      channel: r.channel,
      respondedAt: new Date(r.responded_at).toISOString(),
      building: place(r.building_code, r.building_name),
      residenceHall: place(r.hall_code, r.hall_name),
    })),
  };
}
