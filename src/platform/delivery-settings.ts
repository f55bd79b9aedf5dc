/**
 * The delivery providers Tocsin sends through, as configuration describes them (environment
 * variables and the TOCSIN_PROVIDERS_FILE YAML). The adapters in src/alerts/delivery/providers
 * are built from these.
 */

/** One number (or short code, alphanumeric id, Messaging Service SID) an SMS provider sends from. */
export interface SmsSender {
  /** E.164 number, short code, alphanumeric sender id, or a Messaging Service SID (MG…). */
  number: string;
  /** SMS segments per second this sender may send; 0: no pacing (the provider queues). */
  segmentsPerSecond: number;
}

/** A Twilio-compatible SMS and voice provider (Twilio's Messages and Calls REST API). */
export interface TwilioSettings {
  type: 'twilio';
  name: string;
  channels: Array<'sms' | 'voice'>;
  /** Replaces https://api.twilio.com (no trailing slash). */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  senders: SmsSender[];
  /** Calls started per second for the whole account (Twilio's default CPS is 1). */
  callsPerSecond: number;
  /** HTTP requests in flight at once per channel in one process. */
  maxInFlight: number;
  timeoutMs: number;
}

/** An SMTP relay. */
export interface SmtpSettings {
  type: 'smtp';
  name: string;
  channels: Array<'email'>;
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  /** The From address (display name optional, e.g. "MIT Alert <alerts@mit.edu>"). */
  from: string;
  maxConnections: number;
  /** Recipients of identical content that share one message (one envelope, Bcc). */
  recipientsPerMessage: number;
  timeoutMs: number;
}

/** Signed JSON webhooks for signage, desktop-alert and chat systems. */
export interface WebhookSettings {
  type: 'webhook';
  name: string;
  channels: Array<'signage' | 'desktop' | 'webhook'>;
  /** Every URL receives every message of the channels this provider serves. */
  urls: string[];
  /** HMAC-SHA256 key of X-Tocsin-Signature. */
  secret: string;
  timeoutMs: number;
}

/** CAP 1.2 documents POSTed to alerting aggregators (IPAWS-style push). */
export interface CapPushSettings {
  type: 'cap';
  name: string;
  channels: Array<'cap'>;
  urls: string[];
  timeoutMs: number;
}

/** Posts on X (API v2). */
export interface XSettings {
  type: 'x';
  name: string;
  channels: Array<'x'>;
  baseUrl: string;
  bearerToken: string;
  timeoutMs: number;
}

/** Posts on a Facebook page (Graph API). */
export interface FacebookSettings {
  type: 'facebook';
  name: string;
  channels: Array<'facebook'>;
  baseUrl: string;
  /** e.g. v19.0 */
  graphVersion: string;
  pageId: string;
  accessToken: string;
  timeoutMs: number;
}

export type ProviderSettings =
  TwilioSettings | SmtpSettings | WebhookSettings | CapPushSettings | XSettings | FacebookSettings;

/** Every configured provider. Per channel, the order of this list is the failover order. */
export interface DeliveryConfig {
  providers: ProviderSettings[];
  /** The providers file that was read, if any (absolute path). */
  providersFile: string | null;
}

/** Default pace of a sender given without `=rate`: one segment per second, a US long code's limit. */
const defaultSegmentsPerSecond = 1;

const senderPattern = /^(\+[1-9]\d{1,14}|\d{3,8}|MG[0-9a-f]{32}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;

/**
 * Parse `number[=segmentsPerSecond]` (the syntax of `tocsin sim --senders`); returns the sender or
 * the problem in words.
 */
export function parseSender(text: string): SmsSender | string {
  const [number = '', rate, extra] = text.trim().split('=');
  if (extra !== undefined) return `"${text}": expected number[=segmentsPerSecond]`;
  if (!senderPattern.test(number))
    return `"${number}": not an E.164 number (+16175550100), a short code, an alphanumeric sender id or a Messaging Service SID (MG…)`;
  if (rate === undefined) return { number, segmentsPerSecond: defaultSegmentsPerSecond };
  const perSecond = Number(rate);
  if (rate.trim() === '' || !Number.isFinite(perSecond) || perSecond < 0 || perSecond > 100_000)
    return `"${text}": the rate after "=" must be a number of segments per second from 0 (no pacing) to 100000`;
  return { number, segmentsPerSecond: perSecond };
}
