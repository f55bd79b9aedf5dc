import type { Selectable } from 'kysely';
import type { Queryable, Trx } from '../../platform/db/database.js';
import type { CapFeedsTable } from './inbound-cap.tables.js';

export type CapFeedRow = Selectable<CapFeedsTable>;

/** Make sure every configured feed has its row (due at once when new). */
export async function ensureFeeds(q: Queryable, urls: readonly string[], now: Date): Promise<void> {
  if (urls.length === 0) return;
  await q
    .insertInto('cap_feeds')
    .values(urls.map((url) => ({ url, next_poll_at: now })))
    .onConflict((oc) => oc.column('url').doNothing())
    .execute();
}

/**
 * Claim the configured feeds that are due: move each one's next poll `pollSeconds` ahead and
 * return it. Compare-and-set on the due time, so of several workers exactly one claims a feed.
 */
export async function claimDueFeeds(
  trx: Trx,
  urls: readonly string[],
  now: Date,
  pollSeconds: number,
): Promise<string[]> {
  if (urls.length === 0) return [];
  const rows = await trx
    .updateTable('cap_feeds')
    .set({ next_poll_at: new Date(now.getTime() + pollSeconds * 1000) })
    .where('url', 'in', urls)
    .where('next_poll_at', '<=', now)
    .returning('url')
    .execute();
  return rows.map((r) => r.url);
}

/** The polling state of these feeds (those never seen by a worker have no row yet). */
export async function loadFeeds(q: Queryable, urls: readonly string[]): Promise<CapFeedRow[]> {
  if (urls.length === 0) return [];
  return q.selectFrom('cap_feeds').selectAll().where('url', 'in', urls).execute();
}

/** A feed's polling state. */
export async function loadFeed(q: Queryable, url: string): Promise<CapFeedRow | undefined> {
  return q.selectFrom('cap_feeds').selectAll().where('url', '=', url).executeTakeFirst();
}

/**
 * The feed answered: keep its validators for the next conditional GET (unless told to fetch it
 * whole again) and what went wrong with its entries, if anything.
 */
export async function recordFeedSuccess(
  q: Queryable,
  url: string,
  result: {
    now: Date;
    validators: { etag: string | null; lastModified: string | null } | null;
    entryError: string | null;
  },
): Promise<void> {
  await q
    .updateTable('cap_feeds')
    .set({
      ...(result.validators
        ? { etag: result.validators.etag, last_modified: result.validators.lastModified }
        : {}),
      last_polled_at: result.now,
      last_success_at: result.now,
      last_error: result.entryError,
      last_error_at: result.entryError ? result.now : null,
      consecutive_failures: 0,
    })
    .where('url', '=', url)
    .execute();
}

/** The feed gave no usable answer: record why, and count the failures in a row. */
export async function recordFeedFailure(q: Queryable, url: string, error: string, now: Date): Promise<void> {
  await q
    .updateTable('cap_feeds')
    .set((eb) => ({
      last_polled_at: now,
      last_error: error.slice(0, 2000),
      last_error_at: now,
      consecutive_failures: eb('consecutive_failures', '+', 1),
    }))
    .where('url', '=', url)
    .execute();
}
