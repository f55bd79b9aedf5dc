import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { brandOf, faviconSvg } from '../platform/brand.js';
import { publicRoute } from '../platform/http/access.js';
import { html } from '../platform/http/html.js';
import { plainPage } from '../platform/http/plain-page.js';
import type { RoutePlugin } from '../platform/http/server.js';
import { consoleDist } from './console-build.js';

/** Where the console sends an operator whose browser cannot run it. */
const breakGlassPath = '/send';

/**
 * The operator console: its built files under /console/ (hashed assets cached for a year, the
 * HTML revalidated on every load so a new build is never hidden behind a stale cache), every
 * other /console/ path answered with the application (it routes in the browser), and the few
 * settings it needs before anyone signs in.
 */
export const consoleRoutes: RoutePlugin = async (app, ctx) => {
  // @fastify/static sends the files (ranges, ETags, safe paths); the route is ours, so it declares its access.
  const assets = path.join(consoleDist, 'assets');
  await app.register(fastifyStatic, {
    root: assets,
    serve: false,
    index: false,
    cacheControl: false,
    preCompressed: true,
  });
  app.get<{ Params: { '*': string } }>(
    '/console/assets/*',
    { config: publicRoute, schema: { hide: true } },
    (request, reply) => {
      reply.header('cache-control', 'public, max-age=31536000, immutable');
      return reply.sendFile(request.params['*'], assets);
    },
  );

  const unavailable = (reply: FastifyReply) =>
    reply
      .status(503)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        plainPage({
          brand: brandOf(ctx.profile.branding),
          lang: 'en',
          title: 'Console unavailable',
          heading: 'The operator console is not available',
          top: html``,
          body: html`<p>
              Its build is missing or failed (the server log says why). Alerts can still be sent.
            </p>
            <p><a href="${breakGlassPath}">Send an alert with the plain form</a></p>`,
          noindex: true,
        }),
      );
  const application = async (_: unknown, reply: FastifyReply) => {
    const index = path.join(consoleDist, 'index.html');
    if (!existsSync(index)) return unavailable(reply);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(readFileSync(index));
  };
  app.get('/console', { config: publicRoute, schema: { hide: true } }, (_, reply) =>
    reply.redirect('/console/', 301),
  );
  app.get('/console/', { config: publicRoute, schema: { hide: true } }, application);
  app.get('/console/*', { config: publicRoute, schema: { hide: true } }, application);

  app.get(
    '/api/v1/console/settings',
    {
      config: publicRoute,
      schema: {
        tags: ['console'],
        summary: 'What the operator console needs before sign-in: the institution and the sign-in options',
        response: {
          200: Type.Object({
            institution: Type.Object({
              name: Type.String(),
              shortName: Type.String(),
              alertProgramName: Type.String(),
            }),
            ssoEnabled: Type.Boolean(),
            breakGlassPath: Type.String(),
            timezone: Type.String({
              description: 'The campus’s time zone: the console shows every time in it',
            }),
            branding: Type.Object(
              { primaryColour: Type.String(), accentColour: Type.String() },
              { description: 'The institution’s colours (the profile’s branding)' },
            ),
          }),
        },
      },
    },
    async () => {
      const { name, shortName, alertProgramName, timezone } = ctx.profile.institution;
      return {
        institution: { name, shortName, alertProgramName },
        ssoEnabled: Boolean(ctx.config.oidc),
        breakGlassPath,
        timezone,
        branding: brandOf(ctx.profile.branding),
      };
    },
  );

  // The favicon every page links (the console's index.html, the server-rendered pages), and the
  // address browsers ask for by themselves: a small SVG bell in the institution's colour.
  const favicon = faviconSvg(brandOf(ctx.profile.branding));
  const sendFavicon = (_: unknown, reply: FastifyReply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(favicon);
  app.get('/favicon.svg', { config: publicRoute, schema: { hide: true } }, sendFavicon);
  app.get('/favicon.ico', { config: publicRoute, schema: { hide: true } }, sendFavicon);
};
