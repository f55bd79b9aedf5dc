import type { CapRendering } from '../rendering/cap.js';
import type { EmailRendering } from '../rendering/email.js';
import type { SignageRendering } from '../rendering/signage.js';
import type { SmsRendering } from '../rendering/sms.js';
import type { FacebookPostRendering, XPostRendering } from '../rendering/social.js';
import type { VoiceRendering } from '../rendering/voice.js';

import type { AlertKind, DeliveryChannel, MessageType } from '../alerts.tables.js';

export { deliveryChannels, type DeliveryChannel } from '../alerts.tables.js';

/** One claimed delivery, as a provider sees it. */
export interface OutgoingMessage {
  deliveryId: string;
  alertId: string;
  messageId: string;
  channel: DeliveryChannel;
  /** E.164 number, email address, or the channel name for public channels. */
  address: string;
  language: string;
  personId: string | null;
  /** Attempts so far including this one (1 on the first try). */
  attempt: number;
  /**
   * Email only: this recipient's acknowledgement link ("I am safe" / "I need help") when the alert
   * asks for acknowledgements. A message with a link is personal: it never shares an envelope.
   */
  acknowledgeUrl: string | null;
  /** Email only: this recipient's one-click unsubscribe link (extended community), or null. */
  unsubscribeUrl: string | null;
}

/**
 * The renderings of one message, computed once per (channel, language) and shared by every
 * delivery of a batch. Providers send exactly these: what the outbox stores is the same text.
 */
export interface MessageRenderings {
  alertId: string;
  messageId: string;
  sequence: number;
  /** The alert's kind and the message's type; null for one-off messages that are not alerts. */
  kind: AlertKind | null;
  messageType: MessageType | null;
  sms(language: string): SmsRendering;
  voice(language: string): VoiceRendering;
  email(language: string): EmailRendering;
  /** One CAP document with one info block per language. */
  cap(): CapRendering;
  x(language: string): XPostRendering;
  facebook(language: string): FacebookPostRendering;
  signage(language: string): SignageRendering;
  /** The subject and body the outbox stores for a channel (the text a person would receive). */
  outbox(channel: DeliveryChannel, language: string): { subject: string | null; body: string };
}

/**
 * What happened to one message at the provider.
 * - `accepted`: the provider took it (`sent`); a receipt may later say delivered or failed.
 * - `delivered`: final on acceptance (outbox, a webhook that answered 2xx).
 * - `retryable`: try again later, here or at the next provider (timeouts, 5xx, 429, connection errors).
 * - `permanent`: never retry (invalid number, unknown mailbox, content refused).
 */
export type SendOutcome =
  | { deliveryId: string; kind: 'accepted' | 'delivered'; providerMessageId?: string; sender?: string }
  | { deliveryId: string; kind: 'retryable'; error: string; code?: string; retryAfterMs?: number }
  | { deliveryId: string; kind: 'permanent'; error: string; code?: string };

/**
 * A provider adapter. `send` gets a batch of one message and one channel, and reports one outcome
 * per delivery through `report` as soon as it knows it (so a crash loses as little as possible),
 * honouring `signal` (stop starting new requests when aborted). It must not throw for per-message
 * failures; a thrown error counts as retryable for every delivery it did not report.
 */
export interface DeliveryProvider {
  /** Unique name, stored on each delivery (e.g. twilio-primary, smtp, outbox). */
  readonly name: string;
  readonly channels: readonly DeliveryChannel[];
  /**
   * Which of a channel's deliveries this provider takes, when not all (office_phones mixes numbers,
   * for the voice providers, and paging servers, each for its own provider). Default: every one.
   */
  accepts?(message: OutgoingMessage): boolean;
  send(
    batch: readonly OutgoingMessage[],
    renderings: MessageRenderings,
    report: (outcomes: SendOutcome[]) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** Release sockets and pools at shutdown. */
  close?(): Promise<void>;
}
