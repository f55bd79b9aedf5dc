import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { noRequest, systemActor } from '../../platform/actor.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import type { TokenPrincipal } from '../../identity/principal.js';
import { sendAlert } from '../send-alert.js';
import { listTemplates } from '../templates.js';
import { breakerFor } from './breakers.js';
import type { DeliveryProvider, OutgoingMessage, SendOutcome } from './provider.js';
import { providerRegistry, setProviderRegistry } from './provider-registry.js';
import { queueSchema } from '../../platform/queue/queue.js';
import { sweepDeliveries } from './sweeper.js';
import { fullAccessPrincipal } from '../../../test/support/principals.js';

let sys: TestSystem;
let sender: TokenPrincipal;
let shelter: string;
const original = { delivery: {} as TestSystem['ctx']['profile']['alerts']['delivery'], maxAge: 0 };

beforeAll(async () => {
  sys = await startTestSystem({
    work: true,
    serve: false,
    env: { TOCSIN_LOG_LEVEL: process.env.DBG ? 'warn' : 'silent' },
  });
  await generateDemoCampus(sys.ctx, systemActor, { people: 120 });
  sender = fullAccessPrincipal('test sender');
  shelter = (await listTemplates(sys.ctx.db)).find((t) => t.name === 'Shelter in place')!.id;
  original.delivery = { ...sys.ctx.profile.alerts.delivery };
  original.maxAge = sys.ctx.profile.alerts.deliveryMaxAgeMinutes;
  Object.assign(sys.ctx.profile.alerts.delivery, {
    retryBaseSeconds: 0.2,
    retryMaxSeconds: 0.5,
    circuitOpenSeconds: 1,
  });
}, 60_000);
afterEach(() => {
  Object.assign(sys.ctx.profile.alerts.delivery, {
    retryBaseSeconds: 0.2,
    retryMaxSeconds: 0.5,
    circuitOpenSeconds: 1,
  });
  sys.ctx.profile.alerts.deliveryMaxAgeMinutes = original.maxAge;
});
afterAll(async () => {
  await sys?.close();
});

/** A provider whose answer per message is decided by the test. */
function fakeProvider(
  name: string,
  decide: (m: OutgoingMessage, call: number) => SendOutcome['kind'] | 'throw',
): DeliveryProvider & { calls: number; seen: string[] } {
  const provider = {
    name,
    channels: ['sms'] as const,
    calls: 0,
    seen: [] as string[],
    async send(batch: readonly OutgoingMessage[], _r: unknown, report: (o: SendOutcome[]) => void) {
      provider.calls += 1;
      const outcomes: SendOutcome[] = [];
      for (const m of batch) {
        provider.seen.push(m.deliveryId);
        const kind = decide(m, provider.calls);
        if (kind === 'throw') throw new Error('connection reset');
        if (kind === 'accepted' || kind === 'delivered')
          outcomes.push({
            deliveryId: m.deliveryId,
            kind,
            providerMessageId: `${name}-${m.deliveryId}`,
            sender: '+16175550100',
          });
        else if (kind === 'permanent')
          outcomes.push({ deliveryId: m.deliveryId, kind, error: 'invalid number', code: '21211' });
        else
          outcomes.push({
            deliveryId: m.deliveryId,
            kind: 'retryable',
            error: `${name}: HTTP 500`,
            code: 'http_500',
          });
      }
      report(outcomes);
    },
  };
  return provider;
}

async function send(): Promise<string> {
  const { alertId } = await sendAlert(sys.ctx, sender, {
    templateId: shelter,
    kind: 'test',
    where: 'Building W20',
    audience: { everyone: true },
    audienceReason: 'delivery engine test',
    channels: ['sms'],
    record: {},
    request: noRequest,
  });
  return alertId;
}

async function statuses(alertId: string): Promise<Record<string, number>> {
  const rows = await sys.ctx.db
    .selectFrom('deliveries')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('alert_id', '=', alertId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const waiting = ['created', 'queued', 'sending', 'temporary_failure'];
const settled = async (alertId: string) => {
  const fanned = await sys.ctx.db
    .selectFrom('alert_messages')
    .select('fanned_out_at')
    .where('alert_id', '=', alertId)
    .executeTakeFirst();
  if (!fanned?.fanned_out_at) return false;
  const s = await statuses(alertId);
  return waiting.every((w) => !s[w]);
};

describe('the delivery engine', () => {
  it('retries retryable failures with backoff until the provider accepts', async () => {
    const failedOnce = new Set<string>();
    const flaky = fakeProvider('flaky', (m) => {
      if (failedOnce.has(m.deliveryId)) return 'accepted';
      failedOnce.add(m.deliveryId);
      return 'retryable';
    });
    setProviderRegistry(sys.ctx, [flaky]);
    const alertId = await send();
    await until(() => settled(alertId));
    const s = await statuses(alertId);
    expect(s.sent).toBeGreaterThan(50);
    expect(Object.keys(s).sort()).toEqual(expect.arrayContaining(['sent']));
    const row = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['attempts', 'provider', 'provider_message_id', 'sender', 'last_error'])
      .where('alert_id', '=', alertId)
      .where('status', '=', 'sent')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 2, provider: 'flaky', sender: '+16175550100' });
    expect(row.provider_message_id).toMatch(/^flaky-/);
    await until(async () => (await alertStatus(alertId)) === 'sent');
  });

  it('keeps permanent failures without retrying them', async () => {
    const refusing = fakeProvider('refusing', () => 'permanent');
    setProviderRegistry(sys.ctx, [refusing]);
    const alertId = await send();
    await until(() => settled(alertId));
    const s = await statuses(alertId);
    expect(s.permanent_failure).toBe(new Set(refusing.seen).size);
    expect(refusing.seen.length).toBe(new Set(refusing.seen).size);
    const row = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['last_error', 'error_code', 'attempts'])
      .where('alert_id', '=', alertId)
      .where('status', '=', 'permanent_failure')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ last_error: 'invalid number', error_code: '21211', attempts: 1 });
  });

  it('gives up after the maximum age: technical_failure with the last error kept', async () => {
    sys.ctx.profile.alerts.deliveryMaxAgeMinutes = 0.02; // 1.2 s
    setProviderRegistry(sys.ctx, [fakeProvider('down', () => 'throw')]);
    const alertId = await send();
    await until(() => settled(alertId));
    const s = await statuses(alertId);
    expect(Object.keys(s).filter((k) => k !== 'suppressed')).toEqual(['technical_failure']);
    const row = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['last_error', 'attempts'])
      .where('alert_id', '=', alertId)
      .where('status', '=', 'technical_failure')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.last_error).toMatch(/down: connection reset.*; gave up: no success within/);
    expect(row.attempts).toBeGreaterThanOrEqual(1);
    await until(async () => (await alertStatus(alertId)) === 'sent');
  });

  it('fails over to the next provider, opens the circuit, and closes it when the primary recovers', async () => {
    sys.ctx.profile.alerts.delivery.circuitFailureThreshold = 10;
    let primaryUp = false;
    const primary = fakeProvider('primary', () => (primaryUp ? 'accepted' : 'retryable'));
    const secondary = fakeProvider('secondary', () => 'accepted');
    setProviderRegistry(sys.ctx, [primary, secondary]);
    const alertId = await send();
    await until(() => settled(alertId));
    const byProvider = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['provider', (eb) => eb.fn.countAll<string>().as('n')])
      .where('alert_id', '=', alertId)
      .where('status', '<>', 'suppressed')
      .groupBy('provider')
      .execute();
    expect(byProvider).toEqual([{ provider: 'secondary', n: expect.any(String) }]);
    expect(breakerFor(sys.ctx, 'primary').state).toBe('open');
    const health = () =>
      sys.ctx.db
        .selectFrom('provider_health')
        .selectAll()
        .where('provider', '=', 'primary')
        .executeTakeFirst();
    await until(async () => (await health())?.circuit === 'open');
    expect(await health()).toMatchObject({ circuit: 'open', last_error: 'primary: HTTP 500' });
    // Primary recovers: after the open period, a probe goes to it and closes the circuit.
    primaryUp = true;
    await new Promise((r) => setTimeout(r, 1100));
    const callsBefore = primary.calls;
    const next = await send();
    await until(() => settled(next));
    expect(primary.calls).toBeGreaterThan(callsBefore);
    expect(breakerFor(sys.ctx, 'primary').state).toBe('closed');
    await until(async () => (await health())?.circuit === 'closed');
    sys.ctx.profile.alerts.delivery.circuitFailureThreshold = original.delivery.circuitFailureThreshold;
  });

  it('records every outcome when a write fails with a transient PostgreSQL error, and sends nothing twice', async () => {
    // A real database error, not a mock: the first two statements that move a delivery from
    // sending to sent raise (a sequence counts them, outside the failed transactions).
    await sql`create sequence transient_write_failures`.execute(sys.ctx.db);
    await sql`create function fail_transiently() returns trigger language plpgsql as $$
      begin
        if nextval('transient_write_failures') <= 2 then
          raise exception 'injected transient failure' using errcode = '40001';
        end if;
        return new;
      end $$`.execute(sys.ctx.db);
    await sql`create trigger fail_transiently before update on deliveries for each row
      when (old.status = 'sending' and new.status = 'sent') execute function fail_transiently()`.execute(
      sys.ctx.db,
    );
    try {
      // Outcomes a few at a time, so the batch makes several writes after the failed one.
      const seen: string[] = [];
      const trickling: DeliveryProvider = {
        name: 'trickling',
        channels: ['sms'],
        async send(batch, _r, report) {
          for (const m of batch) {
            seen.push(m.deliveryId);
            report([{ deliveryId: m.deliveryId, kind: 'accepted', providerMessageId: `t-${m.deliveryId}` }]);
            await new Promise((r) => setImmediate(r));
          }
        },
      };
      setProviderRegistry(sys.ctx, [trickling]);
      const alertId = await send();
      await until(() => settled(alertId));
      const s = await statuses(alertId);
      // Every delivery sent (a person with no usable address is suppressed, never sent).
      expect(Object.keys(s).filter((k) => k !== 'sent' && k !== 'suppressed')).toEqual([]);
      expect(seen.length).toBe(s.sent);
      expect(new Set(seen).size).toBe(seen.length);
      const failures = await sql<{ n: string }>`select last_value as n from transient_write_failures`.execute(
        sys.ctx.db,
      );
      expect(Number(failures.rows[0]!.n)).toBeGreaterThan(2);
    } finally {
      await sql`drop trigger fail_transiently on deliveries`.execute(sys.ctx.db);
      await sql`drop function fail_transiently()`.execute(sys.ctx.db);
      await sql`drop sequence transient_write_failures`.execute(sys.ctx.db);
    }
  });

  it('puts deliveries stuck in sending back in the queue and sends them', async () => {
    // A provider that never answers stands for a worker that died mid-send.
    setProviderRegistry(sys.ctx, []);
    providerRegistry(sys.ctx);
    const hung = fakeProvider('hung', () => 'accepted');
    const alertId = await send();
    await until(async () => ((await statuses(alertId)).delivered ?? 0) > 0);
    await until(() => settled(alertId));
    // Simulate the crash: move some delivered rows back to sending, long ago.
    const moved = await sql<{
      n: number;
    }>`with m as (update deliveries set status = 'sending', sending_at = now() - interval '1 hour'
      where id in (select id from deliveries where alert_id = ${alertId} and status = 'delivered' limit 10) returning 1) select count(*)::int as n from m`.execute(
      sys.ctx.db,
    );
    expect(moved.rows[0]!.n).toBe(10);
    setProviderRegistry(sys.ctx, [hung]);
    // As the loop sweeps between its scans for orphaned work: what it takes gets its job at once.
    const sweep = await sweepDeliveries(sys.ctx, { scanWaiting: false });
    expect(sweep.requeued).toBe(10);
    await until(() => settled(alertId));
    expect(new Set(hung.seen).size).toBe(10);
    const after = await statuses(alertId);
    expect(after.sent).toBe(10);
  });

  it('gives a job to deliveries waiting in the queue that no job will send (their job died)', async () => {
    setProviderRegistry(sys.ctx, [fakeProvider('first', () => 'delivered')]);
    const alertId = await send();
    await until(() => settled(alertId));
    // No delivery job left that could pick them up.
    await until(async () => {
      const live = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${queueSchema}.job`)}
        where name like 'alert.deliver.%' and state in ('created', 'retry', 'active')`.execute(sys.ctx.db);
      return live.rows[0]!.n === 0;
    });
    // Queued a minute ago, and the job that would send them is gone.
    await sql`update deliveries set status = 'queued', updated_at = now() - interval '1 minute'
      where id in (select id from deliveries where alert_id = ${alertId} and status = 'delivered' limit 10)`.execute(
      sys.ctx.db,
    );
    const orphans = fakeProvider('orphans', () => 'accepted');
    setProviderRegistry(sys.ctx, [orphans]);
    // This sweep or the workers' own loop (every second) queues the job.
    await sweepDeliveries(sys.ctx);
    await until(async () => (await statuses(alertId)).sent === 10, 5_000);
    expect(new Set(orphans.seen).size).toBe(10);
  });

  it("takes over a dead worker's deliveries as soon as it stops beating, and leaves a live worker's alone", async () => {
    setProviderRegistry(sys.ctx, [fakeProvider('first', () => 'delivered')]);
    const alertId = await send();
    await until(() => settled(alertId));
    // Two other workers: one beat 10 s ago (killed), one beats now. Their claims are fresh, so
    // only the heartbeat can tell them apart (the stuck timeout is far away).
    const dead = '00000000-0000-4000-8000-00000000dead';
    const live = '00000000-0000-4000-8000-0000000011fe';
    await sql`insert into workers (id, host, pid, last_seen) values
      (${dead}, 'gone', 1, now() - interval '10 seconds'), (${live}, 'here', 2, now())`.execute(sys.ctx.db);
    const claim = (
      worker: string,
    ) => sql`update deliveries set status = 'sending', sending_at = now(), claimed_by = ${worker}
      where id in (select id from deliveries where alert_id = ${alertId} and status = 'delivered' limit 10)`;
    await claim(dead).execute(sys.ctx.db);
    await claim(live).execute(sys.ctx.db);
    const again = fakeProvider('again', () => 'accepted');
    setProviderRegistry(sys.ctx, [again]);
    // This sweep or the workers' own loop (every second) takes them: either way, at once.
    await sweepDeliveries(sys.ctx);
    await until(async () => (await statuses(alertId)).sent === 10, 5_000);
    expect(new Set(again.seen).size).toBe(10);
    const held = await sql<{ n: number }>`select count(*)::int as n from deliveries
      where alert_id = ${alertId} and status = 'sending' and claimed_by = ${live}`.execute(sys.ctx.db);
    expect(held.rows[0]!.n).toBe(10);
    await sql`update deliveries set status = 'delivered' where claimed_by = ${live}`.execute(sys.ctx.db);
  });
});

async function alertStatus(alertId: string): Promise<string> {
  const row = await sys.ctx.db
    .selectFrom('alerts')
    .select('status')
    .where('id', '=', alertId)
    .executeTakeFirstOrThrow();
  return row.status;
}
