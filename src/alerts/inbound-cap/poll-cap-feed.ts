import { noRequest, systemActor } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { isAppError } from '../../platform/errors.js';
import { readAtomEntries, type AtomCapEntry } from './atom-entries.js';
import { FeedFetchError, fetchFeedText, maxFeedBytes } from './cap-feed-http.js';
import { ensureFeeds, loadFeed, recordFeedFailure, recordFeedSuccess } from './cap-feeds.queries.js';
import { feedEntryStored } from './inbound-cap.queries.js';
import { maxCapBytes } from './read-cap-document.js';
import { receiveInboundCap } from './receive-inbound-cap.js';

/** What one poll of a feed did. */
export interface FeedPoll {
  notModified: boolean;
  entries: number;
  stored: number;
  /** Entries whose CAP document was refused or could not be fetched. */
  failed: number;
  error: string | null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const userAgent = (ctx: AppContext) => `Tocsin/1 (+${ctx.config.publicUrl})`;

async function entryDocument(ctx: AppContext, entry: AtomCapEntry): Promise<string> {
  if (entry.inline) return entry.inline;
  if (!entry.link) throw new FeedFetchError('the entry has neither an inline CAP document nor a link', false);
  const answer = await fetchFeedText(entry.link, {
    accept: 'application/cap+xml, application/xml;q=0.9',
    userAgent: userAgent(ctx),
    maxBytes: maxCapBytes,
  });
  if (answer.status !== 200) throw new FeedFetchError(`${entry.link} answered 304 to a plain GET`, true);
  return answer.text;
}

interface EntriesOutcome {
  stored: number;
  failures: string[];
  /** A failure a later poll may get past: fetch the whole feed again next time. */
  retry: boolean;
}

async function readEntries(ctx: AppContext, url: string, entries: AtomCapEntry[]): Promise<EntriesOutcome> {
  const outcome: EntriesOutcome = { stored: 0, failures: [], retry: false };
  for (const entry of entries) {
    if (await feedEntryStored(ctx.db, url, entry.key)) continue;
    try {
      const document = await entryDocument(ctx, entry);
      const received = await receiveInboundCap(ctx, systemActor, {
        document,
        source: url,
        feedEntry: entry.key,
        request: noRequest,
      });
      if (received.created) outcome.stored += 1;
    } catch (error) {
      // A refused document stays refused; anything else (no answer, a database hiccup) may pass later.
      outcome.retry ||= error instanceof FeedFetchError ? error.retryable : !isAppError(error);
      outcome.failures.push(`entry ${entry.key}: ${messageOf(error)}`);
      ctx.log.warn({ feed: url, entry: entry.key, err: messageOf(error) }, 'CAP feed entry failed');
    }
  }
  return outcome;
}

/**
 * Poll one CAP feed: a conditional GET with the validators from last time, then every entry not
 * read before, its CAP document inline or fetched from its link, validated and stored like a POST
 * (deduplicated on sender and identifier, with the feed's URL as source). The outcome is recorded
 * on the feed; a failing feed (no answer, an error status, a malformed feed) is recorded and
 * logged, not thrown, and each feed polls in its own job, so one cannot stop the others.
 */
export async function pollCapFeed(ctx: AppContext, url: string): Promise<FeedPoll> {
  const now = ctx.clock.now();
  await ensureFeeds(ctx.db, [url], now);
  const state = await loadFeed(ctx.db, url);
  try {
    const answer = await fetchFeedText(url, {
      accept: 'application/atom+xml, application/xml;q=0.9',
      userAgent: userAgent(ctx),
      maxBytes: maxFeedBytes,
      etag: state?.etag,
      lastModified: state?.last_modified,
    });
    if (answer.status === 304) {
      await recordFeedSuccess(ctx.db, url, { now, validators: null, entryError: null });
      return { notModified: true, entries: 0, stored: 0, failed: 0, error: null };
    }
    const entries = readAtomEntries(answer.text, url);
    const outcome = await readEntries(ctx, url, entries);
    const entryError = outcome.failures.length
      ? `${outcome.failures.length} of ${entries.length} entries failed; ${outcome.failures[0]}`
      : null;
    await recordFeedSuccess(ctx.db, url, {
      now,
      // An entry that may work next time keeps the old validators, so the feed is read whole again.
      validators: outcome.retry ? null : { etag: answer.etag, lastModified: answer.lastModified },
      entryError,
    });
    ctx.log.info({ feed: url, entries: entries.length, stored: outcome.stored }, 'CAP feed polled');
    return {
      notModified: false,
      entries: entries.length,
      stored: outcome.stored,
      failed: outcome.failures.length,
      error: entryError,
    };
  } catch (error) {
    await recordFeedFailure(ctx.db, url, messageOf(error), now);
    ctx.log.warn({ feed: url, err: messageOf(error) }, 'CAP feed poll failed');
    return { notModified: false, entries: 0, stored: 0, failed: 0, error: messageOf(error) };
  }
}
