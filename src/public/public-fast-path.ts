import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../platform/context.js';
import type { RawRequestHandler } from '../platform/http/server.js';
import type { PublicFile } from './public-site-cache.js';
import { publicSiteCacheFor } from './public-site-caches.js';
import { acceptsGzip, notModified, publicCacheControl } from './public-http.js';

type Headers = Record<string, string | number>;

/** The three header sets a file is answered with, built once per file. */
interface FileHeaders {
  plain: Headers;
  gzip: Headers;
  notModified: Headers;
}

/**
 * The public site's answer before any routing: a GET or HEAD of a file the current site has
 * already rendered (through the public routes, which validated the path) is written straight from
 * memory with the headers those routes send (helmet's security headers as the server chose them,
 * ETag, Cache-Control, Vary, CORS), built once per file, and counted. Anything else (a query
 * string, a file not rendered yet, every other route) goes on to the server untouched. This keeps
 * the emergency page fast while the same process carries an alert: the per-request hooks
 * (request id, cookies, access control, logging, the latency histogram) cost several times the
 * answer. These answers carry no request id: nothing is logged for them.
 */
export function publicFastPath(ctx: AppContext): RawRequestHandler {
  const cache = publicSiteCacheFor(ctx);
  const cacheControl = publicCacheControl(ctx);
  const built = new WeakMap<PublicFile, FileHeaders>();
  const headersOf = (file: PublicFile, security: Readonly<Record<string, string>>): FileHeaders => {
    let headers = built.get(file);
    if (headers) return headers;
    const common = {
      ...security,
      etag: file.etag,
      'cache-control': cacheControl,
      vary: 'accept-encoding',
      'access-control-allow-origin': '*',
    };
    const plain = { ...common, 'content-type': file.contentType, 'content-length': file.body.length };
    headers = {
      plain,
      gzip: { ...plain, 'content-encoding': 'gzip', 'content-length': file.gzip().length },
      notModified: common,
    };
    built.set(file, headers);
    return headers;
  };
  const requests = {
    get: ctx.metrics.httpRequests.labels({ method: 'GET', route: '/ (public fast path)', status: '200' }),
    head: ctx.metrics.httpRequests.labels({ method: 'HEAD', route: '/ (public fast path)', status: '200' }),
    notModified: ctx.metrics.httpRequests.labels({
      method: 'GET',
      route: '/ (public fast path)',
      status: '304',
    }),
  };
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const security = cache.securityHeaders;
    const url = request.url ?? '';
    if (!security || url.includes('?')) return false;
    const file = cache.peek(url === '/' ? 'index.html' : url.slice(1));
    if (!file) return false;
    const headers = headersOf(file, security);
    if (notModified(request.headers['if-none-match'], file.etag)) {
      response.writeHead(304, headers.notModified).end();
      requests.notModified.inc();
      return true;
    }
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    response.writeHead(200, gzip ? headers.gzip : headers.plain);
    response.end(method === 'HEAD' ? undefined : gzip ? file.gzip() : file.body);
    (method === 'HEAD' ? requests.head : requests.get).inc();
    return true;
  };
}
