import { Type } from 'typebox';
import { displayFeedUrl, feedHealth, maskUrlsIn } from './cap-feed-health.policy.js';
import type { CapFeedRow } from './cap-feeds.queries.js';
import type { CapFeedStatus } from './cap-feeds.types.js';

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

/** GET /api/v1/cap/feeds (CapFeedStatus in cap-feeds.types.ts is the same shape, for the console). */
export const CapFeedsResponse = Type.Object({
  pollSeconds: Type.Integer(),
  feeds: Type.Array(
    Type.Object({
      url: Type.String(),
      health: Type.Union([
        Type.Literal('waiting'),
        Type.Literal('ok'),
        Type.Literal('entry_errors'),
        Type.Literal('failing'),
        Type.Literal('stale'),
      ]),
      summary: Type.String(),
      lastPolledAt: NullableTime,
      lastSuccessAt: NullableTime,
      lastError: Type.Union([Type.String(), Type.Null()]),
      lastErrorAt: NullableTime,
      consecutiveFailures: Type.Integer(),
      nextPollAt: NullableTime,
    }),
  ),
});

/** A configured feed as the API shows it; `row` is absent until a worker first sees the feed. */
export function capFeedStatus(
  url: string,
  row: CapFeedRow | undefined,
  now: Date,
  pollSeconds: number,
): CapFeedStatus {
  return {
    url: displayFeedUrl(url),
    ...feedHealth(row, now, pollSeconds),
    lastPolledAt: row?.last_polled_at?.toISOString() ?? null,
    lastSuccessAt: row?.last_success_at?.toISOString() ?? null,
    lastError: row?.last_error ? maskUrlsIn(row.last_error) : null,
    lastErrorAt: row?.last_error_at?.toISOString() ?? null,
    consecutiveFailures: row?.consecutive_failures ?? 0,
    nextPollAt: row?.next_poll_at.toISOString() ?? null,
  };
}
