import { Type } from 'typebox';
import { pingDatabase } from '../db/database.js';
import type { RoutePlugin } from './server.js';
import { publicRoute, requires } from './access.js';
import { ErrorResponse } from './schemas.js';

/** Liveness, readiness and Prometheus metrics. */
export const platformRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/healthz',
    {
      config: publicRoute,
      schema: {
        tags: ['platform'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: publicRoute,
      schema: {
        tags: ['platform'],
        summary: 'Readiness: the database answers',
        response: { 200: Type.Object({ status: Type.Literal('ready') }), 503: ErrorResponse },
      },
    },
    async (_request, reply) => {
      try {
        await Promise.race([
          pingDatabase(ctx.db),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('database ping timed out')), 2000).unref(),
          ),
        ]);
        return { status: 'ready' as const };
      } catch (error) {
        reply.log.warn({ err: error }, 'not ready');
        return reply
          .status(503)
          .send({ error: { code: 'unavailable', message: 'The database does not answer.' } });
      }
    },
  );

  app.get(
    '/metrics',
    {
      config: requires('metrics.read'),
      schema: {
        tags: ['platform'],
        summary: 'Prometheus metrics of this process',
        security: [{ token: [] }],
        hide: false,
      },
    },
    async (_request, reply) => {
      void reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
};
