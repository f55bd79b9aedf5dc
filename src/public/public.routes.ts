import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { publicRoute } from '../platform/http/access.js';
import type { RoutePlugin } from '../platform/http/server.js';
import type { AppContext } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import type { PublicSiteCache } from './public-site-cache.js';
import { publicSiteCacheFor } from './public-site-caches.js';
import { streamSignage, type SignageStreams } from './signage-stream.js';
import { acceptsGzip, notModified, publicCacheControl, rememberSecurityHeaders } from './public-http.js';

const hide = { hide: true } as const;
const FileParams = Type.Object({ file: Type.String({ maxLength: 120 }) });

/**
 * A page in the language "?lang=" asks for ("/?lang=es", "/alerts/<id>?lang=es"): the page the
 * site's language links name ("index.es.html"; the primary language's has no suffix).
 */
function languagePage(ctx: AppContext, path: string, lang: unknown): string {
  const languages = ctx.profile.alerts.languages;
  if (typeof lang !== 'string' || !languages.includes(lang))
    throw new AppError(
      'validation',
      `lang: the site is in ${languages.join(', ')}; there is no page in "${String(lang)}".`,
      { field: 'lang' },
    );
  const base = path.replace(/(\.[a-z]{2}(-[A-Z]{2})?)?\.html$/, '');
  return lang === languages[0] ? `${base}.html` : `${base}.${lang}.html`;
}

/**
 * Send one public file: ETag with conditional GET, short max-age with stale-while-revalidate so a
 * CDN or browser absorbs a spike, gzip when accepted, open to other origins (it is public).
 */
async function servePublicFile(
  ctx: AppContext,
  cache: PublicSiteCache,
  path: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  if (lang !== undefined && (path.endsWith('.html') || !path.includes('.')))
    return reply.redirect(`/${languagePage(ctx, path, lang)}`, 302);
  const file = await cache.file(path);
  if (!file) throw notFound('Page');
  rememberSecurityHeaders(cache, reply);
  void reply
    .header('etag', file.etag)
    .header('cache-control', publicCacheControl(ctx))
    .header('vary', 'accept-encoding')
    .header('access-control-allow-origin', '*');
  if (notModified(request.headers['if-none-match'], file.etag)) return reply.code(304).send();
  void reply.type(file.contentType);
  if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(file.body);
  return reply.header('content-encoding', 'gzip').send(file.gzip());
}

/**
 * The public site: the emergency page, alert pages, archive, feeds, CAP documents, JSON and the
 * signage view, all rendered once per change; the signage event stream.
 */
export const publicRoutes: RoutePlugin = (app, ctx) => {
  const cache = publicSiteCacheFor(ctx);
  cache.start();
  const streams: SignageStreams = new Set();
  app.addHook('preClose', async () => {
    cache.stop();
    for (const stream of streams) stream.end();
  });
  const serve =
    (prefix: string) => (request: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) =>
      servePublicFile(ctx, cache, `${prefix}${request.params.file}`, request, reply);

  app.get('/', { config: publicRoute, schema: hide }, (request, reply) =>
    servePublicFile(ctx, cache, 'index.html', request, reply),
  );
  for (const prefix of ['', 'alerts/', 'cap/', 'archive/', 'feeds/'])
    app.get(
      `/${prefix}:file`,
      { config: publicRoute, schema: { ...hide, params: FileParams } },
      serve(prefix),
    );

  app.get(
    '/signage/events',
    {
      config: publicRoute,
      exposeHeadRoute: false,
      schema: {
        ...hide,
        querystring: Type.Object({
          lang: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' })),
        }),
      },
    },
    (request, reply) => streamSignage(ctx, cache, streams, request.query.lang, request.headers.accept, reply),
  );
};
