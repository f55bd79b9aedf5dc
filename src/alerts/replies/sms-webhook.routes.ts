import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { publicRoute } from '../../platform/http/access.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import {
  twilioSignedUrl,
  verifyTwilioSignature,
  type TwilioParams,
} from '../delivery/providers/twilio-signature.js';
import { handleInboundSms } from './handle-inbound-sms.js';
import { twimlReply } from './twiml.js';

export const smsWebhookPath = '/webhooks/twilio/sms';

/** The auth tokens of every configured Twilio-compatible account (any of them may post inbound SMS). */
function twilioAuthTokens(ctx: AppContext): string[] {
  return ctx.config.delivery.providers.flatMap((p) => (p.type === 'twilio' ? [p.authToken] : []));
}

/** The form fields as Twilio signed them; null when the body is not a flat form of strings. */
function formParams(body: unknown): TwilioParams | null {
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

/**
 * Refuse a webhook Twilio did not sign. The URL Twilio signed is the public URL it was given, or
 * (behind no proxy, or in a drill against the simulator) the URL as this server received it.
 */
function requireTwilioSignature(ctx: AppContext, request: FastifyRequest): void {
  const tokens = twilioAuthTokens(ctx);
  if (tokens.length === 0)
    throw new AppError(
      'forbidden',
      'No Twilio account is configured (TOCSIN_TWILIO_AUTH_TOKEN), so inbound SMS cannot be verified and is refused.',
    );
  const header = request.headers['x-twilio-signature'];
  const signature = typeof header === 'string' ? header : undefined;
  const params = formParams(request.body);
  const urls = [
    twilioSignedUrl(ctx.config.publicUrl, request.url),
    `${request.protocol}://${request.host}${request.url}`,
  ];
  if (params && urls.some((url) => verifyTwilioSignature(tokens, { url, params, signature }))) return;
  request.log.warn({ signed: signature !== undefined }, 'inbound sms refused: bad X-Twilio-Signature');
  throw new AppError(
    'forbidden',
    signature
      ? 'The X-Twilio-Signature does not match this request: it was not signed with a configured Twilio auth token for this URL.'
      : 'The X-Twilio-Signature header is missing: only Twilio may post inbound SMS here.',
  );
}

/**
 * Twilio's inbound-SMS webhook: STOP/START/HELP keywords and "1"/"2" acknowledgements, answered
 * with TwiML. Point the messaging number's "A message comes in" webhook at
 * $TOCSIN_PUBLIC_URL/webhooks/twilio/sms (HTTP POST).
 */
export const smsWebhookRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    smsWebhookPath,
    {
      config: publicRoute,
      preValidation: async (request) => requireTwilioSignature(ctx, request),
      schema: {
        tags: ['webhooks'],
        summary: 'Inbound SMS from Twilio (signed with X-Twilio-Signature); answers TwiML',
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Object(
          {
            MessageSid: Type.String({ pattern: '^[A-Za-z0-9]{2,64}$' }),
            From: Type.String({ minLength: 1, maxLength: 64 }),
            Body: Type.String({ maxLength: 1600, default: '' }),
          },
          { additionalProperties: Type.Union([Type.String(), Type.Array(Type.String())]) },
        ),
      },
    },
    async (request, reply) => {
      const outcome = await handleInboundSms(ctx, {
        messageSid: request.body.MessageSid,
        from: request.body.From,
        body: request.body.Body,
      });
      return reply.type('text/xml; charset=utf-8').send(twimlReply(outcome.reply));
    },
  );
};
