/**
 * What the alert benchmarks share: a demo campus on its own database, the provider simulator, and
 * Tocsin in processes of its own, so each one's memory and CPU are its own and not the load
 * generator's: either `tocsin serve` (which takes the status callbacks) and `tocsin worker`, or one
 * `tocsin start` running both (its children) as `npm start` does. The benchmark's process keeps a database handle
 * to set up the campus, send and follow alerts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startSystem, type RunningSystem } from '../src/app/system.js';
import { sendAlert } from '../src/alerts/send-alert.js';
import { listTemplates } from '../src/alerts/templates.js';
import { generateDemoCampus } from '../src/directory/demo/generate-demo-campus.js';
import type { TokenPrincipal } from '../src/identity/principal.js';
import { noRequest, systemActor } from '../src/platform/actor.js';
import type { AppContext } from '../src/platform/context.js';
import { loadConfig, packageRoot } from '../src/platform/config.js';
import type { StatsSnapshot } from '../src/sim/stats.js';
import { freePort } from '../test/support/ports.js';
import { fullAccessPrincipal } from '../test/support/principals.js';

/** How a scenario prints one figure. */
export type RecordFigure = (name: string, value: string) => void;

const bin = path.join(packageRoot, 'bin', 'tocsin.mjs');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;
/** Epoch milliseconds of an ISO time, NaN when there is none. */
export const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

/** Peak resident memory of a process (VmHWM), MB. */
export function peakRssMb(pid: number): number {
  try {
    return Math.round(
      Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    );
  } catch {
    return 0;
  }
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base))
    if (key.startsWith('TOCSIN_') || key === 'DATABASE_URL') delete base[key];
  return { ...base, ...env };
}

/** Start `tocsin <args>` and resolve once its output matches `ready`. */
export async function spawnUntil(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tocsin ${args[0]} did not start:\n${out}`)), 180_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 100_000) out = out.slice(-50_000);
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`tocsin ${args[0]} exited ${code}:\n${out}`)));
  });
  // Keep draining output so the child never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

/** SIGTERM, then SIGKILL after 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

/** The simulator's counters. */
export async function simStats(control: string): Promise<StatsSnapshot> {
  return (await (await fetch(`${control}/stats`)).json()) as StatsSnapshot;
}

export interface AlertSystemOptions {
  databaseUrl: string;
  people: number;
  /**
   * CPU niceness for the simulator. It stands in for the providers' own machines, which on a real
   * deployment take none of Tocsin's cores; at a higher niceness it yields them to the system under
   * test (Tocsin, PostgreSQL, the load generator) instead of competing as an equal.
   */
  simNice?: number;
  /**
   * `tocsin start`, as `npm start` runs it: a server process per core and the workers, each a
   * child of it, taking the callbacks too (default: `tocsin serve` and `tocsin worker`, one process each).
   */
  asNpmStart?: boolean;
}

/** The running pieces; stop() ends them all. */
export interface AlertSystem {
  system: RunningSystem;
  ctx: AppContext;
  /** Tocsin's server (`tocsin serve`, or `tocsin start` with asNpmStart), e.g. http://127.0.0.1:4711. */
  url: string;
  /** The process behind `url`; with asNpmStart, `tocsin start` (whose children serve and work). */
  server: ChildProcess;
  /** The simulator's control API and base URL. */
  control: string;
  simUrl: string;
  sim: ChildProcess;
  senders: string[];
  principal: TokenPrincipal;
  /** The shelter-in-place template's id. */
  shelterTemplateId: string;
  worker: ChildProcess | null;
  /** (Re)start the worker (with asNpmStart: `tocsin start` and its children) with these senders (`+1617…=rate,…`; default: all at 1,000/s). */
  startWorker(sendersSpec?: string): Promise<ChildProcess>;
  stopWorker(): Promise<void>;
  /** `tocsin serve --processes <cores>` on the same database (a web node that takes no callbacks); stopped with the rest. */
  startServe(): Promise<string>;
  stop(): Promise<void>;
}

const simArgs = (simPort: number, smtpPort: number, senders: string[]) => [
  'sim',
  '--port',
  String(simPort),
  '--smtp-port',
  String(smtpPort),
  '--senders',
  senders.join(','),
  '--sms-rate',
  '0',
  '--call-rate',
  '0',
  '--callback-delay-ms',
  '20',
];

/**
 * The simulator, a demo campus of `people` (timed, recorded), and Tocsin's server and worker (or
 * `tocsin start`) with 8 fast senders.
 */
export async function startAlertSystem(
  record: RecordFigure,
  options: AlertSystemOptions,
): Promise<AlertSystem> {
  const senders = Array.from({ length: 8 }, (_, i) => `+1617555${String(100 + i).padStart(4, '0')}`);
  const [simPort, smtpPort, servePort] = [await freePort(), await freePort(), await freePort()];
  const sim = await spawnUntil(
    simArgs(simPort, smtpPort, senders),
    { TOCSIN_LOG_LEVEL: 'warn' },
    /Press Ctrl-C/,
  );
  if (options.simNice) setPriority(sim.pid!, options.simNice);
  const control = `http://127.0.0.1:${simPort}/control`;
  const url = `http://127.0.0.1:${servePort}`;
  const fast = senders.map((s) => `${s}=1000`).join(',');
  let system: RunningSystem | null = null;
  const serves: ChildProcess[] = [];
  try {
    const simEnv = ((await (await fetch(control)).json()) as { environment: Record<string, string> })
      .environment;
    const env = (sendersSpec: string): Record<string, string> => ({
      ...simEnv,
      DATABASE_URL: options.databaseUrl,
      TOCSIN_PORT: String(servePort),
      TOCSIN_PUBLIC_URL: url,
      TOCSIN_LOG_LEVEL: 'info',
      TOCSIN_TWILIO_SENDERS: sendersSpec,
      TOCSIN_TWILIO_CALLS_PER_SECOND: '1000',
    });
    // This process only reads and writes the database: Tocsin itself runs in child processes.
    system = await startSystem(loadConfig({ ...env(fast), TOCSIN_LOG_LEVEL: 'warn' }), {
      serve: false,
      work: false,
      migrate: true,
      allowEmbedded: false,
    });
    const ctx = system.ctx;
    const t = Date.now();
    await generateDemoCampus(ctx, systemActor, { people: options.people });
    record(
      `demo campus of ${options.people.toLocaleString('en-US')} people: s`,
      ((Date.now() - t) / 1000).toFixed(1),
    );
    const shelter = (await listTemplates(ctx.db)).find((x) => x.hazard === 'shelter_in_place')!.id;
    const startServer = (sendersSpec: string) =>
      options.asNpmStart
        ? spawnUntil(['start'], env(sendersSpec), /Tocsin is running for/)
        : spawnUntil(['serve'], { ...env(fast), TOCSIN_LOG_LEVEL: 'warn' }, /Tocsin server listening/);
    const running: AlertSystem = {
      system,
      ctx,
      url,
      server: await startServer(fast),
      control,
      simUrl: `http://127.0.0.1:${simPort}`,
      sim,
      senders,
      principal: fullAccessPrincipal('benchmark'),
      shelterTemplateId: shelter,
      worker: null,
      async startWorker(sendersSpec = fast) {
        await running.stopWorker();
        if (options.asNpmStart) {
          running.server = await startServer(sendersSpec);
          running.worker = running.server;
        } else {
          running.worker = await spawnUntil(['worker'], env(sendersSpec), /worker started/);
        }
        return running.worker;
      },
      async stopWorker() {
        if (running.worker) await stopChild(running.worker);
        running.worker = null;
      },
      async startServe() {
        const port = await freePort();
        // One server process per core, as nginx's `worker_processes auto` has one worker per core.
        const processes = String(availableParallelism());
        const child = await spawnUntil(
          ['serve', '--processes', processes],
          { ...env(fast), TOCSIN_PORT: String(port), TOCSIN_LOG_LEVEL: 'warn' },
          /Tocsin server listening/,
        );
        serves.push(child);
        return `http://127.0.0.1:${port}`;
      },
      async stop() {
        await running.stopWorker();
        await stopChild(running.server);
        for (const child of serves) await stopChild(child);
        await system?.stop();
        await stopChild(sim);
      },
    };
    if (options.asNpmStart) running.worker = running.server;
    else await running.startWorker();
    return running;
  } catch (error) {
    await system?.stop();
    await stopChild(sim);
    throw error;
  }
}

/** The alert's status ('sending', 'sent', …). */
export async function alertStatus(ctx: AppContext, alertId: string): Promise<string> {
  const alert = await ctx.db
    .selectFrom('alerts')
    .select('status')
    .where('id', '=', alertId)
    .executeTakeFirstOrThrow();
  return alert.status;
}

/** Poll until the alert is sent or `timeoutMs` passes; `onPoll` runs before each check. */
export async function waitUntilSent(
  ctx: AppContext,
  alertId: string,
  timeoutMs: number,
  onPoll: () => Promise<boolean | void> = async () => undefined,
): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    const fast = await onPoll();
    if ((await alertStatus(ctx, alertId)) === 'sent') return;
    await sleep(fast ? 20 : 250);
  }
}

/** Deliveries of an alert per channel and status. */
export async function deliveryCounts(
  ctx: AppContext,
  alertId: string,
): Promise<Array<{ channel: string; status: string; n: number }>> {
  const counts = await sql<{ channel: string; status: string; n: number }>`
    select channel, status, count(*)::int as n from deliveries where alert_id = ${alertId} group by 1, 2`.execute(
    ctx.db,
  );
  return counts.rows;
}

/** Send a campus-wide test alert (shelter in place, everyone) on these channels; its id. */
export async function sendCampusWideTest(
  running: AlertSystem,
  channels: string[],
  audienceReason: string,
): Promise<string> {
  const { alertId } = await sendAlert(running.ctx, running.principal, {
    templateId: running.shelterTemplateId,
    kind: 'test',
    where: 'the whole campus',
    audience: { everyone: true },
    audienceReason,
    channels,
    record: {},
    request: noRequest,
  });
  return alertId;
}
