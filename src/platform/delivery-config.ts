import path from 'node:path';
import { z } from 'zod';
import {
  parseSender,
  type DeliveryConfig,
  type ProviderSettings,
  type SmsSender,
} from './delivery-settings.js';
import { readProvidersFile } from './providers-file.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));
const positiveInt = z.coerce.number().int().min(1);
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((url) => url.replace(/\/+$/, ''));
const urlList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(httpUrl).min(1, 'list at least one URL'));
const senderList = z.string().transform((text, check) => {
  const senders: SmsSender[] = [];
  for (const item of text.split(',').filter((s) => s.trim() !== '')) {
    const parsed = parseSender(item);
    if (typeof parsed === 'string') check.addIssue({ code: 'custom', message: parsed });
    else senders.push(parsed);
  }
  if (senders.length === 0) check.addIssue({ code: 'custom', message: 'list at least one sender' });
  return senders;
});

/** The delivery variables of the environment schema (config.ts merges them into its own). */
export const deliveryEnvShape = {
  TOCSIN_PROVIDERS_FILE: z.string().min(1).optional(),
  TOCSIN_PROVIDER_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(10),
  TOCSIN_TWILIO_BASE_URL: httpUrl.optional(),
  TOCSIN_TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TOCSIN_TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TOCSIN_TWILIO_SENDERS: senderList.optional(),
  TOCSIN_TWILIO_CALLS_PER_SECOND: z.coerce.number().positive().max(1000).default(1),
  TOCSIN_TWILIO_MAX_IN_FLIGHT: positiveInt.max(1000).default(64),
  TOCSIN_SMTP_HOST: z.string().min(1).optional(),
  TOCSIN_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TOCSIN_SMTP_SECURE: bool.default(false),
  TOCSIN_SMTP_USER: z.string().min(1).optional(),
  TOCSIN_SMTP_PASSWORD: z.string().min(1).optional(),
  TOCSIN_SMTP_FROM: z.string().min(3).optional(),
  TOCSIN_SMTP_MAX_CONNECTIONS: positiveInt.max(100).default(5),
  TOCSIN_SMTP_RECIPIENTS_PER_MESSAGE: positiveInt.max(1000).default(50),
  TOCSIN_WEBHOOK_URL: urlList.optional(),
  TOCSIN_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TOCSIN_CAP_PUSH_URL: urlList.optional(),
  TOCSIN_X_BASE_URL: httpUrl.optional(),
  TOCSIN_X_BEARER_TOKEN: z.string().min(1).optional(),
  TOCSIN_FACEBOOK_BASE_URL: httpUrl.optional(),
  TOCSIN_FACEBOOK_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v19.0')
    .default('v19.0'),
  TOCSIN_FACEBOOK_PAGE_ID: z.string().regex(/^\d+$/, 'must be the numeric page id').optional(),
  TOCSIN_FACEBOOK_ACCESS_TOKEN: z.string().min(1).optional(),
};

type DeliveryEnv = z.infer<z.ZodObject<typeof deliveryEnvShape>>;

/** What each delivery variable means (docs/administration/providers.md and `tocsin --help` list them). */
export const deliveryVariables: Record<keyof DeliveryEnv, string> = {
  TOCSIN_PROVIDERS_FILE:
    'YAML file listing providers (several per channel, e.g. a primary and a backup SMS provider); they come after the ones these variables define.',
  TOCSIN_PROVIDER_TIMEOUT_SECONDS:
    'How long a provider request may take before it counts as failed and retryable (default 10).',
  TOCSIN_TWILIO_BASE_URL: 'Twilio-compatible API base URL (default https://api.twilio.com).',
  TOCSIN_TWILIO_ACCOUNT_SID:
    'Twilio account SID; set it with the auth token and senders to send SMS and voice (provider "twilio").',
  TOCSIN_TWILIO_AUTH_TOKEN: 'Twilio auth token: authenticates requests and verifies status callbacks.',
  TOCSIN_TWILIO_SENDERS:
    'Comma-separated senders, each number[=segmentsPerSecond] (default rate 1, a long code; 0: no pacing). The rate is per worker process.',
  TOCSIN_TWILIO_CALLS_PER_SECOND:
    'Voice calls started per second per worker process (default 1, Twilio’s default).',
  TOCSIN_TWILIO_MAX_IN_FLIGHT:
    'Twilio requests in flight at once per channel per worker process (default 64).',
  TOCSIN_SMTP_HOST: 'SMTP relay for email (provider "smtp").',
  TOCSIN_SMTP_PORT: 'SMTP port (default 587, or 465 with TOCSIN_SMTP_SECURE).',
  TOCSIN_SMTP_SECURE: 'TLS from the first byte, port 465 style (default false: STARTTLS when offered).',
  TOCSIN_SMTP_USER: 'SMTP AUTH user; set it with TOCSIN_SMTP_PASSWORD.',
  TOCSIN_SMTP_PASSWORD: 'SMTP AUTH password.',
  TOCSIN_SMTP_FROM: 'From address of alert email (default alerts@ the host of TOCSIN_PUBLIC_URL).',
  TOCSIN_SMTP_MAX_CONNECTIONS: 'Pooled SMTP connections per worker process (default 5).',
  TOCSIN_SMTP_RECIPIENTS_PER_MESSAGE:
    'Recipients of identical email sharing one message, Bcc (default 50); email with personal links goes one by one.',
  TOCSIN_WEBHOOK_URL:
    'Comma-separated URLs that receive signed JSON for signage, desktop alerts and chat (provider "webhook"); needs TOCSIN_WEBHOOK_SECRET.',
  TOCSIN_WEBHOOK_SECRET:
    'HMAC-SHA256 key of the X-Tocsin-Signature header on webhooks (16 characters or more).',
  TOCSIN_CAP_PUSH_URL: 'Comma-separated URLs that receive each CAP 1.2 document by POST (provider "cap").',
  TOCSIN_X_BASE_URL: 'X API base URL (default https://api.x.com).',
  TOCSIN_X_BEARER_TOKEN: 'X user-context bearer token that may post (provider "x").',
  TOCSIN_FACEBOOK_BASE_URL: 'Graph API base URL (default https://graph.facebook.com).',
  TOCSIN_FACEBOOK_GRAPH_VERSION: 'Graph API version (default v19.0).',
  TOCSIN_FACEBOOK_PAGE_ID:
    'Facebook page to post on; set it with the page access token (provider "facebook").',
  TOCSIN_FACEBOOK_ACCESS_TOKEN: 'Page access token with pages_manage_posts.',
};

type Built = { provider?: ProviderSettings; problems: string[] };

function twilioFromEnv(e: DeliveryEnv, timeoutMs: number): Built {
  const parts = [e.TOCSIN_TWILIO_ACCOUNT_SID, e.TOCSIN_TWILIO_AUTH_TOKEN, e.TOCSIN_TWILIO_SENDERS];
  if (parts.some(Boolean) && !parts.every(Boolean))
    return {
      problems: [
        'TOCSIN_TWILIO_ACCOUNT_SID, TOCSIN_TWILIO_AUTH_TOKEN and TOCSIN_TWILIO_SENDERS: set all three to send SMS and voice, or none',
      ],
    };
  if (!e.TOCSIN_TWILIO_ACCOUNT_SID || !e.TOCSIN_TWILIO_AUTH_TOKEN || !e.TOCSIN_TWILIO_SENDERS)
    return {
      problems: e.TOCSIN_TWILIO_BASE_URL
        ? ['TOCSIN_TWILIO_BASE_URL is set but TOCSIN_TWILIO_ACCOUNT_SID, _AUTH_TOKEN and _SENDERS are not']
        : [],
    };
  return {
    problems: [],
    provider: {
      type: 'twilio',
      name: 'twilio',
      channels: ['sms', 'voice'],
      baseUrl: e.TOCSIN_TWILIO_BASE_URL ?? 'https://api.twilio.com',
      accountSid: e.TOCSIN_TWILIO_ACCOUNT_SID,
      authToken: e.TOCSIN_TWILIO_AUTH_TOKEN,
      senders: e.TOCSIN_TWILIO_SENDERS,
      callsPerSecond: e.TOCSIN_TWILIO_CALLS_PER_SECOND,
      maxInFlight: e.TOCSIN_TWILIO_MAX_IN_FLIGHT,
      timeoutMs,
    },
  };
}

function smtpFromEnv(e: DeliveryEnv, timeoutMs: number, publicUrl: string): Built {
  const problems: string[] = [];
  if (Boolean(e.TOCSIN_SMTP_USER) !== Boolean(e.TOCSIN_SMTP_PASSWORD))
    problems.push('TOCSIN_SMTP_USER and TOCSIN_SMTP_PASSWORD: set both, or neither to send without AUTH');
  const extras = [e.TOCSIN_SMTP_PORT, e.TOCSIN_SMTP_USER, e.TOCSIN_SMTP_FROM];
  if (!e.TOCSIN_SMTP_HOST && extras.some(Boolean))
    problems.push('TOCSIN_SMTP_*: other SMTP variables are set but TOCSIN_SMTP_HOST is not');
  if (problems.length > 0 || !e.TOCSIN_SMTP_HOST) return { problems };
  return {
    problems,
    provider: {
      type: 'smtp',
      name: 'smtp',
      channels: ['email'],
      host: e.TOCSIN_SMTP_HOST,
      port: e.TOCSIN_SMTP_PORT ?? (e.TOCSIN_SMTP_SECURE ? 465 : 587),
      secure: e.TOCSIN_SMTP_SECURE,
      user: e.TOCSIN_SMTP_USER ?? null,
      password: e.TOCSIN_SMTP_PASSWORD ?? null,
      from: e.TOCSIN_SMTP_FROM ?? `alerts@${new URL(publicUrl).hostname}`,
      maxConnections: e.TOCSIN_SMTP_MAX_CONNECTIONS,
      recipientsPerMessage: e.TOCSIN_SMTP_RECIPIENTS_PER_MESSAGE,
      timeoutMs,
    },
  };
}

function webhookFromEnv(e: DeliveryEnv, timeoutMs: number): Built {
  if (!e.TOCSIN_WEBHOOK_URL)
    return {
      problems: e.TOCSIN_WEBHOOK_SECRET ? ['TOCSIN_WEBHOOK_SECRET is set but TOCSIN_WEBHOOK_URL is not'] : [],
    };
  if (!e.TOCSIN_WEBHOOK_SECRET)
    return {
      problems: [
        'TOCSIN_WEBHOOK_SECRET: required with TOCSIN_WEBHOOK_URL (receivers verify X-Tocsin-Signature with it)',
      ],
    };
  return {
    problems: [],
    provider: {
      type: 'webhook',
      name: 'webhook',
      channels: ['signage', 'desktop', 'webhook'],
      urls: e.TOCSIN_WEBHOOK_URL,
      secret: e.TOCSIN_WEBHOOK_SECRET,
      timeoutMs,
    },
  };
}

function socialFromEnv(e: DeliveryEnv, timeoutMs: number): Built[] {
  const built: Built[] = [];
  if (e.TOCSIN_X_BEARER_TOKEN) {
    built.push({
      problems: [],
      provider: {
        type: 'x',
        name: 'x',
        channels: ['x'],
        baseUrl: e.TOCSIN_X_BASE_URL ?? 'https://api.x.com',
        bearerToken: e.TOCSIN_X_BEARER_TOKEN,
        timeoutMs,
      },
    });
  } else if (e.TOCSIN_X_BASE_URL) {
    built.push({ problems: ['TOCSIN_X_BASE_URL is set but TOCSIN_X_BEARER_TOKEN is not'] });
  }
  const page = [e.TOCSIN_FACEBOOK_PAGE_ID, e.TOCSIN_FACEBOOK_ACCESS_TOKEN];
  if (page.some(Boolean) !== page.every(Boolean) || (e.TOCSIN_FACEBOOK_BASE_URL && !page.every(Boolean))) {
    built.push({
      problems: [
        'TOCSIN_FACEBOOK_PAGE_ID and TOCSIN_FACEBOOK_ACCESS_TOKEN: set both to post on the page, or neither',
      ],
    });
  } else if (e.TOCSIN_FACEBOOK_PAGE_ID && e.TOCSIN_FACEBOOK_ACCESS_TOKEN) {
    built.push({
      problems: [],
      provider: {
        type: 'facebook',
        name: 'facebook',
        channels: ['facebook'],
        baseUrl: e.TOCSIN_FACEBOOK_BASE_URL ?? 'https://graph.facebook.com',
        graphVersion: e.TOCSIN_FACEBOOK_GRAPH_VERSION,
        pageId: e.TOCSIN_FACEBOOK_PAGE_ID,
        accessToken: e.TOCSIN_FACEBOOK_ACCESS_TOKEN,
        timeoutMs,
      },
    });
  }
  return built;
}

/**
 * The delivery configuration: the providers the environment defines (named twilio, smtp, webhook,
 * cap, x, facebook) first, then the providers file's in file order. Per channel that order is the
 * failover order. Names must be unique across both.
 */
export function deliveryConfig(
  e: DeliveryEnv,
  publicUrl: string,
  cwd: string,
): { delivery: DeliveryConfig; problems: string[] } {
  const timeoutMs = Math.round(e.TOCSIN_PROVIDER_TIMEOUT_SECONDS * 1000);
  const cap: Built = e.TOCSIN_CAP_PUSH_URL
    ? {
        problems: [],
        provider: { type: 'cap', name: 'cap', channels: ['cap'], urls: e.TOCSIN_CAP_PUSH_URL, timeoutMs },
      }
    : { problems: [] };
  const fromEnv = [
    twilioFromEnv(e, timeoutMs),
    smtpFromEnv(e, timeoutMs, publicUrl),
    webhookFromEnv(e, timeoutMs),
    cap,
    ...socialFromEnv(e, timeoutMs),
  ];
  const problems = fromEnv.flatMap((b) => b.problems);
  const providers = fromEnv.flatMap((b) => (b.provider ? [b.provider] : []));
  const file = e.TOCSIN_PROVIDERS_FILE ? path.resolve(cwd, e.TOCSIN_PROVIDERS_FILE) : null;
  if (file) {
    const read = readProvidersFile(file);
    problems.push(...read.problems.map((p) => `TOCSIN_PROVIDERS_FILE (${file}): ${p}`));
    providers.push(...read.providers);
  }
  problems.push(...duplicateNames(providers, file));
  return { delivery: { providers, providersFile: file }, problems };
}

function duplicateNames(providers: ProviderSettings[], file: string | null): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { name } of providers) {
    if (seen.has(name))
      problems.push(
        `TOCSIN_PROVIDERS_FILE (${file}): provider name "${name}" is used twice (the environment's providers are named twilio, smtp, webhook, cap, x and facebook)`,
      );
    seen.add(name);
  }
  return problems;
}
