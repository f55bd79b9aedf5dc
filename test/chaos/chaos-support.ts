import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { parseDocument } from 'yaml';
import type { AudienceSpec } from '../../src/alerts/alerts.tables.js';
import { sendAlert } from '../../src/alerts/send-alert.js';
import { listTemplates } from '../../src/alerts/templates.js';
import type { TokenPrincipal } from '../../src/identity/principal.js';
import { noRequest } from '../../src/platform/actor.js';
import { packageRoot } from '../../src/platform/config.js';
import type { AppContext } from '../../src/platform/context.js';
import type { Db } from '../../src/platform/db/database.js';
import type { Profile } from '../../src/platform/profile.js';
import { spawnTocsin, type RunningTocsin } from '../support/cli.js';
import { fullAccessPrincipal } from '../support/principals.js';

/** Statuses a delivery never leaves. */
const terminalStatuses = [
  'sent',
  'delivered',
  'permanent_failure',
  'technical_failure',
  'suppressed',
  'cancelled',
] as const;

/** The seed of this run: CHAOS_SEED when set (to replay a failure), otherwise a fresh one. */
export function chaosSeed(): number {
  const given = process.env.CHAOS_SEED;
  if (given && /^\d+$/.test(given)) return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** A small seeded generator (mulberry32): the same seed gives the same kill points. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A scratch directory under .test-data for one scenario's files. */
export function scratchDir(prefix: string): string {
  mkdirSync(path.resolve(packageRoot, '.test-data'), { recursive: true });
  return mkdtempSync(path.resolve(packageRoot, '.test-data', `${prefix}-`));
}

/**
 * A copy of the default profile with other delivery-engine numbers (TOCSIN_PROFILE points at it),
 * so a scenario can requeue stuck work in seconds rather than the production half-minute.
 */
export function profileWithDelivery(dir: string, delivery: Partial<Profile['alerts']['delivery']>): string {
  const doc = parseDocument(readFileSync(path.join(packageRoot, 'profiles', 'mit.yaml'), 'utf8'));
  for (const [key, value] of Object.entries(delivery)) doc.setIn(['alerts', 'delivery', key], value);
  const file = path.join(dir, 'profile.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

/** Wait until `check` holds, polling; fail with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 200,
  explain: () => Promise<unknown> = async () => '',
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(await explain(), null, 1)}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Date.now() - started;
}

const chaosSender: TokenPrincipal = fullAccessPrincipal('chaos test');

/** Send a test alert (shelter in place, Building W20) to an audience on some channels; its id. */
export async function sendTestAlert(
  ctx: AppContext,
  audience: AudienceSpec,
  channels: string[],
  reason: string,
): Promise<string> {
  const template = (await listTemplates(ctx.db)).find((t) => t.hazard === 'shelter_in_place')!;
  const { alertId } = await sendAlert(ctx, chaosSender, {
    templateId: template.id,
    kind: 'test',
    where: 'Building W20',
    audience,
    audienceReason: reason,
    channels,
    record: {},
    request: noRequest,
  });
  return alertId;
}

/** An alert's status and whether every message of it has fanned out. */
export async function alertState(db: Db, alertId: string): Promise<{ status: string; fannedOut: boolean }> {
  const row = await sql<{ status: string; fanned_out: boolean }>`
    select a.status, bool_and(m.fanned_out_at is not null) as fanned_out
    from alerts a join alert_messages m on m.alert_id = a.id where a.id = ${alertId} group by a.status`.execute(
    db,
  );
  const r = row.rows[0];
  return { status: r?.status ?? 'missing', fannedOut: r?.fanned_out ?? false };
}

/** Deliveries of an alert per channel and status. */
export async function deliveryCounts(
  db: Db,
  alertId: string,
): Promise<Record<string, Record<string, number>>> {
  const rows = await sql<{ channel: string; status: string; n: number }>`
    select channel, status, count(*)::int as n from deliveries where alert_id = ${alertId}
    group by channel, status`.execute(db);
  const counts: Record<string, Record<string, number>> = {};
  for (const r of rows.rows) (counts[r.channel] ??= {})[r.status] = r.n;
  return counts;
}

/** How many deliveries of an alert have reached a terminal status, and how many there are. */
export async function progressOf(db: Db, alertId: string): Promise<{ done: number; total: number }> {
  const row = await sql<{ done: number; total: number }>`
    select count(*) filter (where status = any(${[...terminalStatuses]}::text[]))::int as done,
           count(*)::int as total
    from deliveries where alert_id = ${alertId}`.execute(db);
  return row.rows[0]!;
}

/**
 * Deliveries of an alert that are not properly finished: not terminal, sent without the
 * provider's acceptance (message id), failed without a reason, or suppressed without one.
 */
export async function unfinishedDeliveries(
  db: Db,
  alertId: string,
): Promise<Array<{ id: string; channel: string; status: string; problem: string }>> {
  const rows = await sql<{ id: string; channel: string; status: string; problem: string }>`
    select id, channel, status, case
      when status <> all(${[...terminalStatuses]}::text[]) then 'not terminal'
      when status = 'sent' and provider_message_id is null and provider is distinct from 'outbox'
        then 'sent without a provider message id'
      when status in ('permanent_failure', 'technical_failure') and last_error is null then 'failed without a reason'
      when status = 'suppressed' and suppression_reason is null then 'suppressed without a reason'
    end as problem
    from deliveries where alert_id = ${alertId}
    order by channel, status limit 20`.execute(db);
  return rows.rows.filter((r) => r.problem !== null);
}

/** Contacts of active people per channel: what an `everyone` alert must create, one delivery each. */
export async function activeContacts(db: Db, channels: readonly string[]): Promise<Record<string, number>> {
  const rows = await sql<{ channel: string; n: number }>`
    select c.channel, count(*)::int as n from contacts c join people p on p.id = c.person_id
    where p.status = 'active' and c.channel = any(${[...channels]}::text[]) group by c.channel`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.channel, r.n]));
}

/** Deliveries of an alert that a worker put back in the queue as stuck in `sending` (its marker in last_error). */
export async function requeuedAsStuck(db: Db, alertId: string): Promise<number> {
  const row = await sql<{ n: number }>`
    select count(*)::int as n from deliveries where alert_id = ${alertId}
    and last_error like '%requeued: its worker stopped while sending%'`.execute(db);
  return row.rows[0]!.n;
}

/** A `tocsin worker` child that can be killed and whose output is kept for the report. */
export async function startWorkerProcess(env: Record<string, string>): Promise<RunningTocsin> {
  const worker = spawnTocsin(['worker'], env);
  await worker.waitFor(/Tocsin worker running/, 60_000);
  return worker;
}

/** Stop a child gracefully (SIGTERM), then for good if it lingers. */
export async function stopProcess(running: RunningTocsin | undefined, graceMs = 15_000): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), graceMs);
  await running.exited();
  clearTimeout(timer);
}

/** One line of JSON per scenario, for the closing note and CI logs. */
export function printSummary(scenario: string, figures: Record<string, unknown>): void {
  console.log(`CHAOS ${JSON.stringify({ scenario, ...figures })}`);
}
