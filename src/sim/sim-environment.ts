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

/** The page id the printed environment names; the simulator accepts any. */
export const simulatedPageId = '100000000000001';

/**
 * The environment variables that point Tocsin's providers at the simulator. These names are the
 * simulator's proposal for the delivery configuration; change them here when config.ts settles them.
 */
export function environmentFor(
  urls: SimulatorUrls,
  settings: SimSettings,
  smtpAuth: Partial<SmtpAuthOptions> | undefined,
): Record<string, string> {
  return {
    TOCSIN_TWILIO_BASE_URL: urls.twilio,
    TOCSIN_TWILIO_ACCOUNT_SID: settings.accountSid,
    TOCSIN_TWILIO_AUTH_TOKEN: settings.authToken,
    TOCSIN_TWILIO_SENDERS: [...settings.senders].join(','),
    TOCSIN_SMTP_HOST: urls.smtp.host,
    TOCSIN_SMTP_PORT: String(urls.smtp.port),
    TOCSIN_SMTP_SECURE: 'false',
    ...(smtpAuth?.user ? { TOCSIN_SMTP_USER: smtpAuth.user } : {}),
    ...(smtpAuth?.password ? { TOCSIN_SMTP_PASSWORD: smtpAuth.password } : {}),
    TOCSIN_WEBHOOK_URL: urls.webhookSink,
    TOCSIN_CAP_PUSH_URL: urls.capSink,
    TOCSIN_X_BASE_URL: urls.x,
    TOCSIN_X_BEARER_TOKEN: settings.xBearerToken ?? 'sim-x-bearer-token',
    TOCSIN_FACEBOOK_BASE_URL: urls.facebook,
    TOCSIN_FACEBOOK_PAGE_ID: simulatedPageId,
    TOCSIN_FACEBOOK_ACCESS_TOKEN: settings.facebookAccessToken ?? 'sim-page-access-token',
  };
}
