import type { FastifyReply } from 'fastify';
import type { AppContext } from '../platform/context.js';
import type { PublicSiteCache } from './public-site-cache.js';

/** True when the client already has this version (If-None-Match, weak or strong, lists, or *). */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** True when an Accept-Encoding header takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(accept: string | string[] | undefined): boolean {
  return typeof accept === 'string' && /\bgzip\b(?!;q=0(\.0+)?\b)/.test(accept);
}

/**
 * The Cache-Control of every public file: a short max-age, a short stale-while-revalidate (a CDN
 * answers from its copy while it fetches the new one, and a reader never gets a page more than
 * seconds old), and a day of stale-if-error, so a CDN keeps the page up when Tocsin is down.
 */
export function publicCacheControl(ctx: AppContext): string {
  const { maxAgeSeconds, staleSeconds } = ctx.config.publicSite;
  return `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${staleSeconds}, stale-if-error=86400`;
}

// Response headers helmet sets; the fast path repeats the values the server chose.
const securityHeaderNames = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

/** Keep the security headers of the first public answer, for the fast path. */
export function rememberSecurityHeaders(cache: PublicSiteCache, reply: FastifyReply): void {
  if (cache.securityHeaders) return;
  const headers = reply.getHeaders();
  cache.securityHeaders = Object.fromEntries(
    securityHeaderNames
      .filter((name) => headers[name] !== undefined)
      .map((name) => [name, String(headers[name])]),
  );
}
