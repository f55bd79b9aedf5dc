import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../platform/context.js';
import type { RawRequestHandler } from '../platform/http/server.js';
import { publicSiteCacheFor } from './public-site-caches.js';
import { acceptsGzip, notModified, publicCacheControl } from './public-http.js';

/**
 * The public site's answer before any routing: a GET or HEAD of a file the current site has
 * already rendered (through the public routes, which validated the path) is written straight from
 * memory with the headers those routes send (helmet's security headers as the server chose them,
 * ETag, Cache-Control, Vary, CORS), a request id and the request counter. Anything else (a query
 * string, a file not rendered yet, every other route) goes on to the server untouched. This is
 * what keeps the emergency page fast while the same process carries an alert: the per-request
 * hooks (cookies, access control, logging, the latency histogram) cost several times the answer.
 */
export function publicFastPath(ctx: AppContext): RawRequestHandler {
  const cache = publicSiteCacheFor(ctx);
  const cacheControl = publicCacheControl(ctx);
  const prefix = randomBytes(4).toString('hex');
  let sequence = 0;
  const counted = new Map<string, { inc(): void }>();
  const count = (method: string, status: number) => {
    const key = `${method} ${status}`;
    let child = counted.get(key);
    if (!child) {
      child = ctx.metrics.httpRequests.labels({
        method,
        route: '/ (public fast path)',
        status: String(status),
      });
      counted.set(key, child);
    }
    child.inc();
  };
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const security = cache.securityHeaders;
    const url = request.url ?? '';
    if (!security || url.includes('?')) return false;
    const file = cache.peek(url === '/' ? 'index.html' : url.slice(1));
    if (!file) return false;
    sequence += 1;
    const headers: Record<string, string | number> = {
      ...security,
      'x-request-id': `${prefix}-${sequence}`,
      etag: file.etag,
      'cache-control': cacheControl,
      vary: 'accept-encoding',
      'access-control-allow-origin': '*',
    };
    if (notModified(request.headers['if-none-match'], file.etag)) {
      response.writeHead(304, headers).end();
      count(method, 304);
      return true;
    }
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    const body = gzip ? file.gzip() : file.body;
    headers['content-type'] = file.contentType;
    headers['content-length'] = body.length;
    if (gzip) headers['content-encoding'] = 'gzip';
    response.writeHead(200, headers);
    response.end(method === 'HEAD' ? undefined : body);
    count(method, 200);
    return true;
  };
}
