import type { AppContext } from '../platform/context.js';
import { loadPublishedMessages, publishedMessagesFingerprint } from '../alerts/published-messages.queries.js';
import { buildPublicSite, type PublicSite } from './public-site.model.js';

/** Load the public site from the database as it stands now (one read-only snapshot). */
export async function loadPublicSite(ctx: Pick<AppContext, 'db' | 'clock' | 'profile'>): Promise<PublicSite> {
  const { fingerprint, rows } = await ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => ({
      fingerprint: await publishedMessagesFingerprint(trx),
      rows: await loadPublishedMessages(trx),
    }));
  return buildPublicSite(rows, fingerprint, ctx.clock.now(), ctx.profile.publicSite.allClearShownHours);
}
