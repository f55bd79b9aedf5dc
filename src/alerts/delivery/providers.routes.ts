import { requires } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { providerOverview } from './provider-overview.js';
import { ProvidersOverviewSchema } from './providers.schema.js';

/** Providers and senders with their health and circuit state. */
export const providerRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/providers',
    {
      config: requires('providers.manage'),
      schema: {
        tags: ['providers'],
        summary:
          'Every channel’s providers in failover order, their senders, configuration without secrets, and circuit state',
        response: { 200: ProvidersOverviewSchema, ...errorResponses(401, 403) },
      },
    },
    async () => providerOverview(ctx),
  );
};
