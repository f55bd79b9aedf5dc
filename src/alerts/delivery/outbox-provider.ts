import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  DeliveryChannel,
  DeliveryProvider,
  OutgoingMessage,
  MessageRenderings,
  SendOutcome,
} from './provider.js';

/** The outbox's name in deliveries.provider: what it took is stored here and reached no network. */
export const outboxProviderName = 'outbox';

/**
 * The default provider: store each message exactly as it would have been sent, list it in the API
 * and the CLI, and send nothing off the machine. One insert per batch.
 */
export function outboxProvider(db: Db, channels: readonly DeliveryChannel[]): DeliveryProvider {
  return {
    name: outboxProviderName,
    channels,
    async send(
      batch: readonly OutgoingMessage[],
      renderings: MessageRenderings,
      report: (o: SendOutcome[]) => void,
    ) {
      if (batch.length === 0) return;
      const bodies = batch.map((d) => renderings.outbox(d.channel, d.language));
      await sql`insert into outbox_messages (delivery_id, channel, address, subject, body)
        select * from unnest(${batch.map((d) => d.deliveryId)}::uuid[], ${batch.map((d) => d.channel)}::text[],
                             ${batch.map((d) => d.address)}::text[], ${bodies.map((b) => b.subject)}::text[],
                             ${bodies.map((b) => b.body)}::text[])
        on conflict (delivery_id) do nothing`.execute(db);
      report(batch.map((d) => ({ deliveryId: d.deliveryId, kind: 'delivered' as const })));
    },
  };
}
