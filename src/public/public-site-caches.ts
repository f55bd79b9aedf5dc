import type { AppContext } from '../platform/context.js';
import { PublicSiteCache } from './public-site-cache.js';

const caches = new WeakMap<AppContext, PublicSiteCache>();

/** The process's public site for this context (created on first use). */
export function publicSiteCacheFor(ctx: AppContext): PublicSiteCache {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new PublicSiteCache(ctx);
    caches.set(ctx, cache);
  }
  return cache;
}
