import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { jobWorkerIsDead, workerIsDead } from '../../platform/queue/heartbeat.js';
import { defineLoop } from '../../platform/queue/loop.js';
import { queueSchema } from '../../platform/queue/queue.js';
import { alertFanoutJob, enqueueDelivery, markFinishedAlertsSent } from '../alerts.jobs.js';
import { priorityOf } from '../priorities.js';
import type { AlertKind } from '../alerts.tables.js';

/**
 * Every second, in every worker: deliveries left in `sending` by a worker that died go back to the
 * queue — at once when their worker has stopped beating (platform's heartbeat: silent for 2.5 s),
 * else after `stuckAfterSeconds` without a sign of life (the last resort for a worker that beats
 * but is wedged); retries whose time has come and requeued deliveries get a delivery job; alerts
 * whose deliveries all ended are marked sent. A kill is thus taken over within about 3.5 s.
 */
export const deliverySweepLoop = defineLoop({
  name: 'delivery.sweep',
  everyMs: () => 1_000,
  async run(ctx) {
    const now = Date.now();
    const scanWaiting = now - (lastWaitingScan.get(ctx) ?? 0) >= waitingScanEveryMs;
    if (scanWaiting) lastWaitingScan.set(ctx, now);
    await sweepDeliveries(ctx, { scanWaiting });
  },
});

/**
 * How often the loop looks for waiting work without a job. Queued deliveries count as orphaned
 * only after 5 s untouched anyway, and what a sweep takes from a dead worker gets its job at once.
 */
const waitingScanEveryMs = 5_000;
const lastWaitingScan = new WeakMap<AppContext, number>();

/**
 * A pg-boss job `j` that will still do its work: waiting to run, or running on a worker that still
 * beats and started within `stuckAfterSeconds` (an `active` job older than that, or whose worker
 * went silent, lost its worker; pg-boss only notices at expiry).
 */
function liveJob(ctx: AppContext) {
  return sql`(j.state in ('created', 'retry')
    or (j.state = 'active' and j.started_on > now() - make_interval(secs => ${ctx.profile.alerts.delivery.stuckAfterSeconds})
        and not ${jobWorkerIsDead(sql.ref('j.id'))}))`;
}

export interface SweepResult {
  requeued: number;
  jobsQueued: number;
  fanOutsRequeued: number;
}

/**
 * One sweep. `scanWaiting` (default true) also looks for every queued delivery and due retry that
 * no job will send; without it, only what this sweep took from a dead worker gets its job.
 */
export async function sweepDeliveries(
  ctx: AppContext,
  options: { scanWaiting?: boolean } = {},
): Promise<SweepResult> {
  const stuck = await sql<{ n: number; pairs: string[] | null }>`
    with moved as (
      update deliveries set status = 'queued', updated_at = now(),
        last_error = coalesce(last_error || '; ', '') || 'requeued: its worker stopped while sending'
      where id in (select id from deliveries where status = 'sending'
                   and (${workerIsDead(sql.ref('claimed_by'))}
                        or sending_at < now() - make_interval(secs => ${ctx.profile.alerts.delivery.stuckAfterSeconds}))
                   for update skip locked)
      returning message_id, channel)
    select count(*)::int as n, array_agg(distinct message_id::text || ' ' || channel) as pairs from moved`.execute(
    ctx.db,
  );
  const requeued = stuck.rows[0]!.n;
  // What was just taken from a dead worker needs a job now, not once it has waited 5 s.
  const taken = stuck.rows[0]!.pairs ?? [];
  if (requeued > 0) ctx.log.warn({ requeued }, 'deliveries stuck in sending went back to the queue');
  // Waiting work that no queued or running job will pick up: a job died with its worker, or
  // retries came due after the last job for them ended. A scan finds the pairs with queued
  // deliveries by skipping through deliveries_queued_idx (one probe per pair, not a pass over the
  // backlog) and those with retries now due (deliveries_retry_idx); between scans, only the pairs
  // just taken are looked at.
  const scanWaiting = options.scanWaiting ?? true;
  const waiting = scanWaiting
    ? sql`
      with recursive queued(message_id, channel) as (
        (select message_id, channel from deliveries where status = 'queued' order by message_id, channel limit 1)
        union all
        select n.message_id, n.channel from queued q cross join lateral (
          select d.message_id, d.channel from deliveries d
          where d.status = 'queued' and (d.message_id, d.channel) > (q.message_id, q.channel)
          order by d.message_id, d.channel limit 1) n)
      select q.message_id, q.channel from queued q
      where q.message_id::text || ' ' || q.channel = any(${taken}::text[])
         or exists (select 1 from deliveries d where d.message_id = q.message_id and d.channel = q.channel
                    and d.status = 'queued' and d.updated_at < now() - interval '5 seconds')
      union
      (select distinct d.message_id, d.channel from deliveries d
       where d.status = 'temporary_failure' and d.next_attempt_at <= now() limit 200)`
    : sql`select split_part(p, ' ', 1)::uuid as message_id, split_part(p, ' ', 2) as channel
      from unnest(${taken}::text[]) as p`;
  const due =
    !scanWaiting && taken.length === 0
      ? { rows: [] }
      : await sql<{ message_id: string; channel: string; kind: AlertKind }>`
    select w.message_id, w.channel, a.kind from (${waiting}) w
    join alert_messages m on m.id = w.message_id join alerts a on a.id = m.alert_id
    where not exists (
      select 1 from ${sql.table(`${queueSchema}.job`)} j
      where j.name like 'alert.deliver.%' and j.data->>'messageId' = w.message_id::text
        and j.data->>'channel' = w.channel and ${liveJob(ctx)})`.execute(ctx.db);
  for (const row of due.rows)
    await enqueueDelivery(ctx, ctx.db, row.message_id, [row.channel], priorityOf[row.kind], 1);
  const jobsQueued = due.rows.length;
  const fanOutsRequeued = await requeueStalledFanOuts(ctx);
  await markFinishedAlertsSent(ctx.db);
  return { requeued, jobsQueued, fanOutsRequeued };
}

/**
 * A fan-out whose worker died stays `active` in pg-boss until its expiry (minutes): queue it
 * again. Fan-out is safe to re-run (the unique key adds nothing twice), so a slow live one that
 * looks stalled costs only duplicate work, never duplicate deliveries.
 */
async function requeueStalledFanOuts(ctx: AppContext): Promise<number> {
  const stalled = await sql<{ id: string; kind: AlertKind }>`
    select m.id, a.kind from alert_messages m join alerts a on a.id = m.alert_id
    where m.fanned_out_at is null and a.status = 'sending' and m.created_at < now() - interval '2 seconds'
      and not exists (
        select 1 from ${sql.table(`${queueSchema}.job`)} j
        where j.name = ${alertFanoutJob.name} and j.data->>'messageId' = m.id::text and ${liveJob(ctx)})
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
