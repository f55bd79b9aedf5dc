import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../context.js';
import { openDatabase, type Queryable } from '../db/database.js';

/** How often a working process says it is alive. */
const beatEveryMs = 500;
/** A worker silent this long is dead: another takes over its work. */
const deadAfterSeconds = 2.5;

const processWorkerId = randomUUID();
let beating = false;

/**
 * This process's worker id, once it has announced itself (null before: work claimed by a process
 * that does not beat must not look dead, so it is not labelled).
 */
export function currentWorkerId(): string | null {
  return beating ? processWorkerId : null;
}

async function beat(db: Queryable): Promise<void> {
  await sql`insert into workers (id, host, pid) values (${processWorkerId}, ${hostname()}, ${process.pid})
    on conflict (id) do update set last_seen = now()`.execute(db);
}

/**
 * Announce this worker now and every second after; the returned function stops. Workers dead for a
 * day are forgotten. The beat has a connection of its own (when the process knows its database's
 * address): a pool busy with a large send must not delay it past `deadAfterSeconds`, or a live
 * worker would look dead and its work be taken over and sent twice.
 */
export async function startHeartbeat(
  ctx: AppContext,
  connectionString?: string,
): Promise<() => Promise<void>> {
  const own = connectionString
    ? openDatabase(connectionString, { poolSize: 1, applicationName: 'tocsin heartbeat' })
    : undefined;
  const db = own?.db ?? ctx.db;
  await beat(db);
  beating = true;
  let beats = 0;
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beats += 1;
    pending = beat(db)
      .then(async () => {
        if (beats % 1_200 === 0)
          await sql`with gone as (delete from workers where last_seen < now() - interval '1 day' returning id)
            delete from worker_jobs where worker_id in (select id from gone)`.execute(db);
      })
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'worker heartbeat failed'));
  }, beatEveryMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    beating = false;
    await pending;
    await own?.close();
  };
}

/** Note that this worker runs a job (the row goes when the job ends). */
export async function holdJob(ctx: AppContext, jobId: string): Promise<void> {
  if (!beating) return;
  await sql`insert into worker_jobs (job_id, worker_id) values (${jobId}, ${processWorkerId})
    on conflict (job_id) do update set worker_id = excluded.worker_id, started_at = now()`.execute(ctx.db);
}

export async function releaseJob(ctx: AppContext, jobId: string): Promise<void> {
  await sql`delete from worker_jobs where job_id = ${jobId}`.execute(ctx.db);
}

/**
 * SQL: the worker whose id is `workerId` (an expression) has not beaten lately, or is unknown. Never
 * this process itself: it is running the query, so it is alive even if a starved beat is late.
 */
export function workerIsDead(workerId: RawBuilder<unknown>): RawBuilder<boolean> {
  const me = currentWorkerId();
  return sql<boolean>`(${workerId} is not null ${me ? sql`and ${workerId} <> ${me}::uuid` : sql``}
    and not exists (select 1 from workers w
    where w.id = ${workerId} and w.last_seen > now() - make_interval(secs => ${deadAfterSeconds})))`;
}

/** SQL: the pg-boss job whose id is `jobId` is held by a worker that has stopped beating. */
export function jobWorkerIsDead(jobId: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from worker_jobs h where h.job_id = ${jobId}
    and ${workerIsDead(sql.ref('h.worker_id'))})`;
}
