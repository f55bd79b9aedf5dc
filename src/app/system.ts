import { flushProviderActivity } from '../alerts/delivery/breakers.js';
import cluster from 'node:cluster';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { loadOrCreateSigningKey } from '../audit/signing-key.js';
import { writeAudit } from '../audit/write-audit.js';
import { ensureConsoleBuilt } from '../console/console-build.js';
import { createDemoCampusIfEmpty, type DemoCampusSummary } from '../directory/demo/generate-demo-campus.js';
import { bootstrapAdministrator } from '../identity/bootstrap-administrator.js';
import type { CreatedOperator } from '../identity/create-operator.js';
import { syncCampuses } from '../platform/campuses.js';
import { syncTemplatesFromProfile } from '../alerts/templates.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { AppContext } from '../platform/context.js';
import { DataDirLockedError, lockDataDir } from '../platform/data-dir-lock.js';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.js';
import { embeddedUrl, startEmbeddedPostgres } from '../platform/db/embedded.js';
import { migrate, migrationStatus } from '../platform/db/migrations.js';
import { buildServer, type App } from '../platform/http/server.js';
import { createLogger } from '../platform/log.js';
import { createMetrics } from '../platform/metrics.js';
import { loadProfile } from './profile.js';
import { JobQueue, ensureQueues, startBoss } from '../platform/queue/queue.js';
import { startLoops } from '../platform/queue/loop.js';
import { startWorker } from '../platform/queue/worker.js';
import { allJobs, allLoops } from './jobs.js';
import { serverPlan } from './routes.js';
// The composed types: every domain's tables and the permission catalogue (declaration merging).
import type {} from './database.js';
import type {} from './permissions.js';

export interface SystemOptions {
  /** Run the HTTP server. */
  serve: boolean;
  /** Run job workers. */
  work: boolean;
  /** Apply migrations (and pg-boss's schema) first; otherwise refuse to run with pending ones. */
  migrate: boolean;
  /** Start an embedded PostgreSQL in the data directory when DATABASE_URL is unset. */
  allowEmbedded: boolean;
  /** Administrative commands: when another process runs the embedded database, use it instead of refusing. */
  shareRunningEmbedded?: boolean;
  /** `tocsin start` on the embedded database: when the directory has no people and no locations, create the demo campus. */
  demoCampus?: boolean;
  /** Listen on this port instead of the configured one (tests use 0). */
  port?: number;
  clock?: Clock;
  log?: Logger;
}

export interface RunningSystem {
  ctx: AppContext;
  app: App | null;
  /** The URL the server listens on, when serving. */
  url: string | null;
  /** Set on the very first start: the first administrator and their one-time secret. */
  firstAdministrator: CreatedOperator | null;
  /** Set when this start created the demo campus because the directory was empty. */
  demoCampus: DemoCampusSummary | null;
  embedded: boolean;
  /** The database this system uses (the embedded one's address when embedded). */
  databaseUrl: string;
  /** Migrations this start applied. */
  appliedMigrations: string[];
  stop(): Promise<void>;
}

interface Resource {
  name: string;
  close(): Promise<void> | void;
}

/**
 * Bring Tocsin up: database (embedded or server), migrations, queue, then the server and/or the
 * workers. `stop` undoes it in reverse: no new requests, in-flight jobs finish or are released,
 * then the database closes (and an embedded one stops).
 */
export async function startSystem(config: Config, options: SystemOptions): Promise<RunningSystem> {
  const log = options.log ?? createLogger(config.logLevel);
  const profile = loadProfile(config.profilePath);
  const resources: Resource[] = [];
  const stop = async () => {
    for (const r of resources.reverse()) {
      try {
        await r.close();
      } catch (error) {
        log.warn({ err: error, resource: r.name }, 'error while stopping');
      }
    }
    resources.length = 0;
  };
  try {
    const { url, embedded } = await resolveDatabase(config, options, log, resources);
    const handle: DatabaseHandle = openDatabase(url, { poolSize: config.dbPoolSize });
    resources.push({ name: 'database pool', close: () => handle.close() });
    // After the job queue has stopped (its last outcomes counted), before the pool closes.
    let context: AppContext | null = null;
    resources.push({
      name: 'provider activity',
      close: () => (context ? flushProviderActivity(context) : undefined),
    });
    const appliedMigrations = await prepareSchema(handle, options.migrate);
    const boss = await startBoss(url, { migrate: options.migrate, supervise: options.work });
    boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
    resources.push({
      name: 'job queue',
      close: () => boss.stop({ graceful: true, wait: true, timeout: config.shutdownTimeoutMs }),
    });
    const ctx: AppContext = {
      config,
      profile,
      db: handle.db,
      queue: new JobQueue(boss),
      log,
      clock: options.clock ?? systemClock,
      metrics: createMetrics(),
    };
    context = ctx;
    const firstAdministrator = options.migrate ? await prepareData(ctx, boss) : null;
    // Only the zero-config embedded database gets a demo campus: an empty production database must stay empty.
    const demoCampus =
      options.migrate && options.demoCampus && embedded ? await createDemoCampusIfEmpty(ctx) : null;
    if (options.work) {
      loadOrCreateSigningKey(config.auditKeyFile);
      const stopWorker = await startWorker(ctx, boss, allJobs, url);
      resources.push({ name: 'job wake-up listener', close: stopWorker });
      resources.push({ name: 'background loops', close: startLoops(ctx, allLoops) });
    }
    const { app, url: listening } = options.serve
      ? await serve(ctx, options, resources)
      : { app: null, url: null };
    return {
      ctx,
      app,
      url: listening,
      firstAdministrator,
      demoCampus,
      embedded,
      databaseUrl: url,
      appliedMigrations,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function resolveDatabase(config: Config, options: SystemOptions, log: Logger, resources: Resource[]) {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false };
  if (!options.allowEmbedded) {
    throw new Error(
      'DATABASE_URL is not set. Separate serve and worker processes need a shared PostgreSQL server; `tocsin start` runs everything on an embedded one.',
    );
  }
  let unlock: () => void;
  try {
    unlock = lockDataDir(config.dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError && options.shareRunningEmbedded) {
      return { url: embeddedUrl(config.embeddedPgPort), embedded: true };
    }
    throw error;
  }
  resources.push({ name: 'data directory lock', close: unlock });
  const pg = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
  resources.push({ name: 'embedded postgres', close: () => pg.stop() });
  return { url: pg.url, embedded: true };
}

async function prepareSchema(handle: DatabaseHandle, apply: boolean): Promise<string[]> {
  if (apply) return migrate(handle.pool);
  const { pending } = await migrationStatus(handle.pool);
  if (pending.length > 0) {
    throw new Error(
      `The database is missing migrations (${pending.join(', ')}). Run \`tocsin migrate\` first.`,
    );
  }
  return [];
}

async function prepareData(ctx: AppContext, boss: PgBoss): Promise<CreatedOperator | null> {
  await ensureQueues(boss, allJobs);
  await syncCampuses(ctx, writeAudit);
  await syncTemplatesFromProfile(ctx);
  return bootstrapAdministrator(ctx);
}

async function serve(ctx: AppContext, options: SystemOptions, resources: Resource[]) {
  // The console is built before listening (about a second, only when its sources changed); a failed
  // build is logged and the server still starts: the plain send form needs no build.
  if (!cluster.isWorker) await ensureConsoleBuilt(ctx.log);
  const app = await buildServer(ctx, serverPlan);
  resources.push({ name: 'http server', close: () => app.close() });
  const address = await app.listen({ host: ctx.config.host, port: options.port ?? ctx.config.port });
  const port = new URL(address).port;
  const url = options.port === undefined ? ctx.config.publicUrl : `http://127.0.0.1:${port}`;
  return { app, url };
}
