import { Type } from 'typebox';
import { requires } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { principalOf } from './request-principal.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { AppContext } from '../platform/context.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { permissions } from './permissions.js';
import { createScimToken, listScimTokens, revokeScimToken } from './scim-tokens.js';

const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  permissions: Type.Array(Type.String()),
  operator: Type.Union([Type.String(), Type.Null()], {
    description:
      'The operator the token acts for: it works only while they are active, with no more than their roles grant',
  }),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
const TokenList = Type.Object({
  tokens: Type.Array(ApiToken),
  maxDays: Type.Integer({ description: 'The longest a token may last under the profile' }),
  scimUrl: Type.String({ description: 'The SCIM 2.0 base URL to give the identity provider' }),
});
const Name = Type.String({ minLength: 1, maxLength: 100 });
const ExpiresInDays = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 3650, description: 'Default and limit: the profile’s maximum' }),
);
const Created = Type.Object({ token: Type.String(), apiToken: ApiToken });
const tags = ['api tokens'];

/** Where the directory's SCIM server answers; the composition root passes the directory's own. */
export interface TokenRouteLinks {
  scimBaseUrl: (ctx: AppContext) => string;
}

/** Scoped, hashed, revocable API tokens for integrations; SCIM tokens for holders of scim.provision. */
export const tokenRoutes =
  ({ scimBaseUrl }: TokenRouteLinks): RoutePlugin =>
  (app, ctx) => {
    const listOf = (tokens: Awaited<ReturnType<typeof listApiTokens>>) => ({
      tokens,
      maxDays: ctx.profile.security.apiTokenMaxDays,
      scimUrl: scimBaseUrl(ctx),
    });

    app.get(
      '/api/v1/tokens',
      {
        config: requires('tokens.manage'),
        schema: {
          tags,
          summary: 'List API tokens (never their secrets)',
          response: { 200: TokenList, ...errorResponses(401, 403) },
        },
      },
      async () => listOf(await listApiTokens(ctx)),
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
              name: Name,
              permissions: Type.Array(Type.Union(permissions.map((p) => Type.Literal(p))), {
                minItems: 1,
                maxItems: permissions.length,
              }),
              expiresInDays: ExpiresInDays,
            },
            { additionalProperties: false },
          ),
          response: { 201: Created, ...errorResponses(400, 401, 403) },
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

    app.get(
      '/api/v1/tokens/scim',
      {
        config: requires('scim.provision'),
        schema: {
          tags,
          summary: 'List the tokens that can provision over SCIM (never their secrets)',
          response: { 200: TokenList, ...errorResponses(401, 403) },
        },
      },
      async () => listOf(await listScimTokens(ctx)),
    );

    app.post(
      '/api/v1/tokens/scim',
      {
        config: requires('scim.provision'),
        schema: {
          tags,
          summary:
            'Create a SCIM provisioning token (permission scim.provision only); the secret is shown once',
          body: Type.Object({ name: Name, expiresInDays: ExpiresInDays }, { additionalProperties: false }),
          response: { 201: Created, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const created = await createScimToken(ctx, principal.actor, principal.permissions, {
          ...request.body,
          request: requestMeta(request),
        });
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/api/v1/tokens/scim/:id',
      {
        config: requires('scim.provision'),
        schema: {
          tags,
          summary: 'Revoke a SCIM provisioning token; it stops working at once',
          params: IdParams,
          response: { 200: ApiToken, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        revokeScimToken(ctx, principalOf(request).actor, request.params.id, requestMeta(request)),
    );
  };
