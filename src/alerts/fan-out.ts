import { sql } from 'kysely';
import type { AppContext } from '../platform/context.js';
import type { AudienceSpec, MessageContent } from './alerts.tables.js';
import { audienceCondition, resolveAudience } from './audience.js';

const personChannels = ['sms', 'voice', 'email'];

export interface FanOutResult {
  created: number;
  channels: string[];
  priority: number;
}

/**
 * Create the deliveries of one message in set-based statements: one row per (message, person,
 * channel, address) for the active people of the audience, opted-out addresses as `suppressed`
 * rows with the reason, and one row per public channel. The unique key makes a re-run add nothing.
 */
export async function fanOutMessage(
  ctx: AppContext,
  messageId: string,
  priority: number,
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
  const resolved = await resolveAudience(ctx.db, message.campus_id, audience);
  const where = audienceCondition(ctx.db, message.campus_id, audience, resolved);
  const inserted = await sql<{ n: number }>`
    with rows as (
      insert into deliveries (alert_id, message_id, person_id, channel, address, language, template_version, priority, status, suppression_reason)
      select ${message.alert_id}::uuid, ${messageId}::uuid, p.id, c.channel, c.address,
             case when p.preferred_language = any(${languages}::text[]) then p.preferred_language else ${primary} end,
             ${message.template_version}::int, ${priority}::int,
             case when c.opted_out_at is null then 'queued' else 'suppressed' end,
             case when c.opted_out_at is null then null else 'opted_out: ' || coalesce(c.opt_out_reason, 'no reason given') end
      from people p join contacts c on c.person_id = p.id
      where ${where} and c.channel = any(${channels}::text[])
      union all
      select ${message.alert_id}::uuid, ${messageId}::uuid, null::uuid, ch, ch, ${primary}, ${message.template_version}::int, ${priority}::int, 'queued', null
      from unnest(${publicChannels}::text[]) as ch
      on conflict do nothing
      returning 1)
    select count(*)::int as n from rows`.execute(ctx.db);
  return { created: inserted.rows[0]?.n ?? 0, channels: message.channels, priority };
}
