import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { principalOf, requestMeta } from '../platform/http/request-meta.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { permissions } from './permissions.js';

const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  permissions: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
const tags = ['api tokens'];

/** Scoped, hashed, revocable API tokens for integrations. */
export const tokenRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/tokens',
    {
      config: requires('tokens.manage'),
      schema: {
        tags,
        summary: 'List API tokens (never their secrets)',
        response: { 200: Type.Object({ tokens: Type.Array(ApiToken) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ tokens: await listApiTokens(ctx) }),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: requires('tokens.manage'),
      schema: {
        tags,
        summary: 'Create a token with some of your own permissions; the secret is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            permissions: Type.Array(Type.Union(permissions.map((p) => Type.Literal(p))), {
              minItems: 1,
              maxItems: permissions.length,
            }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), apiToken: ApiToken }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const created = await createApiToken(ctx, principal.actor, principal.permissions, {
        ...request.body,
        request: requestMeta(request),
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: requires('tokens.manage'),
      schema: {
        tags,
        summary: 'Revoke a token; it stops working at once',
        params: IdParams,
        response: { 200: ApiToken, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      revokeApiToken(ctx, principalOf(request).actor, request.params.id, requestMeta(request)),
  );
};
