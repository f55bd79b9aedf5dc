import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from '../identity/request-principal.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { defaultCampusId } from '../directory/sync/sync.queries.js';
import { alertKinds, delayReasons, deliveryChannels } from './alerts.tables.js';
import { Translations } from './send-flow.schema.js';
import { alertStatus } from './alert-status.js';
import { estimateReach } from './audience.js';
import { listOutbox } from './outbox.queries.js';
import { sendAlert } from './send-alert.js';
import { closeAlert, sendFollowUp } from './follow-up.js';
import { listTemplates, loadTemplateVersion } from './templates.js';

const tags = ['alerts'];
const literal = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Audience = Type.Object(
  {
    everyone: Type.Optional(Type.Boolean()),
    affiliations: Type.Optional(
      Type.Array(literal(['student', 'employee', 'affiliate', 'extended']), { maxItems: 4 }),
    ),
    groupIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })),
    locationCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 200 })),
  },
  { additionalProperties: false },
);
const Channels = Type.Array(Type.String({ minLength: 1, maxLength: 20 }), {
  minItems: 1,
  maxItems: deliveryChannels.length,
});

/** Templates, reach estimates, sending alerts and reading their status; the outbox. */
export const alertRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/templates',
    { config: requires('alerts.read'), schema: { tags, summary: 'Templates, most used first' } },
    async () => ({
      templates: (await listTemplates(ctx.db)).map((t) => ({
        id: t.id,
        name: t.name,
        hazard: t.hazard,
        version: t.current_version,
        uses: Number(t.uses),
      })),
    }),
  );

  app.get(
    '/api/v1/templates/:id',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'A template’s current version in every language',
        params: IdParams,
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request) => loadTemplateVersion(ctx.db, request.params.id),
  );

  app.post(
    '/api/v1/alerts/reach',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'How many people and addresses per channel an audience reaches now',
        body: Type.Object({ audience: Audience, channels: Channels }, { additionalProperties: false }),
        response: errorResponses(400, 401, 403),
      },
    },
    async (request) =>
      estimateReach(
        ctx.db,
        await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug),
        request.body.audience,
        request.body.channels,
        ctx.profile.alerts.pagingServers.length,
      ),
  );

  app.post(
    '/api/v1/alerts',
    {
      // Reading is the floor; sendAlert checks the permission of the kind (alerts.send.emergency, …).
      config: requires('alerts.read'),
      schema: {
        tags,
        summary:
          'Send an alert now (emergency, operations, test or exercise); the reply has its id for status',
        body: Type.Object(
          {
            templateId: Type.String({ format: 'uuid' }),
            kind: literal(alertKinds),
            where: Type.String({ minLength: 1, maxLength: 200 }),
            what: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            actions: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
            translations: Type.Optional(Translations),
            audience: Audience,
            audienceReason: Type.String({ minLength: 1, maxLength: 1000 }),
            channels: Channels,
            announced: Type.Optional(Type.Boolean()),
            acknowledgementRequested: Type.Optional(Type.Boolean()),
            escalationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
            confirmedBy: Type.Optional(Type.String({ maxLength: 200 })),
            confirmationSource: Type.Optional(Type.String({ maxLength: 500 })),
            confirmedAt: Type.Optional(Type.String({ format: 'date-time' })),
            delayReason: Type.Optional(literal(delayReasons)),
            delayDecidedBy: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({ alertId: Type.String(), messageId: Type.String() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const sent = await sendAlert(ctx, principalOf(request), {
        ...b,
        record: {
          confirmedBy: b.confirmedBy,
          confirmationSource: b.confirmationSource,
          confirmedAt: b.confirmedAt ? new Date(b.confirmedAt) : null,
          delayReason: b.delayReason,
          delayDecidedBy: b.delayDecidedBy,
        },
        request: requestMeta(request),
      });
      return reply.status(202).send(sent);
    },
  );

  app.post(
    '/api/v1/alerts/:id/updates',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary:
          'Send an update or the all-clear to the same audience (needs the send permission of the alert’s kind)',
        params: IdParams,
        body: Type.Object(
          {
            type: literal(['update', 'all_clear']),
            what: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            where: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            actions: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
            translations: Type.Optional(Translations),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({ messageId: Type.String(), sequence: Type.Integer() }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const sent = await sendFollowUp(ctx, principalOf(request), request.params.id, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(202).send(sent);
    },
  );

  app.post(
    '/api/v1/alerts/:id/close',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'Close a sent alert: after its all-clear, or with a recorded reason',
        params: IdParams,
        body: Type.Object(
          { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ ok: Type.Literal(true) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      await closeAlert(ctx, principalOf(request), request.params.id, {
        reason: request.body.reason,
        request: requestMeta(request),
      });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'An alert, its messages and delivery counts per channel and status',
        params: IdParams,
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request) => alertStatus(ctx.db, request.params.id),
  );

  app.get(
    '/api/v1/outbox',
    {
      config: requires('outbox.read'),
      schema: {
        tags,
        summary: 'Messages the outbox provider stored instead of sending, newest first',
        querystring: Type.Object(
          {
            channel: Type.Optional(Type.String({ maxLength: 20 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403),
      },
    },
    async (request) => {
      const rows = await listOutbox(ctx.db, request.query);
      return {
        messages: rows.map((m) => ({
          id: m.id,
          deliveryId: m.delivery_id,
          channel: m.channel,
          address: m.address,
          subject: m.subject,
          body: m.body,
          createdAt: m.created_at.toISOString(),
        })),
      };
    },
  );
};
