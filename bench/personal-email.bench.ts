/**
 * The personal-email benchmark: emails that each carry their recipient's own links (acknowledge and
 * unsubscribe), through the SMTP provider, to the provider simulator's SMTP server on loopback, the
 * simulator in its own process. Batches of 250 (one claimed batch each), the links signed per
 * batch as the dispatcher signs them, 5 pooled connections (the default).
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../src/platform/context.js';
import { loadConfig } from '../src/platform/config.js';
import type { SmtpSettings } from '../src/platform/delivery-settings.js';
import { claimSize } from '../src/alerts/delivery/dispatch.js';
import type { OutgoingMessage, SendOutcome } from '../src/alerts/delivery/provider.js';
import { smtpProvider } from '../src/alerts/delivery/providers/smtp-provider.js';
import { testRenderings } from '../src/alerts/delivery/providers/providers.test-support.js';
import { acknowledgementUrls } from '../src/alerts/replies/acknowledgement-links.js';
import { unsubscribeUrls } from '../src/alerts/self-registration/unsubscribe-links.js';
import { freePort } from '../test/support/ports.js';
import { simStats, spawnUntil, stopChild, type RecordFigure } from './alert-system.js';

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
      const start = process.hrtime.bigint();
      for (let sent = 0; sent < emails; sent += claimSize) {
        const batch = await personalBatch(ctx, Math.min(claimSize, emails - sent));
        await provider.send(batch, renderings, report, never);
      }
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const email = (await simStats(control)).channels.email;
      const figures = {
        personal_emails_per_s: Math.round(emails / seconds),
        personal_emails_accepted: email.accepted,
        personal_emails_unique_ids: email.uniqueDeliveryIds,
      };
      record(
        `personal-link emails/s (${emails.toLocaleString('en-US')}, ${settings.maxConnections} connections)`,
        String(figures.personal_emails_per_s),
      );
      record(
        'personal-link emails: accepted by the simulator / outcomes accepted',
        `${email.accepted} / ${outcomes.accepted ?? 0}`,
      );
      return figures;
    } finally {
      await provider.close?.();
    }
  } finally {
    await stopChild(sim);
  }
}
