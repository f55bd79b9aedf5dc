import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { publicRoute, requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { registerMember, resendVerification } from './register.js';
import type { AnonymousRequest } from './registrant.js';
import { readRegistrationOutbox } from './registration-outbox.js';
import { registrationChannels } from './self-registration.tables.js';
import { verifySmsCode } from './verify-contact.js';

const tags = ['self-registration'];

const RegistrationBody = Type.Object(
  {
    name: Type.String({ maxLength: 400, description: 'Your name as alerts should address you' }),
    email: Type.Optional(Type.String({ maxLength: 400 })),
    phone: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'Mobile number; without a country code it is read as a US number',
      }),
    ),
    language: Type.Optional(Type.String({ maxLength: 20, description: 'Language of alerts (en, es)' })),
    consent: Type.Boolean({ description: 'Must be true: you agree to receive emergency alerts' }),
  },
  { additionalProperties: false },
);

/**
 * The client as the throttle sees it. Anonymous routes log at warn only, so the IP address and
 * the tokens in their URLs never reach the request log.
 */
export function anonymousRequest(request: FastifyRequest): AnonymousRequest {
  return { clientIp: request.ip ?? null, requestId: String(request.id) };
}
export const quietLogs = 'warn' as const;

/** Self-registration API for the extended community (public, throttled), and its outbox for administrators. */
export const registrationRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    '/api/v1/registrations',
    {
      config: publicRoute,
      logLevel: quietLogs,
      schema: {
        tags,
        summary: 'Register for alerts (extended community): sends a code by SMS and/or a link by email',
        description:
          'Nothing is enrolled until an address is verified. The answer is the same whether or not an address is already registered.',
        body: RegistrationBody,
        response: errorResponses(400, 404, 429),
      },
    },
    async (request, reply) => {
      const receipt = await registerMember(ctx, request.body, anonymousRequest(request));
      return reply.status(202).send({
        ...receipt,
        message:
          'Check your messages: a 6-digit code was sent by SMS (valid 10 minutes) and/or a confirmation link by email (valid 24 hours).',
      });
    },
  );

  app.post(
    '/api/v1/registrations/:id/verify-sms',
    {
      config: publicRoute,
      logLevel: quietLogs,
      schema: {
        tags,
        summary: 'Confirm the mobile number with the 6-digit code (5 attempts per code)',
        params: IdParams,
        body: Type.Object({ code: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
        response: errorResponses(400, 404, 409, 429),
      },
    },
    async (request) => {
      const verified = await verifySmsCode(
        ctx,
        request.params.id,
        request.body.code,
        anonymousRequest(request),
      );
      return { verified: true, ...verified };
    },
  );

  app.post(
    '/api/v1/registrations/:id/resend',
    {
      config: publicRoute,
      logLevel: quietLogs,
      schema: {
        tags,
        summary: 'Send a new code (or link); the previous code stops working',
        params: IdParams,
        body: Type.Object({ channel: Type.Enum(registrationChannels) }, { additionalProperties: false }),
        response: errorResponses(400, 404, 409, 429),
      },
    },
    async (request, reply) => {
      await resendVerification(ctx, request.params.id, request.body.channel, anonymousRequest(request));
      return reply.status(202).send({ ok: true });
    },
  );

  app.get(
    '/api/v1/registrations/outbox',
    {
      config: requires('outbox.read'),
      schema: {
        tags,
        summary:
          'Verification messages kept instead of sent (no SMS or email provider configured), newest first',
        querystring: Type.Object(
          {
            channel: Type.Optional(Type.Enum(registrationChannels)),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403),
      },
    },
    async (request) => ({
      messages: await readRegistrationOutbox(
        ctx,
        principalOf(request).actor,
        request.query,
        requestMeta(request),
      ),
    }),
  );
};
