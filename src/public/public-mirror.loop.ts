import type { AppContext } from '../platform/context.js';
import { defineLoop } from '../platform/queue/loop.js';
import { publishedMessagesFingerprint } from '../alerts/published-messages.queries.js';
import { exportPublicSite } from './export-public-site.js';
import { loadPublicSite } from './load-public-site.js';

interface MirrorState {
  fingerprint: string | null;
  validUntil: Date | null;
}

const states = new WeakMap<AppContext, MirrorState>();

/**
 * With TOCSIN_PUBLIC_MIRROR_DIR set, every worker keeps the static mirror current: within about a
 * second of a send, update, all-clear or close (or of an all-clear leaving the page), it exports
 * the site again. Several workers may share the directory: every file is replaced atomically.
 */
export const publicMirrorLoop = defineLoop({
  name: 'public.mirror',
  everyMs: () => 1000,
  async run(ctx) {
    const dir = ctx.config.publicSite.mirrorDir;
    if (!dir) return;
    const state = states.get(ctx) ?? { fingerprint: null, validUntil: null };
    states.set(ctx, state);
    const fingerprint = await publishedMessagesFingerprint(ctx.db);
    const expired = state.validUntil !== null && state.validUntil <= ctx.clock.now();
    if (fingerprint === state.fingerprint && !expired) return;
    const site = await loadPublicSite(ctx);
    const result = await exportPublicSite(ctx, dir, { site });
    state.fingerprint = result.fingerprint;
    state.validUntil = site.status.validUntil;
    ctx.log.info({ ...result }, 'public mirror written');
  },
});
