/**
 * The alert benchmark: a campus-wide test alert to 50,000 people (SMS and email for all, voice
 * for those with a voice contact) through the provider simulator on loopback, Tocsin's server and
 * worker each in its own process; then 4 senders limited to 100 segments/s each; then the ceiling: a bare client sending
 * the same number of SMS requests to the same simulator.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { Pool } from 'undici';
import type { RunningSystem } from '../src/app/system.js';
import { sendAlert } from '../src/alerts/send-alert.js';
import { noRequest } from '../src/platform/actor.js';
import { simulatorDefaults } from '../src/sim/simulator.js';
import {
  deliveryCounts,
  ms,
  peakRssMb,
  round1,
  round2,
  simStats,
  startAlertSystem,
  waitUntilSent,
  type AlertSystem,
  type AlertSystemOptions,
  type RecordFigure,
  sendCampusWideTest,
} from './alert-system.js';

export type AlertBenchOptions = AlertSystemOptions;

export async function benchAlertSend(
  record: RecordFigure,
  options: AlertBenchOptions,
): Promise<Record<string, number>> {
  const running = await startAlertSystem(record, options);
  try {
    const figures = await everyoneFast(record, running);
    Object.assign(figures, await rateLimited(record, running));
    Object.assign(figures, await ceilingFigures(record, running, figures.sms_accepted!, figures.sms_per_s!));
    return figures;
  } finally {
    await running.stop();
  }
}

/** Scenario 1: everyone, SMS + email + voice, fast senders. */
async function everyoneFast(record: RecordFigure, running: AlertSystem): Promise<Record<string, number>> {
  const { ctx, control } = running;
  await fetch(`${control}/reset`, { method: 'POST' });
  const t0 = Date.now();
  const alertId = await sendCampusWideTest(running, ['sms', 'email', 'voice'], 'benchmark');
  let firstSms = NaN;
  await waitUntilSent(ctx, alertId, 300_000, async () => {
    const stats = await simStats(control);
    if (Number.isNaN(firstSms) && stats.channels.sms.firstAcceptedAt)
      firstSms = ms(stats.channels.sms.firstAcceptedAt) - t0;
    return Number.isNaN(firstSms);
  });
  const figures = await deliveryFigures(running, alertId, t0);
  figures.first_sms_ms = Math.round(firstSms);
  printDeliveryFigures(record, figures);
  return figures;
}

/** What the simulator accepted and what the deliveries say, once the alert is sent. */
async function deliveryFigures(
  running: AlertSystem,
  alertId: string,
  t0: number,
): Promise<Record<string, number>> {
  const { ctx } = running;
  const stats = await simStats(running.control);
  const counts = await deliveryCounts(ctx, alertId);
  const count = (channel: string, statuses?: string[]) =>
    counts
      .filter((r) => r.channel === channel && (!statuses || statuses.includes(r.status)))
      .reduce((a, r) => a + r.n, 0);
  const fan = await sql<{ seconds: number; rows: number }>`
    select extract(epoch from (m.fanned_out_at - m.created_at))::float8 as seconds,
           (select count(*)::int from deliveries where message_id = m.id) as rows
    from alert_messages m where m.alert_id = ${alertId}`.execute(ctx.db);
  const { sms, email, voice } = stats.channels;
  const figures: Record<string, number> = {};
  figures.all_sms_accepted_s = round1((ms(sms.lastAcceptedAt) - t0) / 1000);
  figures.all_email_accepted_s = round1((ms(email.lastAcceptedAt) - t0) / 1000);
  figures.fanout_rows = fan.rows[0]!.rows;
  figures.fanout_rows_per_s = Math.round(fan.rows[0]!.rows / Math.max(0.001, fan.rows[0]!.seconds));
  const firstAny = Math.min(...[sms, email, voice].map((c) => ms(c.firstAcceptedAt)).filter(Number.isFinite));
  const lastAny = Math.max(...[sms, email, voice].map((c) => ms(c.lastAcceptedAt)).filter(Number.isFinite));
  figures.msgs_per_s = Math.round(
    (sms.accepted + email.accepted + voice.accepted) / ((lastAny - firstAny) / 1000),
  );
  figures.sms_per_s = Math.round(sms.accepted / ((ms(sms.lastAcceptedAt) - ms(sms.firstAcceptedAt)) / 1000));
  figures.sms_accepted = sms.accepted;
  figures.email_accepted = email.accepted;
  figures.voice_accepted = voice.accepted;
  figures.sms_deliveries = count('sms', ['sent', 'delivered']);
  figures.email_deliveries = count('email', ['sent', 'delivered']);
  figures.suppressed = counts.filter((r) => r.status === 'suppressed').reduce((a, r) => a + r.n, 0);
  figures.not_delivered = counts
    .filter((r) => !['sent', 'delivered', 'suppressed'].includes(r.status))
    .reduce((a, r) => a + r.n, 0);
  figures.duplicates = sms.duplicates + email.duplicates + voice.duplicates;
  figures.smtp_messages = email.counts.messages ?? 0;
  figures.peak_rss_mb_worker = peakRssMb(running.worker!.pid!);
  figures.peak_rss_mb_server = peakRssMb(running.server.pid!);
  figures.peak_rss_mb_bench = peakRssMb(process.pid);
  figures.peak_rss_mb_simulator = peakRssMb(running.sim.pid!);
  figures.peak_rss_mb = Math.max(figures.peak_rss_mb_worker, figures.peak_rss_mb_server);
  return figures;
}

function printDeliveryFigures(record: RecordFigure, figures: Record<string, number>): void {
  const n = (key: string) => figures[key]!.toLocaleString('en-US');
  record('first SMS accepted after send: ms', String(figures.first_sms_ms));
  record(`all ${n('sms_accepted')} SMS accepted: s after send`, String(figures.all_sms_accepted_s));
  record(`all ${n('email_accepted')} emails accepted: s after send`, String(figures.all_email_accepted_s));
  record(`fan-out: delivery rows/s (${n('fanout_rows')} rows)`, String(figures.fanout_rows_per_s));
  record('messages accepted/s, all channels', String(figures.msgs_per_s));
  record(
    'peak RSS MB: tocsin worker / tocsin serve (each ≤ 400) · benchmark / simulator',
    `${figures.peak_rss_mb_worker} / ${figures.peak_rss_mb_server} · ${figures.peak_rss_mb_bench} / ${figures.peak_rss_mb_simulator}`,
  );
  record(
    'duplicates seen by the simulator / not delivered',
    `${figures.duplicates} / ${figures.not_delivered}`,
  );
}

/** Scenario 2: 4 senders limited to 100 segments/s each, Tocsin told the same. */
async function rateLimited(record: RecordFigure, running: AlertSystem): Promise<Record<string, number>> {
  const { ctx, control } = running;
  const limited = running.senders.slice(0, 4);
  await running.startWorker(limited.map((s) => `${s}=100`).join(','));
  await fetch(`${control}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rateLimits: { senderRates: Object.fromEntries(limited.map((s) => [s, 100])) } }),
  });
  await fetch(`${control}/reset`, { method: 'POST' });
  const buildings = await pickBuildings(running.system, 3_000);
  const limitedStart = Date.now();
  const second = await sendAlert(ctx, running.principal, {
    templateId: running.shelterTemplateId,
    kind: 'test',
    where: 'several buildings',
    audience: { locationCodes: buildings },
    audienceReason: 'benchmark, rate-limited senders',
    channels: ['sms'],
    record: {},
    request: noRequest,
  });
  await waitUntilSent(ctx, second.alertId, 300_000);
  const limitedStats = (await simStats(control)).channels.sms;
  const seconds = (ms(limitedStats.lastAcceptedAt) - ms(limitedStats.firstAcceptedAt)) / 1000;
  const allowed = 4 * 100;
  const figures: Record<string, number> = {};
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
  return figures;
}

/** The ceiling: the same number of SMS requests from a bare client, callbacks to a bare receiver. */
async function ceilingFigures(
  record: RecordFigure,
  running: AlertSystem,
  smsAccepted: number,
  smsPerSecond: number,
): Promise<Record<string, number>> {
  await running.stopWorker();
  await fetch(`${running.control}/reset`, { method: 'POST' });
  const ceiling = await bareClient(running.simUrl, Math.max(1, smsAccepted), running.senders, 64);
  const figures = {
    ceiling_sms_per_s: Math.round(ceiling),
    ratio_to_ceiling: round2(smsPerSecond / ceiling),
  };
  record(
    'ceiling: bare client SMS/s (64 connections, callbacks to a bare receiver)',
    String(figures.ceiling_sms_per_s),
  );
  record('Tocsin SMS/s over the ceiling', String(figures.ratio_to_ceiling));
  return figures;
}

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
