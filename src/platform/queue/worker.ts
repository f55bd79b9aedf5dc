import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.js';
import type { JobDefinition } from './job.js';
import { holdJob, releaseJob, startHeartbeat } from './heartbeat.js';
import { ensureQueues, jobWakeChannel, queueSchema } from './queue.js';

/** Raised when queued jobs exist that this build has no handler for. */
export class UnhandledJobsError extends Error {
  constructor(names: string[]) {
    super(
      `Queued jobs have no handler in this build: ${names.join(', ')}. Deploy the version that queued them, or remove them.`,
    );
    this.name = 'UnhandledJobsError';
  }
}

/** Names of queued jobs that no definition handles. */
async function unhandledJobNames(boss: PgBoss, jobs: readonly JobDefinition<never>[]): Promise<string[]> {
  const known = new Set(jobs.map((j) => j.name));
  const db = boss.getDb();
  const result = await db.executeSql(
    `select distinct name from ${queueSchema}.job where state in ('created', 'retry') and name not like '\\_\\_%'`,
    [],
  );
  return (result.rows as Array<{ name: string }>).map((r) => r.name).filter((n) => !known.has(n));
}

/** How long a stopping worker waits for its running jobs before it stops beating. */
const drainMs = 30_000;

/**
 * Work every job definition: validate the payload, run the handler, let pg-boss retry on failure.
 * Refuses to start when queued jobs have no handler, rather than letting them rot.
 */
export async function startWorker(
  ctx: AppContext,
  boss: PgBoss,
  jobs: readonly JobDefinition<never>[],
  connectionString?: string,
): Promise<() => Promise<void>> {
  const unhandled = await unhandledJobNames(boss, jobs);
  if (unhandled.length > 0) throw new UnhandledJobsError(unhandled);
  await ensureQueues(boss, jobs);
  const log = ctx.log.child({ component: 'worker' });
  // Alive before taking any work, so what this worker holds is never mistaken for a dead one's.
  const stopHeartbeat = await startHeartbeat(ctx, connectionString);
  const workerIds = new Map<string, string[]>();
  /** Handlers running now: the heartbeat outlives them, so a stopping worker's jobs never look orphaned. */
  let running = 0;
  for (const job of jobs as readonly JobDefinition<unknown>[]) {
    const cron = job.schedule?.(ctx);
    if (cron) await boss.schedule(job.name, cron, {}, { tz: ctx.profile.institution.timezone });
    // A schedule pg-boss kept from an earlier configuration must stop when its cron is unset.
    else if (cron === null) await boss.unschedule(job.name);
    for (let i = 0; i < ctx.config.workerConcurrency; i += 1) {
      const id = await boss.work(job.name, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([item]) => {
        if (!item) return;
        const payload = job.payload.safeParse(item.data ?? {});
        if (!payload.success) {
          ctx.metrics.jobsCompleted.inc({ queue: job.name, outcome: 'invalid' });
          log.error(
            { job: job.name, jobId: item.id, issues: payload.error.issues },
            'job payload invalid; not retried',
          );
          return;
        }
        // Which worker runs the job: if this one dies, another sees it within seconds.
        running += 1;
        await holdJob(ctx, item.id);
        try {
          await job.handle(ctx, payload.data);
          ctx.metrics.jobsCompleted.inc({ queue: job.name, outcome: 'completed' });
        } catch (error) {
          ctx.metrics.jobsCompleted.inc({ queue: job.name, outcome: 'failed' });
          log.warn({ job: job.name, jobId: item.id, err: error }, 'job failed; pg-boss will retry');
          throw error;
        } finally {
          await releaseJob(ctx, item.id).catch(() => undefined);
          running -= 1;
        }
      });
      workerIds.set(job.name, [...(workerIds.get(job.name) ?? []), id]);
    }
  }
  const stopListening = connectionString
    ? await listenForJobs(connectionString, boss, workerIds, log)
    : async () => undefined;
  log.info({ queues: jobs.map((j) => j.name), concurrency: ctx.config.workerConcurrency }, 'worker started');
  return async () => {
    await stopListening();
    for (const name of workerIds.keys()) await boss.offWork(name);
    const deadline = Date.now() + drainMs;
    while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await stopHeartbeat();
  };
}

/**
 * Wake the workers of a queue as soon as a job is committed to it (NOTIFY from `enqueue`), so
 * urgent work starts in milliseconds rather than at the next one-second poll. Polling remains the
 * fallback: a lost notification only costs the poll interval.
 */
async function listenForJobs(
  connectionString: string,
  boss: PgBoss,
  workerIds: Map<string, string[]>,
  log: AppContext['log'],
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString, application_name: 'tocsin-wake' });
  client.on('error', (error) => log.warn({ err: error }, 'job wake-up listener failed; polling continues'));
  client.on('notification', (message) => {
    for (const id of workerIds.get(message.payload ?? '') ?? []) boss.notifyWorker(id);
  });
  try {
    await client.connect();
    await client.query(`listen ${jobWakeChannel}`);
  } catch (error) {
    log.warn({ err: error }, 'job wake-up listener unavailable; polling continues');
    await client.end().catch(() => undefined);
    return async () => undefined;
  }
  return () => client.end().catch(() => undefined);
}
