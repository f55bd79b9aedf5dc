import type { Db } from '../../../platform/db/database.js';
import type { AlertKind, MessageType } from '../../alerts.tables.js';

/** The alert kind and message type of a message, which webhook receivers need and renderings lack. */
export interface MessageFacts {
  kind: AlertKind;
  messageType: MessageType;
}

/** Look facts up once per message and keep the last few hundred (messages never change). */
export function messageFactsLookup(db: Db): (messageId: string) => Promise<MessageFacts | null> {
  const cache = new Map<string, MessageFacts | null>();
  return async (messageId) => {
    if (cache.has(messageId)) return cache.get(messageId)!;
    const row = await db
      .selectFrom('alert_messages as m')
      .innerJoin('alerts as a', 'a.id', 'm.alert_id')
      .select(['a.kind', 'm.message_type'])
      .where('m.id', '=', messageId)
      .executeTakeFirst();
    const facts = row ? { kind: row.kind, messageType: row.message_type } : null;
    if (cache.size >= 256) cache.delete(cache.keys().next().value!);
    cache.set(messageId, facts);
    return facts;
  };
}
