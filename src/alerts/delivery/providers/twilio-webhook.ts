import type { FastifyRequest } from 'fastify';
import { writeAudit } from '../../../audit/write-audit.js';
import type { AppContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { requestMeta } from '../../../platform/http/request-meta.js';
import { twilioSignedUrl, verifyTwilioSignature, type TwilioParams } from './twilio-signature.js';

/** The auth tokens of every configured Twilio-compatible account (any of them may post to Tocsin). */
function twilioAuthTokens(ctx: Pick<AppContext, 'config'>): string[] {
  return ctx.config.delivery.providers.flatMap((p) => (p.type === 'twilio' ? [p.authToken] : []));
}

/** The form fields of a webhook as Twilio signed them; null when the body is not a flat form of strings. */
function twilioFormParams(body: unknown): TwilioParams | null {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return null;
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const ok =
      typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok) return null;
    params[name] = value as string | string[];
  }
  return params;
}

/** One value of a form field (the last, when repeated). */
export function formValue(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : value?.[value.length - 1];
}

/**
 * The verified form of a Twilio webhook, or a 403 that says what was wrong (and an audit row with
 * the address and the route, never the signature). The URL Twilio signed is the public URL it was
 * given, or (no proxy, or a drill against the simulator) the URL as this server received it.
 */
export async function verifiedTwilioForm(
  ctx: AppContext,
  request: FastifyRequest,
  what: string,
): Promise<TwilioParams> {
  const tokens = twilioAuthTokens(ctx);
  const header = request.headers['x-twilio-signature'];
  const signature = typeof header === 'string' && header !== '' ? header : undefined;
  const params = twilioFormParams(request.body);
  const urls = [
    twilioSignedUrl(ctx.config.publicUrl, request.url),
    `${request.protocol}://${request.host}${request.url}`,
  ];
  if (params && urls.some((url) => verifyTwilioSignature(tokens, { url, params, signature }))) return params;
  const reason =
    tokens.length === 0
      ? `No Twilio account is configured (TOCSIN_TWILIO_AUTH_TOKEN or the providers file), so ${what} cannot be verified and is refused.`
      : signature
        ? `The X-Twilio-Signature does not match this request: it was not signed with a configured Twilio auth token for this URL.`
        : `The X-Twilio-Signature header is missing: only Twilio may post ${what} here.`;
  request.log.warn(
    { signed: signature !== undefined, route: request.routeOptions.url },
    `${what} refused: bad signature`,
  );
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, {
      actor: { type: 'anonymous', id: null, label: 'twilio webhook' },
      action: 'webhook.refused',
      outcome: 'denied',
      metadata: { route: request.routeOptions.url ?? null, signed: signature !== undefined, what },
      request: requestMeta(request),
    }),
  );
  throw new AppError('forbidden', reason);
}
