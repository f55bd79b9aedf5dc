import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { defineLoop } from '../../platform/queue/loop.js';
import { queueSchema } from '../../platform/queue/queue.js';
import { alertFanoutJob, enqueueDelivery, markSentWhenDone } from '../alerts.jobs.js';
import { priorityOf } from '../priorities.js';
import type { AlertKind } from '../alerts.tables.js';

// Do not queue another job for the same (message, channel) more often than this, per process.
const requeueGapMs = 3_000;
const recentlyQueued = new Map<string, number>();

/**
 * Every two seconds, in every worker: deliveries left in `sending` by a worker that died (no sign
 * of life for `stuckAfterSeconds`) go back to the queue; retries whose time has come and requeued
 * deliveries get a delivery job; alerts whose deliveries all ended are marked sent.
 */
export const deliverySweepLoop = defineLoop({
  name: 'delivery.sweep',
  everyMs: () => 2_000,
  async run(ctx) {
    await sweepDeliveries(ctx);
  },
});

export interface SweepResult {
  requeued: number;
  jobsQueued: number;
  fanOutsRequeued: number;
}

export async function sweepDeliveries(ctx: AppContext): Promise<SweepResult> {
  const stuck = await sql<{ n: number }>`
    with moved as (
      update deliveries set status = 'queued', updated_at = now(),
        last_error = coalesce(last_error || '; ', '') || 'requeued: its worker stopped while sending'
      where id in (select id from deliveries where status = 'sending'
                   and sending_at < now() - make_interval(secs => ${ctx.profile.alerts.delivery.stuckAfterSeconds})
                   for update skip locked)
      returning 1)
    select count(*)::int as n from moved`.execute(ctx.db);
  const requeued = stuck.rows[0]!.n;
  if (requeued > 0) ctx.log.warn({ requeued }, 'deliveries stuck in sending went back to the queue');
  // Waiting work that no queued or running job will pick up: a job died with its worker, or
  // retries came due after the last job for them ended.
  const due = await sql<{ message_id: string; channel: string; kind: AlertKind }>`
    select w.message_id, w.channel, w.kind from (
      select distinct d.message_id, d.channel, a.kind from deliveries d join alerts a on a.id = d.alert_id
      where (d.status = 'temporary_failure' and d.next_attempt_at <= now())
         or (d.status = 'queued' and d.updated_at < now() - interval '5 seconds')
      limit 200) w
    where not exists (
      select 1 from ${sql.table(`${queueSchema}.job`)} j
      where j.name like 'alert.deliver.%' and j.state in ('created', 'retry', 'active')
        and j.data->>'messageId' = w.message_id::text and j.data->>'channel' = w.channel
        and (j.state <> 'active' or j.started_on > now() - make_interval(secs => ${ctx.profile.alerts.delivery.stuckAfterSeconds})))`.execute(
    ctx.db,
  );
  let jobsQueued = 0;
  const now = Date.now();
  for (const row of due.rows) {
    const key = `${row.message_id}:${row.channel}`;
    if (now - (recentlyQueued.get(key) ?? 0) < requeueGapMs) continue;
    recentlyQueued.set(key, now);
    await enqueueDelivery(ctx, ctx.db, row.message_id, [row.channel], priorityOf[row.kind], 1);
    jobsQueued += 1;
  }
  for (const [key, at] of recentlyQueued) if (now - at > 60_000) recentlyQueued.delete(key);
  const fanOutsRequeued = await requeueStalledFanOuts(ctx);
  const sending = await sql<{ message_id: string }>`
    select (select m.id from alert_messages m where m.alert_id = a.id order by m.sequence desc limit 1) as message_id
    from alerts a where a.status = 'sending'`.execute(ctx.db);
  for (const row of sending.rows) if (row.message_id) await markSentWhenDone(ctx.db, row.message_id);
  return { requeued, jobsQueued, fanOutsRequeued };
}

/**
 * A fan-out whose worker died stays `active` in pg-boss until its expiry (minutes): queue it
 * again. Fan-out is safe to re-run (the unique key adds nothing twice), so a slow live one that
 * looks stalled costs only duplicate work, never duplicate deliveries.
 */
async function requeueStalledFanOuts(ctx: AppContext): Promise<number> {
  const stuck = ctx.profile.alerts.delivery.stuckAfterSeconds;
  const stalled = await sql<{ id: string; kind: AlertKind }>`
    select m.id, a.kind from alert_messages m join alerts a on a.id = m.alert_id
    where m.fanned_out_at is null and a.status = 'sending' and m.created_at < now() - interval '5 seconds'
      and not exists (
        select 1 from ${sql.table(`${queueSchema}.job`)} j
        where j.name = ${alertFanoutJob.name} and j.state in ('created', 'retry', 'active')
          and j.data->>'messageId' = m.id::text
          and (j.state <> 'active' or j.started_on > now() - make_interval(secs => ${stuck})))
    limit 50`.execute(ctx.db);
  for (const row of stalled.rows) {
    ctx.log.warn({ messageId: row.id }, 'fan-out stalled (its worker stopped); queued again');
    await ctx.queue.enqueue(
      ctx.db,
      alertFanoutJob,
      { messageId: row.id },
      { priority: priorityOf[row.kind] },
    );
  }
  return stalled.rows.length;
}
