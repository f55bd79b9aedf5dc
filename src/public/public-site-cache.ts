import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { gzipSync } from 'node:zlib';
import type { AppContext } from '../platform/context.js';
import { publishedMessagesFingerprint } from '../alerts/published-messages.queries.js';
import { renderPublicPath } from './public-files.js';
import { loadPublicSite } from './load-public-site.js';
import { siteContextOf, type SiteContext } from './site-context.js';

/** A rendered public file with its validator; the gzip copy is made on the first request that takes it. */
export interface PublicFile {
  contentType: string;
  body: Buffer;
  etag: string;
  gzip(): Buffer;
}

function publicFile(contentType: string, text: string): PublicFile {
  const body = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  let gzipped: Buffer | null = null;
  return {
    contentType,
    body,
    etag,
    gzip: () => (gzipped ??= gzipSync(body)),
  };
}

/** How often a server process asks the database whether the public site changed. */
const publicSitePollMs = 500;

/**
 * The public site as this process serves it: loaded once per change and every file rendered once
 * per change, on its first request. A cheap fingerprint query every half second notices sends,
 * updates, all-clears and closes from any process; a change (or the clock ending an all-clear)
 * reloads, and listeners ('change') hear the new site. Requests during a reload get the previous
 * site, so a burst never waits on the database.
 */
export class PublicSiteCache extends EventEmitter {
  private sc: SiteContext | null = null;
  private files = new Map<string, PublicFile>();
  private loading: Promise<SiteContext> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checks: Promise<boolean> = Promise.resolve(false);
  /** Files rendered since start: once per file per change, never per request. */
  renders = 0;
  /**
   * The security headers the server's first public answer carried (helmet's, per route config):
   * the fast path sends the same ones.
   */
  securityHeaders: Readonly<Record<string, string>> | null = null;

  constructor(private readonly ctx: AppContext) {
    super();
    this.setMaxListeners(0);
  }

  /** The current site, loading it the first time. */
  async current(): Promise<SiteContext> {
    return this.sc ?? this.reload();
  }

  /** A file of the current site by path (no leading slash), or null when the site has no such file. */
  async file(path: string, live = true): Promise<PublicFile | null> {
    const sc = await this.current();
    const key = `${live ? 'live' : 'static'}:${path}`;
    const cached = this.files.get(key);
    if (cached !== undefined) return cached;
    const rendered = renderPublicPath(sc, path, live);
    this.renders += 1;
    const file = rendered ? publicFile(rendered.contentType, rendered.body) : null;
    // Only files that exist are kept (a finite set per site): unknown paths cannot grow the map.
    if (file && sc === this.sc) this.files.set(key, file);
    return file;
  }

  /** A file of the current site already rendered for serving live, without waiting: the fast path's lookup. */
  peek(path: string): PublicFile | undefined {
    return this.files.get(`live:${path}`);
  }

  /** Poll for changes until stop(). */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.check().finally(() => {
          if (this.timer) tick();
        });
      }, publicSitePollMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Reload when the data changed or the clock ended an all-clear; true when it did. Checks run one
   * after another: a check asked for while another runs starts when it ends, so its answer covers
   * every change committed before it was asked for.
   */
  check(): Promise<boolean> {
    const next = this.checks.then(() => this.checkNow());
    this.checks = next.catch(() => false);
    return next;
  }

  private async checkNow(): Promise<boolean> {
    try {
      const before = this.sc;
      if (!before) {
        await this.reload();
        return true;
      }
      const fingerprint = await publishedMessagesFingerprint(this.ctx.db);
      const { validUntil } = before.site.status;
      const expired = validUntil !== null && validUntil <= this.ctx.clock.now();
      if (fingerprint === before.site.fingerprint && !expired) return false;
      await this.reload();
      return true;
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'public site check failed; serving the last one');
      return false;
    }
  }

  private reload(): Promise<SiteContext> {
    this.loading ??= loadPublicSite(this.ctx)
      .then((site) => {
        const sc = siteContextOf(this.ctx, site);
        this.sc = sc;
        this.files = new Map();
        this.emit('change', sc);
        return sc;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
