import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimSize } from '../../src/alerts/delivery/dispatch.js';
import { generateDemoCampus } from '../../src/directory/demo/generate-demo-campus.js';
import { systemActor } from '../../src/platform/actor.js';
import type { Channel } from '../../src/sim/faults.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { runTocsin, type RunningTocsin } from '../support/cli.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import {
  activeContacts,
  alertState,
  chaosSeed,
  deliveryCounts,
  printSummary,
  profileWithDelivery,
  progressOf,
  scratchDir,
  seededRandom,
  sendTestAlert,
  startWorkerProcess,
  stopProcess,
  unfinishedDeliveries,
  waitUntil,
} from './chaos-support.js';

const people = 20_000;
const kills = 5;
const channels = ['sms', 'email'] as const;
const workerConcurrency = 4;
/**
 * What one worker process can hold claimed at once on one channel: every delivery job of the
 * channel's queue (TOCSIN_WORKER_CONCURRENCY of them per process) holds one claimed batch of
 * `claimSize` while it sends. A SIGKILL can leave at most that much accepted by the provider but
 * not yet recorded, so it bounds what one kill can make the provider see twice.
 */
const inFlightLimit = claimSize * workerConcurrency;
const senders = Array.from({ length: 20 }, (_, i) => `+1857555${String(200 + i).padStart(4, '0')}`);

const seed = chaosSeed();
const random = seededRandom(seed);
let sim: Simulator;
let sys: TestSystem;
let scratch = '';
let workerEnv: Record<string, string>;
let worker: RunningTocsin | undefined;
let workersStarted = 0;

/** Start the next worker process (the previous one's output goes to the scratch directory with CHAOS_DEBUG). */
async function restartWorker(): Promise<number> {
  const booting = Date.now();
  worker = await startWorkerProcess(workerEnv);
  workersStarted += 1;
  return Date.now() - booting;
}

async function killWorker(): Promise<void> {
  worker!.child.kill('SIGKILL');
  await worker!.exited();
  if (process.env.CHAOS_DEBUG)
    writeFileSync(path.join(scratch, `worker-${workersStarted}.log`), worker!.output());
}

beforeAll(async () => {
  console.log(`worker-kill chaos: seed ${seed} (CHAOS_SEED=${seed} replays the kill points)`);
  sim = await startSimulator({ senders, smsSegmentsPerSecond: 60, callbackDelayMs: 20 });
  scratch = scratchDir('chaos-kill');
  const profile = profileWithDelivery(scratch, {
    // Production-like: the takeover within 5 s must come from the heartbeat, not this timeout.
    stuckAfterSeconds: 30,
    retryBaseSeconds: 1,
    retryMaxSeconds: 5,
  });
  sys = await startTestSystem({
    serve: true,
    env: { ...sim.environment, TOCSIN_PROFILE: profile, TOCSIN_DB_POOL_SIZE: '8' },
  });
  workerEnv = {
    ...sim.environment,
    DATABASE_URL: sys.database.url,
    TOCSIN_DATA_DIR: scratch,
    TOCSIN_PROFILE: profile,
    TOCSIN_PUBLIC_URL: sys.url!,
    TOCSIN_WORKER_CONCURRENCY: String(workerConcurrency),
    TOCSIN_DB_POOL_SIZE: '16',
    ...(process.env.CHAOS_DEBUG ? { TOCSIN_LOG_LEVEL: 'info' } : {}),
  };
  const migrated = runTocsin(['migrate'], workerEnv);
  expect(migrated.status, migrated.stderr).toBe(0);
  await generateDemoCampus(sys.ctx, systemActor, { people, seed: `chaos-${seed}` });
}, 180_000);

afterAll(async () => {
  // The last worker may still wait on the fan-out the previous scenario broke: no need to be gentle.
  worker?.child.kill('SIGKILL');
  await stopProcess(worker);
  await sys?.close();
  if (scratch && !process.env.CHAOS_DEBUG) rmSync(scratch, { recursive: true, force: true });
  await sim?.stop();
});

/** Deliveries left in `sending` by the worker just killed (no other worker runs). */
async function heldByDeadWorker(alertId: string): Promise<Array<{ id: string; channel: string }>> {
  const rows = await sql<{ id: string; channel: string }>`
    select id, channel from deliveries where alert_id = ${alertId} and status = 'sending'`.execute(
    sys.ctx.db,
  );
  return rows.rows;
}

/** What a timed-out wait reports: where the send stands, the queue, and the worker's last words. */
async function stateOf(alertId: string): Promise<unknown> {
  const jobs = await sql<{ name: string; state: string; n: number }>`
    select name, state, count(*)::int as n from pgboss.job where name like 'alert.%' group by name, state`.execute(
    sys.ctx.db,
  );
  return {
    alert: await alertState(sys.ctx.db, alertId),
    deliveries: await deliveryCounts(sys.ctx.db, alertId),
    jobs: jobs.rows,
    workerOutput: worker?.output().slice(-3000),
  };
}

/** How many times the simulator accepted each delivery id. */
function acceptancesById(): Map<string, number> {
  const seen = new Map<string, number>();
  for (const channel of channels) {
    for (const m of sim.messages({ channel: channel as Channel, limit: 1_000_000 }))
      if (m.deliveryId) seen.set(m.deliveryId, (seen.get(m.deliveryId) ?? 0) + 1);
  }
  return seen;
}

interface Kill {
  atMs: number;
  fraction: number;
  held: Array<{ id: string; channel: string }>;
  restartMs: number;
  /** Requests the simulator had received and not yet answered when the worker died. */
  inFlight: number;
  /** From the kill to the first delivery the dead worker held being accepted again (null: it held none). */
  resumedMs: number | null;
}

// Issue 14, point 7 asks for two bounds this scenario prints but does not assert yet: resumption
// within 5 s of a kill (resumedSecondsPerKill: here the one worker is killed and restarted, so a
// second, surviving worker is needed for the heartbeat takeover to show) and duplicates per kill
// within the requests in flight (inFlightAtKill: the simulator's count read 0 at every kill in the
// first run, so the count itself is still to be checked).

/** Requests the simulator holds open on every channel now. */
function simulatorInFlight(): number {
  const stats = sim.stats().channels;
  return channels.reduce((n, c) => n + stats[c as Channel].inFlight, 0);
}

/** Time from now until one of `held` is accepted again (sent or delivered after the kill). */
async function resumption(alertId: string, held: ReadonlyArray<{ id: string }>, killedAt: number) {
  if (held.length === 0) return null;
  const ids = held.map((d) => d.id);
  await waitUntil(
    'a delivery of the dead worker to be accepted again',
    async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from deliveries
        where id = any(${ids}::uuid[]) and status in ('sent', 'delivered')`.execute(sys.ctx.db);
      return r.rows[0]!.n > 0;
    },
    60_000,
    50,
    () => stateOf(alertId),
  );
  return Date.now() - killedAt;
}

describe('a worker killed with SIGKILL five times during a 20,000-person send', () => {
  let alertId = '';
  let expected: Record<string, number> = {};
  const killed: Kill[] = [];

  beforeAll(async () => {
    const started = Date.now();
    // Kill points: fractions of the deliveries done, once the fan-out has written them all (a kill
    // during the fan-out is the next scenario), each a little late by a random delay.
    const killAt = Array.from({ length: kills }, () => 0.05 + random() * 0.8).sort((a, b) => a - b);
    const jitterMs = killAt.map(() => Math.floor(random() * 400));
    expected = await activeContacts(sys.ctx.db, channels);
    const expectedTotal = channels.reduce((n, c) => n + (expected[c] ?? 0), 0);
    await restartWorker();
    alertId = await sendTestAlert(
      sys.ctx,
      { everyone: true },
      [...channels],
      'chaos: workers killed mid-send',
    );
    for (const [k, fraction] of killAt.entries()) {
      await waitUntil(
        `the send to reach ${Math.round(fraction * 100)}% before kill ${k + 1}`,
        async () => {
          const [p, a] = await Promise.all([
            progressOf(sys.ctx.db, alertId),
            alertState(sys.ctx.db, alertId),
          ]);
          return a.fannedOut && p.done / expectedTotal >= fraction;
        },
        120_000,
        100,
        () => stateOf(alertId),
      );
      await new Promise((r) => setTimeout(r, jitterMs[k]));
      const inFlight = simulatorInFlight();
      await killWorker();
      const killedAt = Date.now();
      const atMs = killedAt - started;
      const held = await heldByDeadWorker(alertId);
      const restartMs = await restartWorker();
      const resumedMs = await resumption(alertId, held, killedAt);
      killed.push({ atMs, fraction, held, restartMs, inFlight, resumedMs });
    }
    await waitUntil(
      'the alert to be sent after the last restart',
      async () => (await alertState(sys.ctx.db, alertId)).status === 'sent',
      180_000,
      250,
      () => stateOf(alertId),
    );
    const finishedMs = Date.now() - started;
    const dup = duplicatesByKill();
    printSummary('worker-kill', {
      seed,
      people,
      kills,
      killFractions: killed.map((k) => Math.round(k.fraction * 1000) / 1000),
      killAtMs: killed.map((k) => k.atMs),
      restartMs: killed.map((k) => k.restartMs),
      inFlightLimit,
      heldAtKill: killed.map((k) => k.held.length),
      inFlightAtKill: killed.map((k) => k.inFlight),
      duplicatesPerKill: dup.perKill,
      resumedSecondsPerKill: killed.map((k) => (k.resumedMs === null ? null : k.resumedMs / 1000)),
      duplicates: dup.simulator,
      duplicatesByChannel: Object.fromEntries(
        channels.map((c) => [c, sim.stats().channels[c as Channel].duplicates]),
      ),
      finishedMs,
      deliveries: await deliveryCounts(sys.ctx.db, alertId),
    });
  }, 420_000);

  /** Duplicates the simulator saw, each traced to the kill whose worker held the delivery. */
  function duplicatesByKill() {
    const heldBy = new Map<string, number>();
    killed.forEach((kill, i) => kill.held.forEach((d) => heldBy.set(d.id, i)));
    const perKill = killed.map(() => 0);
    const unexplained: string[] = [];
    let traced = 0;
    for (const [id, times] of acceptancesById()) {
      if (times < 2) continue;
      traced += times - 1;
      const kill = heldBy.get(id);
      if (kill === undefined) unexplained.push(id);
      else perKill[kill]! += times - 1;
    }
    const simulator = channels.reduce((n, c) => n + sim.stats().channels[c as Channel].duplicates, 0);
    return { perKill, unexplained, traced, simulator };
  }

  it('loses no delivery: one per contact of every active person, per channel', async () => {
    const counts = await deliveryCounts(sys.ctx.db, alertId);
    for (const channel of channels) {
      const total = Object.values(counts[channel] ?? {}).reduce((a, b) => a + b, 0);
      expect(total, `${channel} deliveries`).toBe(expected[channel]);
    }
  });

  it('ends every delivery: accepted or delivered, or failed or suppressed with a reason', async () => {
    expect(await unfinishedDeliveries(sys.ctx.db, alertId)).toEqual([]);
  });

  it('sends twice only what a killed worker held, at most its in-flight limit per kill', () => {
    const dup = duplicatesByKill();
    expect(dup.unexplained, 'ids accepted twice that no killed worker held').toEqual([]);
    expect(dup.traced).toBe(dup.simulator);
    for (const [i, kill] of killed.entries()) {
      for (const channel of channels)
        expect(kill.held.filter((d) => d.channel === channel).length).toBeLessThanOrEqual(inFlightLimit);
      expect(dup.perKill[i]).toBeLessThanOrEqual(kill.held.length);
    }
    expect(dup.simulator).toBeLessThanOrEqual(kills * inFlightLimit);
  });
});

describe('a worker killed while the fan-out writes the deliveries', () => {
  // The killed alert.fanout job stays `active` in pg-boss until it expires; the sweeper queues
  // the stalled fan-out again once no live job holds it.
  it('resumes the fan-out within seconds of the restart', async () => {
    const alertId = await sendTestAlert(sys.ctx, { everyone: true }, ['email'], 'chaos: kill during fan-out');
    await waitUntil(
      'the first fan-out chunk',
      async () => (await progressOf(sys.ctx.db, alertId)).total > 0,
      60_000,
      20,
    );
    const before = await alertState(sys.ctx.db, alertId);
    await killWorker();
    const restartMs = await restartWorker();
    const started = Date.now();
    let resumedMs: number | null = null;
    try {
      resumedMs = await waitUntil(
        'the fan-out to finish after the restart',
        async () => (await alertState(sys.ctx.db, alertId)).fannedOut,
        45_000,
        250,
        () => stateOf(alertId),
      );
    } finally {
      printSummary('worker-kill-during-fan-out', {
        fannedOutAtKill: before.fannedOut,
        restartMs,
        resumedMs,
        waitedMs: Date.now() - started,
      });
    }
    expect(before.fannedOut, 'the kill came after the fan-out had finished; nothing was tested').toBe(false);
  }, 120_000);
});
