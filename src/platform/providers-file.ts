import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { parseSender, type ProviderSettings, type SmsSender } from './delivery-settings.js';

/** Provider names: stored on every delivery, shown to operators. `outbox` is the default's. */
const providerName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,39}$/,
    'must be 1 to 40 lower-case letters, digits, "-" or "_", starting with a letter',
  )
  .refine((name) => name !== 'outbox', 'outbox is the built-in default provider; choose another name');

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((url) => url.replace(/\/+$/, ''));
const timeoutSeconds = z.number().positive().max(300).default(10);

const sender = z.union([
  z.string().transform((text, check) => {
    const parsed = parseSender(text);
    if (typeof parsed === 'string') {
      check.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  }),
  z.strictObject({
    number: z.string().transform((text, check) => {
      const parsed = parseSender(text);
      if (typeof parsed === 'string') check.addIssue({ code: 'custom', message: parsed });
      return text.trim();
    }),
    segmentsPerSecond: z.number().min(0).max(100_000).default(1),
  }),
]) satisfies z.ZodType<SmsSender, unknown>;

const twilio = z.strictObject({
  type: z.literal('twilio'),
  name: providerName,
  channels: z
    .array(z.enum(['sms', 'voice']))
    .min(1)
    .default(['sms', 'voice']),
  baseUrl: httpUrl.default('https://api.twilio.com'),
  accountSid: z.string().min(1),
  authToken: z.string().min(1),
  senders: z.array(sender).min(1, 'list at least one sender'),
  callsPerSecond: z.number().positive().max(1000).default(1),
  maxInFlight: z.number().int().min(1).max(1000).default(64),
  timeoutSeconds,
});

const smtp = z.strictObject({
  type: z.literal('smtp'),
  name: providerName,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  secure: z.boolean().default(false),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  from: z.string().min(3),
  maxConnections: z.number().int().min(1).max(100).default(5),
  recipientsPerMessage: z.number().int().min(1).max(1000).default(50),
  timeoutSeconds,
});

const urls = z.array(httpUrl).min(1, 'list at least one URL');

const webhook = z.strictObject({
  type: z.literal('webhook'),
  name: providerName,
  channels: z
    .array(z.enum(['signage', 'desktop', 'webhook']))
    .min(1)
    .default(['signage', 'desktop', 'webhook']),
  urls,
  secret: z.string().min(16, 'must be at least 16 characters'),
  timeoutSeconds,
});

const cap = z.strictObject({ type: z.literal('cap'), name: providerName, urls, timeoutSeconds });

const x = z.strictObject({
  type: z.literal('x'),
  name: providerName,
  baseUrl: httpUrl.default('https://api.x.com'),
  bearerToken: z.string().min(1),
  timeoutSeconds,
});

const facebook = z.strictObject({
  type: z.literal('facebook'),
  name: providerName,
  baseUrl: httpUrl.default('https://graph.facebook.com'),
  graphVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v19.0')
    .default('v19.0'),
  pageId: z.string().regex(/^\d+$/, 'must be the numeric page id'),
  accessToken: z.string().min(1),
  timeoutSeconds,
});

const fileSchema = z.strictObject({
  providers: z.array(z.discriminatedUnion('type', [twilio, smtp, webhook, cap, x, facebook])),
});

type FileProvider = z.infer<typeof fileSchema>['providers'][number];

/** One provider of the file as the adapters take it. */
function toSettings(p: FileProvider): ProviderSettings {
  const { timeoutSeconds: seconds, ...rest } = p;
  const timeoutMs = Math.round(seconds * 1000);
  switch (rest.type) {
    case 'smtp':
      return {
        ...rest,
        channels: ['email'],
        port: rest.port ?? (rest.secure ? 465 : 587),
        user: rest.user ?? null,
        password: rest.password ?? null,
        timeoutMs,
      };
    case 'cap':
      return { ...rest, channels: ['cap'], timeoutMs };
    case 'x':
      return { ...rest, channels: ['x'], timeoutMs };
    case 'facebook':
      return { ...rest, channels: ['facebook'], timeoutMs };
    default:
      return { ...rest, timeoutMs };
  }
}

/** Problems that span fields of one provider. */
function crossCheck(p: FileProvider, index: number): string[] {
  if (p.type === 'smtp' && Boolean(p.user) !== Boolean(p.password))
    return [`providers.${index}.user/password: set both, or neither to send without AUTH`];
  return [];
}

/**
 * Read TOCSIN_PROVIDERS_FILE: `providers:` a list, each with a `type` (twilio, smtp, webhook, cap,
 * x, facebook) and a unique `name`. Returns the providers in file order, or the problems, each
 * naming the field.
 */
export function readProvidersFile(file: string): { providers: ProviderSettings[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { providers: [], problems: [`cannot read the file: ${(error as Error).message}`] };
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    return { providers: [], problems: doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`) };
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      providers: [],
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    };
  }
  const problems = parsed.data.providers.flatMap(crossCheck);
  return { providers: problems.length ? [] : parsed.data.providers.map(toSettings), problems };
}
