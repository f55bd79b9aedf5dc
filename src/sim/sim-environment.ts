import type { RateLimits } from './rate-limits.js';
import type { SimSettings } from './sim-context.js';
import type { SmtpAuthOptions } from './smtp.js';

/** Where each simulated provider listens. */
export interface SimulatorUrls {
  /** The HTTP server: every HTTP provider shares it. */
  base: string;
  /** Replaces https://api.twilio.com (paths /2010-04-01/Accounts/…). */
  twilio: string;
  smtp: { host: string; port: number };
  webhookSink: string;
  capSink: string;
  /** Replaces https://api.x.com (POST /2/tweets). */
  x: string;
  /** Replaces https://graph.facebook.com (POST /v19.0/:pageId/feed). */
  facebook: string;
  control: string;
}

/** The webhook secret the printed environment names; the sink checks no signature. */
const simulatedWebhookSecret = 'tocsin-sim-webhook-secret';

/** The page id the printed environment names; the simulator accepts any. */
const simulatedPageId = '100000000000001';

/**
 * Each sender as TOCSIN_TWILIO_SENDERS wants it, `number=segmentsPerSecond`, with the rate the
 * simulator enforces on it (0: unlimited, which Tocsin reads as "no pacing").
 */
function sendersVariable(senders: Iterable<string>, limits: RateLimits): string {
  return [...senders]
    .map((sender) => `${sender}=${limits.senderRates[sender] ?? limits.smsSegmentsPerSecond}`)
    .join(',');
}

/**
 * The environment variables that point Tocsin's providers at the simulator (the names
 * src/platform/delivery-config.ts reads). The calls-per-second limit is the simulator's per caller;
 * Tocsin's is per account, so the value printed is never above what the simulator allows.
 */
export function environmentFor(
  urls: SimulatorUrls,
  settings: SimSettings,
  smtpAuth: Partial<SmtpAuthOptions> | undefined,
  limits: RateLimits,
): Record<string, string> {
  return {
    TOCSIN_TWILIO_BASE_URL: urls.twilio,
    TOCSIN_TWILIO_ACCOUNT_SID: settings.accountSid,
    TOCSIN_TWILIO_AUTH_TOKEN: settings.authToken,
    TOCSIN_TWILIO_SENDERS: sendersVariable(settings.senders, limits),
    ...(limits.callsPerSecond > 0 ? { TOCSIN_TWILIO_CALLS_PER_SECOND: String(limits.callsPerSecond) } : {}),
    TOCSIN_SMTP_HOST: urls.smtp.host,
    TOCSIN_SMTP_PORT: String(urls.smtp.port),
    TOCSIN_SMTP_SECURE: 'false',
    ...(smtpAuth?.user ? { TOCSIN_SMTP_USER: smtpAuth.user } : {}),
    ...(smtpAuth?.password ? { TOCSIN_SMTP_PASSWORD: smtpAuth.password } : {}),
    TOCSIN_WEBHOOK_URL: urls.webhookSink,
    // The sink records the signature and verifies nothing: any secret of the required length does.
    TOCSIN_WEBHOOK_SECRET: simulatedWebhookSecret,
    TOCSIN_CAP_PUSH_URL: urls.capSink,
    TOCSIN_X_BASE_URL: urls.x,
    TOCSIN_X_BEARER_TOKEN: settings.xBearerToken ?? 'sim-x-bearer-token',
    TOCSIN_FACEBOOK_BASE_URL: urls.facebook,
    TOCSIN_FACEBOOK_PAGE_ID: simulatedPageId,
    TOCSIN_FACEBOOK_ACCESS_TOKEN: settings.facebookAccessToken ?? 'sim-page-access-token',
  };
}
