import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoCampus } from '../../src/directory/demo/generate-demo-campus.js';
import { systemActor } from '../../src/platform/actor.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import type { RunningTocsin } from '../support/cli.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import {
  activeContacts,
  alertState,
  deliveryCounts,
  printSummary,
  profileWithDelivery,
  requeuedAsStuck,
  scratchDir,
  sendTestAlert,
  startWorkerProcess,
  stopProcess,
  unfinishedDeliveries,
  waitUntil,
} from './chaos-support.js';

const people = 3_000;
const outageMs = 30_000;
/** The first half of the outage answers 500, the second half never answers. */
const errorPhaseMs = outageMs / 2;
const providerTimeoutSeconds = 2;
const sendersOf = (prefix: string) =>
  Array.from({ length: 4 }, (_, i) => `+1${prefix}555${String(300 + i).padStart(4, '0')}`);
const segmentsPerSecond = 25;

let primary: Simulator;
let secondary: Simulator;
let sys: TestSystem;
let worker: RunningTocsin | undefined;
let workerEnv: Record<string, string>;
let scratch = '';

/** A Twilio-compatible provider of the providers file, pointing at one simulator. */
function twilioEntry(name: string, sim: Simulator) {
  return {
    type: 'twilio',
    name,
    channels: ['sms'],
    baseUrl: sim.urls.twilio,
    accountSid: sim.settings.accountSid,
    authToken: sim.settings.authToken,
    senders: [...sim.settings.senders].map((number) => ({ number, segmentsPerSecond })),
    timeoutSeconds: providerTimeoutSeconds,
  };
}

beforeAll(async () => {
  primary = await startSimulator({
    senders: sendersOf('617'),
    smsSegmentsPerSecond: segmentsPerSecond,
    accountSid: 'AC11111111111111111111111111111111',
    authToken: '11111111111111111111111111111111',
    callbackDelayMs: 20,
  });
  secondary = await startSimulator({
    senders: sendersOf('857'),
    smsSegmentsPerSecond: segmentsPerSecond,
    accountSid: 'AC22222222222222222222222222222222',
    authToken: '22222222222222222222222222222222',
    callbackDelayMs: 20,
  });
  const dir = scratchDir('chaos-outage');
  scratch = dir;
  const providersFile = path.join(dir, 'providers.yaml');
  writeFileSync(
    providersFile,
    stringify({ providers: [twilioEntry('sms-primary', primary), twilioEntry('sms-secondary', secondary)] }),
  );
  const profile = profileWithDelivery(dir, {
    circuitFailureThreshold: 20,
    circuitOpenSeconds: 5,
    retryBaseSeconds: 1,
    retryMaxSeconds: 5,
    stuckAfterSeconds: 10,
  });
  const env = { TOCSIN_PROVIDERS_FILE: providersFile, TOCSIN_PROFILE: profile };
  sys = await startTestSystem({ serve: true, env });
  workerEnv = {
    ...env,
    DATABASE_URL: sys.database.url,
    TOCSIN_DATA_DIR: dir,
    TOCSIN_PUBLIC_URL: sys.url!,
    TOCSIN_WORKER_CONCURRENCY: '4',
    ...(process.env.CHAOS_DEBUG ? { TOCSIN_LOG_LEVEL: 'info' } : {}),
  };
  await generateDemoCampus(sys.ctx, systemActor, { people, seed: 'chaos-outage' });
  worker = await startWorkerProcess(workerEnv);
}, 180_000);

afterAll(async () => {
  if (process.env.CHAOS_DEBUG && worker) writeFileSync(path.join(scratch, 'worker.log'), worker.output());
  await stopProcess(worker);
  await sys?.close();
  if (scratch && !process.env.CHAOS_DEBUG) rmSync(scratch, { recursive: true, force: true });
  await primary?.stop();
  await secondary?.stop();
});

async function primaryCircuit(): Promise<string | null> {
  const row = await sql<{ circuit: string }>`
    select circuit from provider_health where provider = 'sms-primary'`.execute(sys.ctx.db);
  return row.rows[0]?.circuit ?? null;
}

async function byProvider(alertId: string): Promise<Record<string, number>> {
  const rows = await sql<{ provider: string | null; n: number }>`
    select provider, count(*)::int as n from deliveries where alert_id = ${alertId} and status <> 'suppressed'
    group by provider`.execute(sys.ctx.db);
  return Object.fromEntries(rows.rows.map((r) => [r.provider ?? 'none', r.n]));
}

async function notYetDelivered(alertId: string): Promise<number> {
  const row = await sql<{ n: number }>`
    select count(*)::int as n from deliveries where alert_id = ${alertId}
    and status not in ('delivered', 'suppressed')`.execute(sys.ctx.db);
  return row.rows[0]!.n;
}

async function stateOf(alertId: string): Promise<unknown> {
  return {
    alert: await alertState(sys.ctx.db, alertId),
    deliveries: await deliveryCounts(sys.ctx.db, alertId),
    providers: await byProvider(alertId),
    circuit: await primaryCircuit(),
    workerOutput: worker?.output().slice(-3000),
  };
}

interface Outcome {
  alertId: string;
  secondAlertId: string;
  expected: number;
  circuitChanges: Array<[number, string]>;
  outageStartedMs: number;
  circuitAfter: string | null;
}

/** The primary's circuit changes as the worker logged them: [ms since `since`, from, to]. */
function loggedCircuitChanges(since: number): Array<[number, string, string]> {
  const changes: Array<[number, string, string]> = [];
  for (const line of worker?.output().split('\n') ?? []) {
    if (!line.includes('provider circuit changed') || !line.includes('"sms-primary"')) continue;
    const entry = JSON.parse(line) as { time: number; from: string; to: string };
    changes.push([entry.time - since, entry.from, entry.to]);
  }
  return changes;
}

/** The delivery ids each simulator accepted (once or more). */
const acceptedIds = (sim: Simulator) =>
  new Set(sim.messages({ channel: 'sms', limit: 1_000_000 }).map((m) => m.deliveryId));

/**
 * Send to everyone; once the primary has carried 400 messages, make it answer 500 for 15 s, then
 * never answer for 15 s; wait for every receipt; then send a small alert after the outage.
 */
async function runOutage(): Promise<Outcome> {
  const started = Date.now();
  const expected = (await activeContacts(sys.ctx.db, ['sms'])).sms!;
  const alertId = await sendTestAlert(sys.ctx, { everyone: true }, ['sms'], 'chaos: primary SMS outage');
  await waitUntil(
    'the primary to carry 400 messages',
    async () => primary.stats().channels.sms.accepted >= 400,
    60_000,
    100,
    () => stateOf(alertId),
  );
  const outageStartedMs = Date.now() - started;
  primary.setFaults({ sms: { outages: [{ startsInMs: 0, durationMs: errorPhaseMs, status: 500 }] } });
  // The primary's circuit as provider_health shows it, each change with its time.
  const circuitChanges: Array<[number, string]> = [];
  const watch = setInterval(() => {
    void primaryCircuit().then((c) => {
      if (c && circuitChanges.at(-1)?.[1] !== c) circuitChanges.push([Date.now() - started, c]);
    });
  }, 200);
  await new Promise((r) => setTimeout(r, errorPhaseMs));
  primary.setFaults({ sms: { outages: [], timeoutRate: 1, timeoutMs: 0 } });
  await new Promise((r) => setTimeout(r, outageMs - errorPhaseMs));
  primary.setFaults({ sms: { timeoutRate: 0 } });
  const outageEndedMs = Date.now() - started;
  const primaryAcceptedBefore = primary.stats().channels.sms.accepted;
  const sentMs = await waitUntil(
    'the first alert to be sent',
    async () => (await alertState(sys.ctx.db, alertId)).status === 'sent',
    180_000,
    250,
    () => stateOf(alertId),
  ).then(() => Date.now() - started);
  await waitUntil(
    'every receipt of the first alert',
    async () => (await notYetDelivered(alertId)) === 0,
    60_000,
    250,
    () => stateOf(alertId),
  );
  const deliveredMs = Date.now() - started;
  clearInterval(watch);
  const secondAlertId = await sendTestAlert(sys.ctx, { locationCodes: ['W20'] }, ['sms'], 'chaos: after');
  await waitUntil(
    'the second alert to be sent',
    async () => (await alertState(sys.ctx.db, secondAlertId)).status === 'sent',
    60_000,
    250,
    () => stateOf(secondAlertId),
  );
  const circuitAfter = await primaryCircuit();
  const onPrimary = acceptedIds(primary);
  const p = primary.stats().channels.sms;
  const s = secondary.stats().channels.sms;
  const retried = await sql<{ n: number }>`
    select count(*)::int as n from deliveries where alert_id = ${alertId} and attempts > 1`.execute(
    sys.ctx.db,
  );
  printSummary('provider-outage', {
    people,
    smsDeliveries: expected,
    outageMs,
    outageStartedMs,
    outageEndedMs,
    circuitChanges,
    circuitOpenedAfterOutageStartMs:
      (circuitChanges.find(([, c]) => c === 'open')?.[0] ?? NaN) - outageStartedMs,
    circuitAfter,
    circuitLog: loggedCircuitChanges(started),
    sentMs,
    deliveredMs,
    byProvider: await byProvider(alertId),
    retried: retried.rows[0]!.n,
    requeuedAsStuck: await requeuedAsStuck(sys.ctx.db, alertId),
    primary: {
      requests: p.requests,
      accepted: p.accepted,
      rejected: p.rejected,
      afterOutage: p.accepted - primaryAcceptedBefore,
    },
    secondary: { requests: s.requests, accepted: s.accepted, rejected: s.rejected },
    segmentsPerMessage: Math.round(((p.segments ?? 0) / Math.max(1, p.accepted)) * 100) / 100,
    acceptedByBoth: [...acceptedIds(secondary)].filter((id) => onPrimary.has(id)).length,
    duplicates: { primary: p.duplicates, secondary: s.duplicates },
    secondAlert: await byProvider(secondAlertId),
  });
  return { alertId, secondAlertId, expected, circuitChanges, outageStartedMs, circuitAfter };
}

describe('the primary SMS provider fails for 30 s in the middle of a send', () => {
  let outcome: Outcome;
  beforeAll(async () => {
    outcome = await runOutage();
  }, 360_000);

  it('delivers every message: through the secondary while the primary is down, with receipts', async () => {
    const counts = (await deliveryCounts(sys.ctx.db, outcome.alertId)).sms ?? {};
    expect(await unfinishedDeliveries(sys.ctx.db, outcome.alertId)).toEqual([]);
    expect(counts.delivered).toBe(outcome.expected - (counts.suppressed ?? 0));
    expect(secondary.stats().channels.sms.accepted).toBeGreaterThan(0);
    const rejected = primary.stats().channels.sms.rejected;
    expect(rejected['500'], 'the primary answered 500').toBeGreaterThan(0);
    expect(rejected.timeout, 'the primary stopped answering').toBeGreaterThan(0);
  });

  it('opens the primary’s circuit during the outage, as provider_health and the worker log show', () => {
    expect(outcome.circuitChanges.map(([, c]) => c)).toContain('open');
    expect(worker!.output()).toMatch(/"provider":"sms-primary","from":"closed","to":"open"/);
  });

  it('sends the next alert after the outage through the primary again', async () => {
    const second = await sql<{ id: string }>`
      select id from deliveries where alert_id = ${outcome.secondAlertId} and status <> 'suppressed'`.execute(
      sys.ctx.db,
    );
    expect(second.rows.length).toBeGreaterThan(0);
    const onPrimary = acceptedIds(primary);
    const onSecondary = acceptedIds(secondary);
    expect(second.rows.filter((d) => !onPrimary.has(d.id) || onSecondary.has(d.id))).toEqual([]);
  });

  it('shows the primary’s circuit closed in provider_health after the outage', () => {
    expect(outcome.circuitAfter).toBe('closed');
  });

  // A message a provider failed retryably stays its worker's (touchSending) while the batch
  // waits for that provider and then fails over: the sweeper never requeues it.
  it('sends no message twice, to either provider', async () => {
    const onPrimary = acceptedIds(primary);
    expect([...acceptedIds(secondary)].filter((id) => onPrimary.has(id))).toEqual([]);
    expect(primary.stats().channels.sms.duplicates + secondary.stats().channels.sms.duplicates).toBe(0);
    expect(await requeuedAsStuck(sys.ctx.db, outcome.alertId), 'requeued as stuck with no worker dead').toBe(
      0,
    );
  });

  it('records which provider carried each message', async () => {
    for (const id of [outcome.alertId, outcome.secondAlertId])
      expect((await byProvider(id)).none ?? 0, 'deliveries that do not name their provider').toBe(0);
  });
});
