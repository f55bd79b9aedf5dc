import { requires } from '../platform/http/access.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { alertHistory } from './alert-history.js';
import { AlertHistoryPageSchema, AlertHistoryQuerySchema } from './alert-history.schema.js';

/** Alert history and search: GET /api/v1/alerts. */
export const alertHistoryRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/alerts',
    {
      config: requires('alerts.read'),
      schema: {
        tags: ['alerts'],
        summary: 'Alert history and search, newest first, a page at a time',
        description:
          'Each alert with its first message’s what and where, who sent it, its latest message type and its delivery totals. Filters combine; pass nextCursor back as cursor (with the same filters) for the next page.',
        querystring: AlertHistoryQuerySchema,
        response: { 200: AlertHistoryPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => alertHistory(ctx, request.query),
  );
};
