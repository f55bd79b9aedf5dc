/**
 * The alert benchmark: a campus-wide test alert to 50,000 people (SMS and email for all, voice
 * for those with a voice contact) through the provider simulator on loopback, a worker in its own
 * process; then 4 senders limited to 100 segments/s each; then the ceiling: a bare client sending
 * the same number of SMS requests to the same simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { Pool } from 'undici';
import { startSystem, type RunningSystem } from '../src/app/system.js';
import { sendAlert } from '../src/alerts/send-alert.js';
import { listTemplates } from '../src/alerts/templates.js';
import { generateDemoCampus } from '../src/directory/demo/generate-demo-campus.js';
import type { TokenPrincipal } from '../src/identity/principal.js';
import { noRequest, systemActor } from '../src/platform/actor.js';
import { loadConfig, packageRoot } from '../src/platform/config.js';
import type { StatsSnapshot } from '../src/sim/stats.js';
import { simulatorDefaults } from '../src/sim/simulator.js';
import { freePort } from '../test/support/ports.js';
import { fullAccessPrincipal } from '../test/support/principals.js';

type Record_ = (name: string, value: string) => void;
const bin = path.join(packageRoot, 'bin', 'tocsin.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

async function spawnUntil(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tocsin ${args[0]} did not start:\n${out}`)), 60_000);
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

async function simStats(control: string): Promise<StatsSnapshot> {
  return (await (await fetch(`${control}/stats`)).json()) as StatsSnapshot;
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

export interface AlertBenchOptions {
  databaseUrl: string;
  people: number;
}

export async function benchAlertSend(
  record: Record_,
  options: AlertBenchOptions,
): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const senders = Array.from({ length: 8 }, (_, i) => `+1617555${String(100 + i).padStart(4, '0')}`);
  const limited = senders.slice(0, 4);
  const simPort = await freePort();
  const smtpPort = await freePort();
  const servePort = await freePort();
  const sim = await spawnUntil(
    [
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
    ],
    { TOCSIN_LOG_LEVEL: 'warn' },
    /Press Ctrl-C/,
  );
  const control = `http://127.0.0.1:${simPort}/control`;
  const simEnv = ((await (await fetch(control)).json()) as { environment: Record<string, string> })
    .environment;
  const env = (sendersSpec: string): Record<string, string> => ({
    ...simEnv,
    DATABASE_URL: options.databaseUrl,
    TOCSIN_PORT: String(servePort),
    TOCSIN_PUBLIC_URL: `http://127.0.0.1:${servePort}`,
    TOCSIN_LOG_LEVEL: 'info',
    TOCSIN_TWILIO_SENDERS: sendersSpec,
    TOCSIN_TWILIO_CALLS_PER_SECOND: '1000',
  });
  const fast = senders.map((s) => `${s}=1000`).join(',');
  let system: RunningSystem | null = null;
  let worker: ChildProcess | null = null;
  try {
    system = await startSystem(loadConfig({ ...env(fast), TOCSIN_LOG_LEVEL: 'warn' }), {
      serve: true,
      work: false,
      migrate: true,
      allowEmbedded: false,
    });
    const ctx = system.ctx;
    const t = Date.now();
    const campus = await generateDemoCampus(ctx, systemActor, { people: options.people });
    record(
      `demo campus of ${options.people.toLocaleString('en-US')} people: s`,
      ((Date.now() - t) / 1000).toFixed(1),
    );
    void campus;
    const principal: TokenPrincipal = fullAccessPrincipal('benchmark');
    const shelter = (await listTemplates(ctx.db)).find((x) => x.hazard === 'shelter_in_place')!.id;
    worker = await spawnUntil(['worker'], env(fast), /worker started/);

    // Scenario 1: everyone, SMS + email + voice, fast senders.
    await fetch(`${control}/reset`, { method: 'POST' });
    const t0 = Date.now();
    const { alertId } = await sendAlert(ctx, principal, {
      templateId: shelter,
      kind: 'test',
      where: 'the whole campus',
      audience: { everyone: true },
      audienceReason: 'benchmark',
      channels: ['sms', 'email', 'voice'],
      record: {},
      request: noRequest,
    });
    let firstSms = NaN;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const stats = await simStats(control);
      if (Number.isNaN(firstSms) && stats.channels.sms.firstAcceptedAt)
        firstSms = ms(stats.channels.sms.firstAcceptedAt) - t0;
      const alert = await ctx.db
        .selectFrom('alerts')
        .select('status')
        .where('id', '=', alertId)
        .executeTakeFirstOrThrow();
      if (alert.status === 'sent' || Date.now() > deadline) break;
      await sleep(Number.isNaN(firstSms) ? 20 : 250);
    }
    const stats = await simStats(control);
    const counts = await sql<{ channel: string; status: string; n: number }>`
      select channel, status, count(*)::int as n from deliveries where alert_id = ${alertId} group by 1, 2`.execute(
      ctx.db,
    );
    const count = (channel: string, statuses?: string[]) =>
      counts.rows
        .filter((r) => r.channel === channel && (!statuses || statuses.includes(r.status)))
        .reduce((a, r) => a + r.n, 0);
    const fan = await sql<{ seconds: number; rows: number }>`
      select extract(epoch from (m.fanned_out_at - m.created_at))::float8 as seconds,
             (select count(*)::int from deliveries where message_id = m.id) as rows
      from alert_messages m where m.alert_id = ${alertId}`.execute(ctx.db);
    const sms = stats.channels.sms;
    const email = stats.channels.email;
    const voice = stats.channels.voice;
    figures.first_sms_ms = Math.round(firstSms);
    figures.all_sms_accepted_s = round1((ms(sms.lastAcceptedAt) - t0) / 1000);
    figures.all_email_accepted_s = round1((ms(email.lastAcceptedAt) - t0) / 1000);
    figures.fanout_rows_per_s = Math.round(fan.rows[0]!.rows / Math.max(0.001, fan.rows[0]!.seconds));
    const firstAny = Math.min(
      ...[sms, email, voice].map((c) => ms(c.firstAcceptedAt)).filter(Number.isFinite),
    );
    const lastAny = Math.max(...[sms, email, voice].map((c) => ms(c.lastAcceptedAt)).filter(Number.isFinite));
    figures.msgs_per_s = Math.round(
      (sms.accepted + email.accepted + voice.accepted) / ((lastAny - firstAny) / 1000),
    );
    const smsPerSecond = sms.accepted / ((ms(sms.lastAcceptedAt) - ms(sms.firstAcceptedAt)) / 1000);
    figures.sms_per_s = Math.round(smsPerSecond);
    figures.sms_accepted = sms.accepted;
    figures.email_accepted = email.accepted;
    figures.voice_accepted = voice.accepted;
    figures.sms_deliveries = count('sms', ['sent', 'delivered']);
    figures.email_deliveries = count('email', ['sent', 'delivered']);
    figures.suppressed = counts.rows.filter((r) => r.status === 'suppressed').reduce((a, r) => a + r.n, 0);
    figures.not_delivered = counts.rows
      .filter((r) => !['sent', 'delivered', 'suppressed'].includes(r.status))
      .reduce((a, r) => a + r.n, 0);
    figures.duplicates = sms.duplicates + email.duplicates + voice.duplicates;
    figures.smtp_messages = email.counts.messages ?? 0;
    figures.peak_rss_mb_worker = peakRssMb(worker.pid!);
    figures.peak_rss_mb_server = peakRssMb(process.pid);
    figures.peak_rss_mb_simulator = peakRssMb(sim.pid!);
    figures.peak_rss_mb = Math.max(figures.peak_rss_mb_worker, figures.peak_rss_mb_server);
    record('first SMS accepted after send: ms', String(figures.first_sms_ms));
    record(
      `all ${sms.accepted.toLocaleString('en-US')} SMS accepted: s after send`,
      String(figures.all_sms_accepted_s),
    );
    record(
      `all ${email.accepted.toLocaleString('en-US')} emails accepted: s after send`,
      String(figures.all_email_accepted_s),
    );
    record(
      `fan-out: delivery rows/s (${fan.rows[0]!.rows.toLocaleString('en-US')} rows)`,
      String(figures.fanout_rows_per_s),
    );
    record('messages accepted/s, all channels', String(figures.msgs_per_s));
    record(
      'peak RSS MB: worker / server+bench / simulator',
      `${figures.peak_rss_mb_worker} / ${figures.peak_rss_mb_server} / ${figures.peak_rss_mb_simulator}`,
    );
    record(
      'duplicates seen by the simulator / not delivered',
      `${figures.duplicates} / ${figures.not_delivered}`,
    );

    // Scenario 2: 4 senders limited to 100 segments/s each, Tocsin told the same.
    await stopChild(worker);
    worker = await spawnUntil(['worker'], env(limited.map((s) => `${s}=100`).join(',')), /worker started/);
    await fetch(`${control}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimits: { senderRates: Object.fromEntries(limited.map((s) => [s, 100])) } }),
    });
    await fetch(`${control}/reset`, { method: 'POST' });
    const buildings = await pickBuildings(system, 3_000);
    const limitedStart = Date.now();
    const second = await sendAlert(ctx, principal, {
      templateId: shelter,
      kind: 'test',
      where: 'several buildings',
      audience: { locationCodes: buildings },
      audienceReason: 'benchmark, rate-limited senders',
      channels: ['sms'],
      record: {},
      request: noRequest,
    });
    for (const end = Date.now() + 300_000; Date.now() < end;) {
      const alert = await ctx.db
        .selectFrom('alerts')
        .select('status')
        .where('id', '=', second.alertId)
        .executeTakeFirstOrThrow();
      if (alert.status === 'sent') break;
      await sleep(250);
    }
    const limitedStats = (await simStats(control)).channels.sms;
    const seconds = (ms(limitedStats.lastAcceptedAt) - ms(limitedStats.firstAcceptedAt)) / 1000;
    const allowed = 4 * 100;
    figures.rate_limit_utilization = round2((limitedStats.segments ?? 0) / seconds / allowed);
    figures.http_429_count = Object.entries(limitedStats.rejected)
      .filter(([code]) => code === '20429' || code === '429')
      .reduce((a, [, n]) => a + n, 0);
    record(
      `rate-limited: ${limitedStats.accepted} SMS, ${limitedStats.segments} segments in ${seconds.toFixed(1)} s (${((Date.now() - limitedStart) / 1000).toFixed(1)} s to sent); utilization of 4 × 100 segments/s`,
      String(figures.rate_limit_utilization),
    );
    record('rate-limited: HTTP 429 answers', String(figures.http_429_count));
    await fetch(`${control}/faults`, { method: 'DELETE' });

    // The ceiling: the same number of SMS requests from a bare client, callbacks to a bare receiver.
    await stopChild(worker);
    worker = null;
    await fetch(`${control}/reset`, { method: 'POST' });
    const ceiling = await bareClient(`http://127.0.0.1:${simPort}`, Math.max(1, sms.accepted), senders, 64);
    figures.ceiling_sms_per_s = Math.round(ceiling);
    figures.ratio_to_ceiling = round2(smsPerSecond / ceiling);
    record(
      'ceiling: bare client SMS/s (64 connections, callbacks to a bare receiver)',
      String(figures.ceiling_sms_per_s),
    );
    record('Tocsin SMS/s over the ceiling', String(figures.ratio_to_ceiling));
    return figures;
  } finally {
    if (worker) await stopChild(worker);
    await system?.stop();
    await stopChild(sim);
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Building codes whose people add up to about `target`. */
async function pickBuildings(system: RunningSystem, target: number): Promise<string[]> {
  const rows = await sql<{ code: string; n: number }>`
    select l.code, count(*)::int as n from people p join locations l on l.id = p.home_building_id
    where p.status = 'active' and l.code is not null group by l.code order by l.code`.execute(system.ctx.db);
  const picked: string[] = [];
  let total = 0;
  for (const row of rows.rows) {
    if (total >= target) break;
    picked.push(row.code);
    total += row.n;
  }
  return picked;
}

/** SMS creates per second a bare keep-alive client gets from the simulator. */
async function bareClient(
  base: string,
  total: number,
  senders: string[],
  connections: number,
): Promise<number> {
  const receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end());
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/twilio/status`;
  const pool = new Pool(base, { connections, pipelining: 1 });
  const { accountSid, authToken } = simulatorDefaults;
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const body =
    'MIT Alert TEST: Shelter in place in the Student Center. Stay inside, away from windows, until the all clear. https://emergency.mit.edu';
  let next = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total) {
        const i = next++;
        const form = new URLSearchParams({
          To: `+1555${String(i).padStart(7, '0')}`,
          From: senders[i % senders.length]!,
          Body: body,
          StatusCallback: `${callback}?delivery=ceiling-${i}`,
        }).toString();
        const answer = await pool.request({
          method: 'POST',
          path: `/2010-04-01/Accounts/${accountSid}/Messages.json`,
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        await answer.body.dump();
      }
    }),
  );
  const seconds = (Date.now() - start) / 1000;
  await pool.close();
  receiver.close();
  return total / seconds;
}
