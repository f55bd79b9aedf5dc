import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { providerRegistry } from '../delivery/provider-registry.js';
import type { DeliveryProvider, MessageRenderings, SendOutcome } from '../delivery/provider.js';
import { escapeXml } from '../rendering/xml.js';
import type { NoticeRecipient } from './schedules.tables.js';

/** One email about a schedule, to operators. */
export interface NoticeEmail {
  scheduleId: string;
  noticeId: string;
  subject: string;
  text: string;
}

const sendTimeoutMs = 30_000;

/**
 * Email a notice to each operator through the email providers alerts use (SMTP, …), in failover
 * order, as a one-off message (as self-registration sends its verification emails). With no email
 * provider configured (the outbox default) nothing leaves the machine: the notice is kept, and its
 * text is readable with the schedule. Throws when every provider failed in a way worth retrying.
 */
export async function emailNotice(
  ctx: AppContext,
  email: NoticeEmail,
  to: ReadonlyArray<{ username: string; email: string }>,
): Promise<NoticeRecipient[]> {
  const providers = providerRegistry(ctx)
    .providersFor('email')
    .filter((p) => p.name !== 'outbox');
  const results: NoticeRecipient[] = [];
  for (const operator of to) {
    if (providers.length === 0) {
      results.push({
        operator: operator.username,
        address: operator.email,
        outcome: 'kept',
        provider: null,
        error: null,
      });
      continue;
    }
    results.push(await emailOne(providers, email, operator));
  }
  return results;
}

async function emailOne(
  providers: readonly DeliveryProvider[],
  email: NoticeEmail,
  operator: { username: string; email: string },
): Promise<NoticeRecipient> {
  const errors: string[] = [];
  for (const provider of providers) {
    const outcome = await sendWith(provider, email, operator.email);
    if (outcome.kind === 'retryable') {
      errors.push(`${provider.name}: ${outcome.error}`);
      continue;
    }
    const refused = outcome.kind === 'permanent';
    return {
      operator: operator.username,
      address: operator.email,
      outcome: refused ? 'refused' : 'sent',
      provider: provider.name,
      error: refused ? outcome.error : null,
    };
  }
  throw new Error(
    `No email provider took the schedule notice to ${operator.username} (${errors.join('; ')}).`,
  );
}

async function sendWith(
  provider: DeliveryProvider,
  email: NoticeEmail,
  address: string,
): Promise<SendOutcome> {
  const deliveryId = randomUUID();
  const outcomes: SendOutcome[] = [];
  const outgoing = {
    deliveryId,
    alertId: email.scheduleId,
    messageId: email.noticeId,
    channel: 'email' as const,
    address,
    language: 'en',
    personId: null,
    attempt: 1,
    acknowledgeUrl: null,
    unsubscribeUrl: null,
  };
  try {
    await provider.send(
      [outgoing],
      renderings(email),
      (o) => outcomes.push(...o),
      AbortSignal.timeout(sendTimeoutMs),
    );
  } catch (error) {
    return { deliveryId, kind: 'retryable', error: error instanceof Error ? error.message : String(error) };
  }
  return (
    outcomes.find((o) => o.deliveryId === deliveryId) ?? {
      deliveryId,
      kind: 'retryable',
      error: 'the provider reported no outcome',
    }
  );
}

/** Renderings of a notice: an email only, exactly the given text. */
function renderings(email: NoticeEmail): MessageRenderings {
  const notAnEmail = (): never => {
    throw new Error('A schedule notice is an email only.');
  };
  const html = `<!doctype html><html lang="en"><body><pre style="font-family:inherit;white-space:pre-wrap">${escapeXml(email.text)}</pre></body></html>`;
  return {
    alertId: email.scheduleId,
    messageId: email.noticeId,
    sequence: 0,
    kind: null,
    messageType: null,
    email: () => ({ subject: email.subject, text: email.text, html, warnings: [] }),
    sms: notAnEmail,
    voice: notAnEmail,
    cap: notAnEmail,
    x: notAnEmail,
    facebook: notAnEmail,
    signage: notAnEmail,
    outbox: () => ({ subject: email.subject, body: email.text }),
  };
}
