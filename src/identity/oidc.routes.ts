import { Type } from 'typebox';
import { publicRoute } from '../platform/http/access.js';
import { requestMeta } from '../platform/http/request-meta.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { setSessionCookie } from './session-cookie.js';
import { signInWithOidc, startOidcSignIn } from './sign-in-with-oidc.js';
import { landingFor } from './sign-in-stages.js';

const tags = ['auth'];

/** Single sign-on with OpenID Connect: start at the IdP, come back to the callback with a session. */
export const oidcRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/api/v1/auth/oidc/start',
    {
      config: publicRoute,
      schema: {
        tags,
        summary:
          'Start single sign-on: redirects to the identity provider (404 when single sign-on is not configured)',
        querystring: Type.Object(
          {
            returnTo: Type.Optional(
              Type.String({ maxLength: 500, description: 'Path on this site to land on afterwards' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 404, 503),
      },
    },
    async (request, reply) => {
      const url = await startOidcSignIn(ctx, request.query.returnTo ?? '/');
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      config: publicRoute,
      schema: {
        tags,
        summary:
          'Where the identity provider sends the person back; starts a session and redirects to the next step',
        querystring: Type.Object({
          code: Type.Optional(Type.String()),
          state: Type.Optional(Type.String()),
          error: Type.Optional(Type.String()),
          error_description: Type.Optional(Type.String()),
        }),
        response: errorResponses(400, 401, 403, 404, 409, 503),
      },
    },
    async (request, reply) => {
      // The raw query, not the parsed one: openid-client checks every parameter the IdP sent (iss included).
      const query = new URL(request.url, 'http://callback.invalid').searchParams;
      const session = await signInWithOidc(ctx, { query, request: requestMeta(request) });
      setSessionCookie(ctx, reply, session.token);
      // A step still to take (Tocsin's own MFA) keeps where the person was going, as password sign-in does.
      return reply.redirect(landingFor(session.stage, session.returnTo), 303);
    },
  );
};
