/**
 * The personal-email benchmark: emails that each carry their recipient's own links (acknowledge and
 * unsubscribe), through the SMTP provider, to the provider simulator's SMTP server on loopback, the
 * simulator in its own process. Batches of 250 (one claimed batch each), the links signed per
 * batch as the dispatcher signs them, 5 pooled connections (the default). Then, in the same run,
 * the baseline: the same emails each composed whole and sent by nodemailer's pooled transport, as
 * the provider did before messages were spliced; the ratio of the two is what to compare.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { AppContext } from '../src/platform/context.js';
import { loadConfig } from '../src/platform/config.js';
import type { SmtpSettings } from '../src/platform/delivery-settings.js';
import { claimSize } from '../src/alerts/delivery/dispatch.js';
import type { MessageRenderings, OutgoingMessage, SendOutcome } from '../src/alerts/delivery/provider.js';
import { personalEmail } from '../src/alerts/delivery/providers/personal-email.js';
import { smtpProvider } from '../src/alerts/delivery/providers/smtp-provider.js';
import { testRenderings } from '../src/alerts/delivery/providers/providers.test-support.js';
import { programName } from '../src/alerts/rendering/phrases.js';
import { acknowledgementUrls } from '../src/alerts/replies/acknowledgement-links.js';
import { unsubscribeUrls } from '../src/alerts/self-registration/unsubscribe-links.js';
import { freePort } from '../test/support/ports.js';
import { simStats, spawnUntil, stopChild, type RecordFigure } from './alert-system.js';

/** CPU time of a process so far, ms (utime + stime from /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}
const clockTicks = 100;

/** Wall-clock seconds and CPU ms per email of this process and the simulator while `run` sends `emails`. */
async function measured(simPid: number, emails: number, run: () => Promise<void>) {
  const [cpu, sim, start] = [process.cpuUsage(), cpuMs(simPid), process.hrtime.bigint()];
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: Math.round(emails / seconds),
    senderCpuMs: Math.round(((used.user + used.system) / 1000 / emails) * 1000) / 1000,
    simCpuMs: Math.round(((cpuMs(simPid) - sim) / emails) * 1000) / 1000,
  };
}

/** One claimed batch: every recipient with an acknowledgement link, every other one an unsubscribe link too. */
async function personalBatch(ctx: AppContext, n: number): Promise<OutgoingMessage[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const contacts = ids.map(() => randomUUID());
  const acknowledge = await acknowledgementUrls(ctx, ids);
  const unsubscribe = await unsubscribeUrls(ctx, contacts);
  return ids.map((deliveryId, i) => ({
    deliveryId,
    alertId: '5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10',
    messageId: '7b1e0c2a-3f4d-4e5a-8b6c-9d0e1f2a3b4c',
    channel: 'email',
    address: `person${i}.${deliveryId.slice(0, 8)}@example.edu`,
    language: 'en',
    personId: randomUUID(),
    attempt: 1,
    acknowledgeUrl: acknowledge[i]!,
    unsubscribeUrl: i % 2 === 0 ? unsubscribe.get(contacts[i]!)! : null,
  }));
}

/** The baseline: each email composed whole and sent by nodemailer's pooled transport. */
async function composedWhole(
  ctx: AppContext,
  settings: SmtpSettings,
  renderings: MessageRenderings,
  emails: number,
): Promise<void> {
  const transport = nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: false,
    maxConnections: settings.maxConnections,
    maxMessages: 1_000,
  });
  const prefix = ctx.profile.institution.messagePrefix;
  const from = { name: programName(prefix), address: settings.from };
  const mail = (m: OutgoingMessage) => ({
    from,
    to: m.address,
    ...personalEmail(renderings.email(m.language), m, prefix),
    headers: {
      'X-Tocsin-Delivery-Id': m.deliveryId,
      ...(m.unsubscribeUrl ? { 'List-Unsubscribe': `<${m.unsubscribeUrl}>` } : {}),
    },
  });
  try {
    for (let sent = 0; sent < emails; sent += claimSize) {
      const batch = await personalBatch(ctx, Math.min(claimSize, emails - sent));
      let next = 0;
      const lane = async () => {
        while (next < batch.length) await transport.sendMail(mail(batch[next++]!));
      };
      await Promise.all(Array.from({ length: settings.maxConnections }, lane));
    }
  } finally {
    transport.close();
  }
}

/** Personal-link emails per second from the SMTP provider to the simulator, `emails` of them. */
export async function benchPersonalEmail(
  record: RecordFigure,
  ctx: AppContext,
  emails: number,
): Promise<Record<string, number>> {
  const [simPort, smtpPort] = [await freePort(), await freePort()];
  const sim = await spawnUntil(
    ['sim', '--port', String(simPort), '--smtp-port', String(smtpPort)],
    { TOCSIN_LOG_LEVEL: 'warn' },
    /Press Ctrl-C/,
  );
  const control = `http://127.0.0.1:${simPort}/control`;
  try {
    const simEnv = ((await (await fetch(control)).json()) as { environment: Record<string, string> })
      .environment;
    const config = loadConfig({ ...simEnv, TOCSIN_SMTP_FROM: 'alerts@mit.edu' });
    const settings = config.delivery.providers.find((p): p is SmtpSettings => p.type === 'smtp')!;
    const provider = smtpProvider(ctx, settings);
    const renderings = testRenderings();
    const outcomes: Record<string, number> = {};
    const report = (reported: SendOutcome[]) => {
      for (const o of reported) outcomes[o.kind] = (outcomes[o.kind] ?? 0) + 1;
    };
    const never = new AbortController().signal;
    try {
      // Warm up: connections open, code compiled.
      await provider.send(await personalBatch(ctx, claimSize), renderings, () => undefined, never);
      await fetch(`${control}/reset`, { method: 'POST' });
      const spliced = await measured(sim.pid!, emails, async () => {
        for (let sent = 0; sent < emails; sent += claimSize) {
          const batch = await personalBatch(ctx, Math.min(claimSize, emails - sent));
          await provider.send(batch, renderings, report, never);
        }
      });
      const email = (await simStats(control)).channels.email;
      const composed = await measured(sim.pid!, emails, () =>
        composedWhole(ctx, settings, renderings, emails),
      );
      const figures = {
        personal_emails_per_s: spliced.perSecond,
        personal_emails_accepted: email.accepted,
        personal_emails_sender_cpu_ms: spliced.senderCpuMs,
        personal_emails_sim_cpu_ms: spliced.simCpuMs,
        personal_emails_composed_per_s: composed.perSecond,
        personal_emails_composed_sender_cpu_ms: composed.senderCpuMs,
        personal_emails_ratio_to_composed: Math.round((spliced.perSecond / composed.perSecond) * 100) / 100,
      };
      const n = emails.toLocaleString('en-US');
      record(
        `personal-link emails/s (${n}, ${settings.maxConnections} connections)`,
        String(spliced.perSecond),
      );
      record(
        'personal-link emails: accepted by the simulator / outcomes accepted',
        `${email.accepted} / ${outcomes.accepted ?? 0}`,
      );
      record(
        'personal-link emails: CPU ms per email, Tocsin / simulator',
        `${spliced.senderCpuMs} / ${spliced.simCpuMs}`,
      );
      record(`baseline, each composed whole (nodemailer pool): emails/s`, String(composed.perSecond));
      record(
        'baseline: CPU ms per email, Tocsin / simulator',
        `${composed.senderCpuMs} / ${composed.simCpuMs}`,
      );
      record(
        'personal-link emails: spliced over composed whole',
        String(figures.personal_emails_ratio_to_composed),
      );
      return figures;
    } finally {
      await provider.close?.();
    }
  } finally {
    await stopChild(sim);
  }
}
