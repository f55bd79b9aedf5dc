import type { Queryable } from '../platform/db/database.js';

/** What the outbox provider stored instead of sending, newest first, optionally for one channel. */
export function listOutbox(q: Queryable, filter: { channel?: string; limit: number }) {
  let query = q.selectFrom('outbox_messages').selectAll().orderBy('created_at', 'desc').limit(filter.limit);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  return query.execute();
}
