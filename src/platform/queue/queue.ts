import PgBoss from 'pg-boss';
import { executeRaw, type Queryable } from '../db/database.js';
import { AppError } from '../errors.js';
import type { JobSpec } from './job-spec.js';

export const queueSchema = 'pgboss';
/** NOTIFY channel that carries the name of a queue that just received a job. */
export const jobWakeChannel = 'tocsin_jobs';

export interface EnqueueOptions {
  /** Higher runs first; emergency work uses the highest. */
  priority?: number;
  startAfterSeconds?: number;
  singletonKey?: string;
}

/** The job queue (pg-boss on PostgreSQL). Enqueue always runs on the caller's transaction. */
export class JobQueue {
  constructor(readonly boss: PgBoss) {}

  /**
   * Insert a job on the caller's transaction (or handle): if the transaction rolls back, the job
   * never existed. The payload is validated against the job's schema first.
   */
  async enqueue<P>(q: Queryable, job: JobSpec<P>, payload: P, options: EnqueueOptions = {}): Promise<string> {
    const parsed = job.payload.safeParse(payload);
    if (!parsed.success) {
      throw new AppError('internal', `Job ${job.name} was given an invalid payload`, parsed.error.issues);
    }
    const id = await this.boss.send(job.name, parsed.data as object, {
      db: { executeSql: (text: string, values: unknown[]) => executeRaw(q, text, values) },
      priority: options.priority ?? 0,
      startAfter: options.startAfterSeconds,
      singletonKey: options.singletonKey,
      retryLimit: job.retry.limit,
      retryDelay: job.retry.delaySeconds,
      retryBackoff: job.retry.backoff,
      expireInSeconds: job.expireInSeconds,
    });
    if (!id) throw new AppError('conflict', `Job ${job.name} was not queued (a singleton is already queued)`);
    // Wake idle workers of this queue when the transaction commits, instead of at their next poll.
    await executeRaw(q, 'select pg_notify($1, $2)', [jobWakeChannel, job.name]);
    return id;
  }
}

export interface BossOptions {
  /** Install or upgrade pg-boss's own schema (migrate command and the all-in-one start). */
  migrate: boolean;
  /** Run pg-boss maintenance and cron scheduling (worker processes). */
  supervise: boolean;
  poolSize?: number;
}

/** Create and start pg-boss on a connection string. */
export async function startBoss(connectionString: string, options: BossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: queueSchema,
    migrate: options.migrate,
    supervise: options.supervise,
    schedule: options.supervise,
    max: options.poolSize ?? 4,
    application_name: 'tocsin-queue',
  });
  boss.on('error', () => undefined);
  await boss.start();
  return boss;
}

/** Make sure a queue exists for every job definition (idempotent). */
export async function ensureQueues(boss: PgBoss, jobs: readonly JobSpec<never>[]): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const job of jobs) {
    if (!existing.has(job.name)) {
      await boss.createQueue(job.name, {
        name: job.name,
        retryLimit: job.retry.limit,
        retryDelay: job.retry.delaySeconds,
        retryBackoff: job.retry.backoff,
        expireInSeconds: job.expireInSeconds,
      });
    }
  }
}
