import { requires } from '../platform/http/access.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { RolesSchema, type RolesView } from './roles.schema.js';

/** The profile's roles and their permissions, so the console can offer them. */
export const roleRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/roles',
    {
      config: requires('operators.read'),
      schema: {
        tags: ['operators'],
        summary: 'The roles of the policy profile with their title, description, MFA rule and permissions',
        response: { 200: RolesSchema, ...errorResponses(401, 403) },
      },
    },
    async (): Promise<RolesView> => ({
      roles: Object.entries(ctx.profile.roles).map(([key, role]) => ({
        key,
        title: role.title,
        description: role.description ?? '',
        privileged: role.privileged,
        permissions: [...role.permissions],
      })),
    }),
  );
};
