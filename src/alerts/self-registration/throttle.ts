import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { registrationLimits, windowStart } from './registration.policy.js';
import { throttleKey } from './registration-secrets.js';

/** What a throttle counts: registrations per IP, messages per destination, all registrations, codes tried per IP. */
type ThrottleBucket = 'registration_ip' | 'message_address' | 'registration_global' | 'verification_ip';

export interface ThrottleHit {
  bucket: ThrottleBucket;
  /** The IP address or destination; only its keyed hash is stored. */
  value: string;
  limit: number;
}

const messages: Record<ThrottleBucket, string> = {
  registration_ip: 'Too many registrations from your network in the last hour.',
  message_address: 'Too many codes or links were sent to this address in the last hour.',
  registration_global: 'Registration is very busy right now.',
  verification_ip: 'Too many codes were tried from your network in the last hour.',
};

/**
 * Count one request in each bucket, in order, and refuse with 429 at the first bucket over its
 * limit (later buckets are not counted). Each count commits on its own, so a refused request
 * still counts. The window is fixed (one hour); rows are deleted when it ends.
 */
export async function consumeThrottle(ctx: AppContext, hits: readonly ThrottleHit[]): Promise<void> {
  const now = ctx.clock.now();
  const seconds = registrationLimits.windowSeconds;
  const start = windowStart(now, seconds);
  const end = new Date(start.getTime() + seconds * 1000);
  // Also here, not only in the purge job: a server without workers keeps no counter past its window.
  await purgeThrottle(ctx.db, now);
  for (const hit of hits) {
    const key = await throttleKey(ctx.db, hit.bucket, hit.value);
    const row = await sql<{ hits: number }>`
      insert into registration_throttle (bucket, key_hash, window_start, hits, expires_at)
      values (${hit.bucket}, ${key}, ${start}, 1, ${end})
      on conflict (bucket, key_hash, window_start) do update set hits = registration_throttle.hits + 1
      returning hits`.execute(ctx.db);
    if ((row.rows[0]?.hits ?? 0) <= hit.limit) continue;
    const retryAfterSeconds = Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    throw new AppError(
      'rate_limited',
      `${messages[hit.bucket]} Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { reason: hit.bucket, retryAfterSeconds },
      { retryAfterSeconds },
    );
  }
}

/** Delete counters whose window has ended (nothing about an IP address outlives its window). */
export async function purgeThrottle(q: Queryable, now: Date): Promise<number> {
  const result = await q
    .deleteFrom('registration_throttle')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
