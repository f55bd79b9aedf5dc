import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { defaultCampusId } from '../../directory/sync/sync.queries.js';
import { requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import { errorResponses, IdParams, OkResponse } from '../../platform/http/schemas.js';
import type { App, RoutePlugin } from '../../platform/http/server.js';
import { AppError, notFound } from '../../platform/errors.js';
import { alertKinds, delayReasons, deliveryChannels } from '../alerts.tables.js';
import { dismissInboundCap } from './dismiss-inbound-cap.js';
import { inboundCapView, inboundCapSummary } from './inbound-cap.views.js';
import { inboundCapStatuses } from './inbound-cap.tables.js';
import { listInboundCap, loadInboundCap } from './inbound-cap.queries.js';
import { maxCapBytes } from './read-cap-document.js';
import { loadFeeds } from './cap-feeds.queries.js';
import { capFeedStatus, CapFeedsResponse } from './cap-feeds.views.js';
import { receiveInboundCap } from './receive-inbound-cap.js';
import { relayInboundCap } from './relay-inbound-cap.js';
import { relayTextLimits } from './relay-defaults.policy.js';

const tags = ['inbound CAP'];
const literal = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
/** The media types a CAP document may be posted as. */
const capMediaTypes = ['application/cap+xml', 'application/xml', 'text/xml'];

const RelayBody = Type.Object(
  {
    templateId: Type.Optional(Type.String({ format: 'uuid' })),
    kind: Type.Optional(literal(alertKinds)),
    what: Type.Optional(Type.String({ minLength: 1, maxLength: relayTextLimits.what })),
    where: Type.Optional(Type.String({ minLength: 1, maxLength: relayTextLimits.where })),
    actions: Type.Optional(Type.String({ minLength: 1, maxLength: relayTextLimits.actions })),
    audience: Type.Optional(
      Type.Object(
        {
          everyone: Type.Optional(Type.Boolean()),
          affiliations: Type.Optional(
            Type.Array(literal(['student', 'employee', 'affiliate', 'extended']), { maxItems: 4 }),
          ),
          groupIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })),
          locationCodes: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 200 }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    audienceReason: Type.Optional(Type.String({ minLength: 1, maxLength: relayTextLimits.audienceReason })),
    channels: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 20 }), {
        minItems: 1,
        maxItems: deliveryChannels.length,
      }),
    ),
    announced: Type.Optional(Type.Boolean()),
    acknowledgementRequested: Type.Optional(Type.Boolean()),
    escalationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    confirmedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    confirmationSource: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    confirmedAt: Type.Optional(Type.String({ format: 'date-time' })),
    delayReason: Type.Optional(literal(delayReasons)),
    delayDecidedBy: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** Refuse anything but a UTF-8 XML body before it is read (after authentication and authorization). */
async function requireCapMediaType(request: FastifyRequest): Promise<void> {
  const header = request.headers['content-type'] ?? '';
  const [type = '', ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (capMediaTypes.includes(type) && (!charset || /^utf-?8$/.test(charset))) return;
  throw new AppError(
    'unsupported_media_type',
    `Send the CAP 1.2 document as application/cap+xml in UTF-8 (application/xml and text/xml are accepted too)${header ? `, not ${header}` : ''}.`,
  );
}

/** POST a CAP document: its own scope, so only this route reads XML bodies. */
async function submitRoute(app: App, ctx: Parameters<RoutePlugin>[1]): Promise<void> {
  await app.register(async (scoped: App) => {
    scoped.addContentTypeParser(
      capMediaTypes,
      { parseAs: 'string', bodyLimit: maxCapBytes },
      (_req, body, done) => done(null, body),
    );
    scoped.post(
      '/api/v1/cap/inbound',
      {
        config: requires('inbound_cap.submit'),
        onRequest: requireCapMediaType,
        bodyLimit: maxCapBytes,
        schema: {
          tags,
          summary:
            'Submit a CAP 1.2 alert (application/cap+xml, at most 1 MiB) for an operator to relay; the same sender and identifier again is answered with the stored one',
          consumes: capMediaTypes,
          body: Type.String({ description: 'A CAP 1.2 <alert> document' }),
          response: {
            200: Type.Object({ id: Type.String(), status: Type.String(), duplicate: Type.Literal(true) }),
            202: Type.Object({ id: Type.String(), status: Type.String() }),
            ...errorResponses(400, 401, 403, 413, 415),
          },
        },
      },
      async (request, reply) => {
        const received = await receiveInboundCap(ctx, principalOf(request).actor, {
          document: request.body,
          source: 'api',
          request: requestMeta(request),
        });
        if (!received.created)
          return reply
            .status(200)
            .send({ id: received.id, status: received.status, duplicate: true as const });
        return reply.status(202).send({ id: received.id, status: received.status });
      },
    );
  });
}

/** Inbound CAP: submitted by outside systems or polled from feeds, relayed or dismissed by operators. */
export const inboundCapRoutes: RoutePlugin = async (app, ctx) => {
  await submitRoute(app, ctx);

  app.get(
    '/api/v1/cap/inbound',
    {
      config: requires('inbound_cap.relay'),
      schema: {
        tags,
        summary: 'Inbound CAP messages, newest first',
        querystring: Type.Object(
          {
            status: Type.Optional(literal(inboundCapStatuses)),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            beforeSeq: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,18}$' })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403),
      },
    },
    async (request) => {
      const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
      const rows = await listInboundCap(ctx.db, campusId, request.query);
      return {
        items: rows.map((row) => inboundCapSummary(row, ctx.profile.alerts.languages[0]!)),
        nextBeforeSeq: rows.length === request.query.limit ? (rows.at(-1)?.seq ?? null) : null,
      };
    },
  );

  app.get(
    '/api/v1/cap/feeds',
    {
      config: requires('inbound_cap.relay'),
      schema: {
        tags,
        summary:
          'The configured CAP feeds (TOCSIN_CAP_FEEDS) and how each is doing: last poll, last good answer, the last error, failures in a row',
        response: { 200: CapFeedsResponse, ...errorResponses(401, 403) },
      },
    },
    async () => {
      const { urls, pollSeconds } = ctx.config.capFeeds;
      const rows = new Map((await loadFeeds(ctx.db, urls)).map((r) => [r.url, r]));
      const now = ctx.clock.now();
      return {
        pollSeconds,
        feeds: urls.map((url) => capFeedStatus(url, rows.get(url), now, pollSeconds)),
      };
    },
  );

  app.get(
    '/api/v1/cap/inbound/:id',
    {
      config: requires('inbound_cap.relay'),
      schema: {
        tags,
        summary: 'An inbound CAP message: its fields, the original XML and what relaying it would send',
        params: IdParams,
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request) => {
      const row = await loadInboundCap(ctx.db, request.params.id);
      if (!row) throw notFound('Inbound CAP message');
      return inboundCapView(ctx, row);
    },
  );

  app.post(
    '/api/v1/cap/inbound/:id/relay',
    {
      // Relaying is the floor; sending checks the permission of the alert's kind.
      config: requires('inbound_cap.relay'),
      // One action: a POST without a body relays with every default.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        summary:
          'Relay a pending CAP message as a Tocsin alert (or as the update or all-clear of the alert it refers to); every default can be overridden',
        params: IdParams,
        body: RelayBody,
        response: {
          202: Type.Object({
            alertId: Type.String(),
            messageId: Type.String(),
            type: Type.String(),
            sequence: Type.Integer(),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { confirmedAt, ...rest } = request.body;
      const relayed = await relayInboundCap(
        ctx,
        principalOf(request),
        request.params.id,
        { ...rest, confirmedAt: confirmedAt ? new Date(confirmedAt) : undefined },
        requestMeta(request),
      );
      return reply.status(202).send(relayed);
    },
  );

  app.post(
    '/api/v1/cap/inbound/:id/dismiss',
    {
      config: requires('inbound_cap.relay'),
      schema: {
        tags,
        summary: 'Dismiss a pending CAP message, with the reason',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: OkResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await dismissInboundCap(ctx, principalOf(request), request.params.id, {
        reason: request.body.reason,
        request: requestMeta(request),
      });
      return { ok: true as const };
    },
  );
};
