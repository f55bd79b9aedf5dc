import { Type } from 'typebox';
import { requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { readAlertReach } from './alert-reach.js';
import { AlertReachSchema, ResendResultSchema } from './alert-reach.schema.js';
import { resendToUnreached } from './resend-unreached.js';

const tags = ['alerts'];
const Uuid = Type.String({ format: 'uuid' });

/** Who an alert has reached and who not; re-sending to the unreached. */
export const reachRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/alerts/:id/reach',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'People a message of an alert has reached and not reached, per channel',
        description: [
          'Counts for every reader of alerts. The list of unreached people (names, masked addresses and why,',
          'per address) only for callers who also hold directory.read; reading it writes an audit row.',
          'The message is the alert’s latest alert, update or all-clear unless messageId names one.',
        ].join(' '),
        params: IdParams,
        querystring: Type.Object(
          {
            messageId: Type.Optional(Uuid),
            after: Type.Optional(
              Type.String({ format: 'uuid', description: 'nextAfter of the previous page' }),
            ),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: AlertReachSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      readAlertReach(ctx, principalOf(request), request.params.id, {
        ...request.query,
        request: requestMeta(request),
      }),
  );

  app.post(
    '/api/v1/alerts/:id/reach/resend',
    {
      // Reading is the floor; resendToUnreached checks the send permission of the alert's kind.
      config: requires('alerts.read'),
      schema: {
        tags,
        summary:
          'Re-send a message to the people it has not reached, on the addresses that did not fail them',
        description: [
          'Tries again every address of an unreached person whose latest delivery ended in a technical failure',
          '(retries ran out while a provider failed) or was cancelled. Never an address that failed permanently,',
          'was suppressed (opted out, malformed, unverified), is opted out now, or is still pending. Needs the',
          'send permission of the alert’s kind. requestId: a UUID made once per click; sending it again re-sends',
          'nothing and answers the first result with repeated: true.',
        ].join(' '),
        params: IdParams,
        body: Type.Object(
          { requestId: Uuid, messageId: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: { 202: ResendResultSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await resendToUnreached(ctx, principalOf(request), request.params.id, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(202).send(result);
    },
  );
};
