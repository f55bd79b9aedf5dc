import { randomUUID } from 'node:crypto';
import { providerRegistry } from '../delivery/provider-registry.js';
import type {
  DeliveryProvider,
  MessageRenderings,
  OutgoingMessage,
  SendOutcome,
} from '../delivery/provider.js';
import { smsEncoding } from '../rendering/sms-segments.js';
import type { AppContext } from '../../platform/context.js';
import type { VerificationText } from './verification-text.js';

/** One verification message to one address. */
export interface VerificationMessage {
  registrationId: string;
  registrationContactId: string;
  address: string;
  language: string;
  content: VerificationText;
}

/** Sent by a provider, kept in the registration outbox (no provider configured), or refused for good. */
export type VerificationOutcome =
  | { kind: 'sent'; provider: string; providerMessageId: string | null }
  | { kind: 'kept' }
  | { kind: 'refused'; provider: string; error: string };

/** Thrown when every provider failed in a way worth retrying; the job retries later. */
class VerificationNotSent extends Error {
  override name = 'VerificationNotSent';
}

const sendTimeoutMs = 30_000;

/**
 * Send through the same provider adapters as alerts (SMTP, Twilio, …) in failover order, as a
 * one-off message. With no real provider for the channel (the outbox default of `npm start`), keep
 * the message in registration_outbox, where an administrator or tester can read it.
 */
export async function deliverVerification(
  ctx: AppContext,
  message: VerificationMessage,
): Promise<VerificationOutcome> {
  const providers = providerRegistry(ctx)
    .providersFor(message.content.channel)
    .filter((p) => p.name !== 'outbox');
  if (providers.length === 0) {
    await keepInOutbox(ctx, message);
    return { kind: 'kept' };
  }
  const errors: string[] = [];
  for (const provider of providers) {
    const outcome = await sendWith(provider, message);
    if (outcome.kind === 'retryable') {
      errors.push(`${provider.name}: ${outcome.error}`);
      continue;
    }
    if (outcome.kind === 'permanent')
      return { kind: 'refused', provider: provider.name, error: outcome.error };
    return { kind: 'sent', provider: provider.name, providerMessageId: outcome.providerMessageId ?? null };
  }
  throw new VerificationNotSent(`No provider took the verification message (${errors.join('; ')}).`);
}

async function sendWith(provider: DeliveryProvider, message: VerificationMessage): Promise<SendOutcome> {
  const outgoing: OutgoingMessage = {
    // A fresh id per attempt: each attempt carries a different code, so it is a different message.
    deliveryId: randomUUID(),
    alertId: message.registrationId,
    messageId: message.registrationContactId,
    channel: message.content.channel,
    address: message.address,
    language: message.language,
    personId: null,
    attempt: 1,
    acknowledgeUrl: null,
    unsubscribeUrl: null,
  };
  const outcomes: SendOutcome[] = [];
  try {
    await provider.send(
      [outgoing],
      oneOffRenderings(message),
      (o) => outcomes.push(...o),
      AbortSignal.timeout(sendTimeoutMs),
    );
  } catch (error) {
    return { deliveryId: outgoing.deliveryId, kind: 'retryable', error: errorText(error) };
  }
  return (
    outcomes.find((o) => o.deliveryId === outgoing.deliveryId) ?? {
      deliveryId: outgoing.deliveryId,
      kind: 'retryable',
      error: 'the provider reported no outcome',
    }
  );
}

/** Renderings of a message that is not an alert: SMS and email only, exactly the given text. */
function oneOffRenderings(message: VerificationMessage): MessageRenderings {
  const { content } = message;
  const notForVerification = (): never => {
    throw new Error('A verification message has only an SMS or an email rendering.');
  };
  return {
    alertId: message.registrationId,
    messageId: message.registrationContactId,
    sequence: 0,
    kind: null,
    messageType: null,
    sms: () => ({ text: content.text, encoding: smsEncoding(content.text), shortened: [], warnings: [] }),
    email: () => ({
      subject: content.subject ?? '',
      text: content.text,
      html: content.html ?? '',
      warnings: [],
    }),
    voice: notForVerification,
    cap: notForVerification,
    x: notForVerification,
    facebook: notForVerification,
    signage: notForVerification,
    outbox: () => ({ subject: content.subject, body: content.text }),
  };
}

async function keepInOutbox(ctx: AppContext, message: VerificationMessage): Promise<void> {
  await ctx.db
    .insertInto('registration_outbox')
    .values({
      registration_contact_id: message.registrationContactId,
      channel: message.content.channel,
      address: message.address,
      subject: message.content.subject,
      body: message.content.text,
      created_at: ctx.clock.now(),
    })
    .execute();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
