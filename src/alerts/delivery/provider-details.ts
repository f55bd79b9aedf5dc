import type { ProviderSettings } from '../../platform/delivery-settings.js';

export interface ProviderDescription {
  description: string;
  details: Array<{ label: string; value: string }>;
  senders: Array<{ address: string; segmentsPerSecond: number }>;
}

/**
 * A URL's scheme, host and port only. A webhook's path or query often is the credential (a chat
 * system's incoming-webhook URL), and a URL may carry user:password: neither is shown.
 */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}

const seconds = (ms: number) => `${ms / 1000} s`;
const urls = (list: string[]) => list.map(originOf).join(', ');
const countOf = (list: string[], one: string) => `${list.length} ${one}${list.length === 1 ? '' : 's'}`;

/** Twilio account SIDs identify the account; the last four characters are enough to recognise it. */
function maskedSid(sid: string): string {
  return sid.length <= 6 ? '…' : `${sid.slice(0, 2)}…${sid.slice(-4)}`;
}

/** What an administrator may see of a configured provider: everything but its secrets. */
export function describeProvider(s: ProviderSettings): ProviderDescription {
  const timeout = { label: 'Request timeout', value: seconds(s.timeoutMs) };
  switch (s.type) {
    case 'twilio':
      return {
        description: 'Twilio-compatible SMS and voice (Messages and Calls REST API)',
        details: [
          { label: 'API', value: originOf(s.baseUrl) },
          { label: 'Account', value: maskedSid(s.accountSid) },
          { label: 'Calls started per second', value: String(s.callsPerSecond) },
          { label: 'Requests in flight per channel', value: String(s.maxInFlight) },
          timeout,
        ],
        senders: s.senders.map((x) => ({ address: x.number, segmentsPerSecond: x.segmentsPerSecond })),
      };
    case 'smtp':
      return {
        description: 'Email through an SMTP relay',
        details: [
          { label: 'Relay', value: `${s.host}:${s.port}` },
          { label: 'TLS', value: s.secure ? 'from the first byte' : 'STARTTLS when offered' },
          { label: 'Authentication', value: s.user ? 'yes (SMTP AUTH)' : 'none' },
          { label: 'From', value: s.from },
          { label: 'Pooled connections', value: String(s.maxConnections) },
          { label: 'Recipients per message (Bcc)', value: String(s.recipientsPerMessage) },
          timeout,
        ],
        senders: [],
      };
    case 'webhook':
      return {
        description: 'Signed JSON webhooks (signage, desktop alerts, chat)',
        details: [
          { label: 'Receivers', value: `${countOf(s.urls, 'URL')} at ${urls(s.urls)}` },
          { label: 'Signature', value: 'X-Tocsin-Signature, HMAC-SHA256' },
          timeout,
        ],
        senders: [],
      };
    case 'cap':
      return {
        description: 'CAP 1.2 documents pushed to alerting aggregators',
        details: [{ label: 'Receivers', value: `${countOf(s.urls, 'URL')} at ${urls(s.urls)}` }, timeout],
        senders: [],
      };
    case 'x':
      return {
        description: 'Posts on X (API v2)',
        details: [{ label: 'API', value: originOf(s.baseUrl) }, timeout],
        senders: [],
      };
    case 'facebook':
      return {
        description: 'Posts on a Facebook page (Graph API)',
        details: [
          { label: 'API', value: `${originOf(s.baseUrl)} ${s.graphVersion}` },
          { label: 'Page', value: s.pageId },
          timeout,
        ],
        senders: [],
      };
  }
}

/** A URL as configured, and its path and query alone (an error may quote either). */
function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const rest = `${parsed.pathname}${parsed.search}`;
    return rest.length > 1 ? [url, rest] : [url];
  } catch {
    return [url];
  }
}

/** Every configured value that must never be shown: tokens, passwords, keys and whole URLs. */
export function secretsOf(s: ProviderSettings): string[] {
  switch (s.type) {
    case 'twilio':
      return [s.authToken, s.accountSid, ...urlSecrets(s.baseUrl)];
    case 'smtp':
      return [s.password, s.user].filter((v): v is string => v !== null);
    case 'webhook':
      return [s.secret, ...s.urls.flatMap(urlSecrets)];
    case 'cap':
      return s.urls.flatMap(urlSecrets);
    case 'x':
      return [s.bearerToken, ...urlSecrets(s.baseUrl)];
    case 'facebook':
      return [s.accessToken, ...urlSecrets(s.baseUrl)];
  }
}

/**
 * A provider's error text with every secret replaced by "[redacted]" (errors can quote a request
 * URL or an echoed credential). Longest first, so a secret inside a longer URL cannot survive.
 */
export function redactSecrets(text: string | null, secrets: readonly string[]): string | null {
  if (text === null) return null;
  const ordered = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return ordered.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
