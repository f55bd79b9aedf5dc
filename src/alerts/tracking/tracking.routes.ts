import { Type } from 'typebox';
import { requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { principalOf } from '../../identity/request-principal.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { readTracking } from './read-tracking.js';
import { trackingHubFor, trackingStreamLimiterFor } from './tracking-hubs.js';
import { streamTracking } from './tracking-stream.js';
import { AlertTrackingSchema } from './tracking.schema.js';

const tags = ['alerts'];

/** Live tracking of an alert: one JSON snapshot, or a server-sent-events stream of them. */
export const trackingRoutes: RoutePlugin = (app, ctx) => {
  const hub = trackingHubFor(ctx);
  const limiter = trackingStreamLimiterFor(ctx);
  // Open streams would hold the server open until the shutdown timeout: end them first.
  app.addHook('preClose', async () => hub.close());

  app.get(
    '/api/v1/alerts/:id/tracking',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary:
          'Delivery of an alert per message and channel: counts, throughput, latency, failures, acknowledgements',
        description:
          'The need-help list (names and the numbers they answered from) is included only for callers who also hold directory.read; reading it writes an audit row.',
        params: IdParams,
        response: { 200: AlertTrackingSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => readTracking(ctx, principalOf(request), request.params.id, requestMeta(request)),
  );

  app.get(
    '/api/v1/alerts/:id/tracking/stream',
    {
      config: requires('alerts.read'),
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'The same tracking as a server-sent-events stream (text/event-stream)',
        description: [
          'Events: `tracking` (data: the JSON of GET …/tracking; `id` changes exactly when the content does) at once,',
          'then every second while the alert is sending or deliveries are pending, else when something changes',
          '(polled every 5 s); a `: keepalive` comment after 12 s of silence; `end` once the alert is closed, after which',
          'the server closes the stream. Send Last-Event-ID to resume: nothing is re-sent if nothing changed, and a closed',
          'alert answers 204 (EventSource stops reconnecting). At most 10 streams per operator or token (429).',
          'Opening a stream that may show the need-help list (directory.read) writes an audit row.',
        ].join(' '),
        params: IdParams,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) }),
        response: {
          200: {
            description: 'text/event-stream',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          204: { description: 'The alert is closed and the client has its last state' },
          ...errorResponses(400, 401, 403, 404, 429),
        },
      },
    },
    (request, reply) => streamTracking(ctx, hub, limiter, request.params.id, request, reply),
  );
};
