import { sql } from 'kysely';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { contactsOnChannels, selectedPeoplePage } from '../directory/people-selection.js';
import type { AudienceSpec, MessageContent } from './alerts.tables.js';
import { resolveAudience } from './audience.js';

const personChannels = ['sms', 'voice', 'email', 'office_phones'];
/** The contact kind each personal channel reaches: office_phones calls the office_phone contacts. */
const contactKindOf: Record<string, string> = {
  sms: 'sms',
  voice: 'voice',
  email: 'email',
  office_phones: 'office_phone',
};

/** The address of a paging server's deliveries (no person; the office_phones channel). */
function pagingAddress(name: string): string {
  return `paging:${name}`;
}
/**
 * People per fan-out transaction. The first chunk is small so the first messages leave within
 * moments of "send"; the rest are written in larger chunks while those go out.
 */
const firstFanOutChunk = 1_000;
const fanOutChunk = 10_000;

export interface FanOutResult {
  created: number;
  channels: string[];
  priority: number;
}

// What a directory may hold that no provider can use: suppressed with the reason, not sent.
const phonePattern = '^\\+[1-9][0-9]{6,14}$';
const emailPattern = '^[^@\\s<>(),;:"]+@[^@\\s<>(),;:"]+\\.[^@\\s<>(),;:"]+$';

/**
 * Create the deliveries of one message in set-based statements, a chunk of people per transaction:
 * one row per (message, person, channel, address) for the active people of the audience;
 * opted-out, malformed and unverified addresses as `suppressed` rows with the reason; one row per
 * public channel. The unique key makes a re-run add nothing.
 *
 * Office phones: each office_phone contact becomes an `office_phones` delivery; a number several
 * people share is called once (the partial unique index deliveries_office_phone_once is the
 * conflict, across chunks too), and the campus's paging servers get one delivery each. No SMS ever
 * goes to a number that is anyone's office phone: it is suppressed with the reason. `afterFirstChunk` runs in the first
 * chunk's transaction (the delivery jobs are queued there, so sending starts at once).
 */
export async function fanOutMessage(
  ctx: AppContext,
  messageId: string,
  priority: number,
  afterFirstChunk: (trx: Trx, channels: string[]) => Promise<void>,
): Promise<FanOutResult | null> {
  const message = await ctx.db
    .selectFrom('alert_messages as m')
    .innerJoin('alerts as a', 'a.id', 'm.alert_id')
    .select([
      'm.id',
      'm.alert_id',
      'm.template_version',
      'm.content',
      'a.campus_id',
      'a.audience',
      'a.channels',
      'a.status',
    ])
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!message || message.status === 'closed') return null;
  const audience = message.audience as AudienceSpec;
  const languages = Object.keys(message.content as MessageContent);
  const primary = ctx.profile.alerts.languages[0]!;
  const channels = message.channels.filter((c) => personChannels.includes(c));
  const publicChannels = message.channels.filter((c) => !personChannels.includes(c));
  const selection = await resolveAudience(ctx.db, message.campus_id, audience);
  const contacts = contactsOnChannels(
    ctx.db,
    channels.map((c) => contactKindOf[c]!),
  );
  const paging = channels.includes('office_phones')
    ? ctx.profile.alerts.pagingServers.map((s) => pagingAddress(s.name))
    : [];
  let created = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (let chunk = 0; ; chunk += 1) {
    const size = chunk === 0 ? firstFanOutChunk : fanOutChunk;
    const done = await ctx.db.transaction().execute(async (trx) => {
      const people = selectedPeoplePage(trx, selection, { after, limit: size });
      const result = await sql<{ n: number; last: string | null; people: number }>`
        with chunk as ${people},
        rows as (
          insert into deliveries (alert_id, message_id, person_id, channel, address, language, template_version, priority, status, suppression_reason)
          select ${message.alert_id}::uuid, ${messageId}::uuid, p.id,
                 case when c.channel = 'office_phone' then 'office_phones' else c.channel end, c.address,
                 case when p.preferred_language = any(${languages}::text[]) then p.preferred_language else ${primary} end,
                 ${message.template_version}::int, ${priority}::int,
                 case when s.reason is null then 'queued' else 'suppressed' end, s.reason
          from chunk p join ${contacts} c on c.person_id = p.id
          cross join lateral (select case
            when c.office_number then 'office_phone: an office number is called, never texted'
            when c.opted_out_at is not null then 'opted_out: ' || coalesce(c.opt_out_reason, 'no reason given')
            when c.channel in ('sms', 'voice', 'office_phone') and c.address !~ ${phonePattern} then 'invalid_address: not an E.164 phone number'
            when c.channel = 'email' and c.address !~ ${emailPattern} then 'invalid_address: not an email address'
            when c.unverified then 'unverified: the contact was never confirmed'
          end as reason) s
          union all
          select ${message.alert_id}::uuid, ${messageId}::uuid, null::uuid, ch, ch, ${primary}, ${message.template_version}::int, ${priority}::int, 'queued', null
          from unnest(${chunk === 0 ? publicChannels : []}::text[]) as ch
          union all
          select ${message.alert_id}::uuid, ${messageId}::uuid, null::uuid, 'office_phones', a, ${primary}, ${message.template_version}::int, ${priority}::int, 'queued', null
          from unnest(${chunk === 0 ? paging : []}::text[]) as a
          on conflict do nothing
          returning 1)
        select (select count(*)::int from rows) as n, (select max(id::text) from chunk) as last,
               (select count(*)::int from chunk) as people`.execute(trx);
      const row = result.rows[0]!;
      created += row.n;
      if (chunk === 0) await afterFirstChunk(trx, message.channels);
      if (row.last) after = row.last;
      return row.people < size;
    });
    if (done) break;
  }
  return { created, channels: message.channels, priority };
}
