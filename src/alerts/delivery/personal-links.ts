import type { AppContext } from '../../platform/context.js';
import { extendedCommunityUnsubscribeUrls } from '../self-registration/unsubscribe-links.js';
import { acknowledgementUrls } from '../replies/acknowledgement-links.js';
import type { ClaimedDelivery } from './claim-deliveries.js';
import type { DeliveryChannel } from './provider.js';

export interface PersonalLinks {
  acknowledgeUrl: string | null;
  unsubscribeUrl: string | null;
}

/**
 * The links an email carries for its one recipient: acknowledge (when the alert asks for
 * acknowledgements) and unsubscribe (extended-community members, in every message). Other
 * channels carry none: SMS recipients reply STOP.
 */
export async function personalLinks(
  ctx: AppContext,
  channel: DeliveryChannel,
  batch: readonly ClaimedDelivery[],
): Promise<Map<string, PersonalLinks>> {
  const links = new Map<string, PersonalLinks>();
  if (channel !== 'email' || batch.length === 0) return links;
  const alert = await ctx.db
    .selectFrom('alerts')
    .select('acknowledgement_requested')
    .where('id', '=', batch[0]!.alert_id)
    .executeTakeFirst();
  const acknowledge = alert?.acknowledgement_requested
    ? await acknowledgementUrls(
        ctx,
        batch.map((d) => d.id),
      )
    : null;
  const unsubscribe = await extendedCommunityUnsubscribeUrls(
    ctx,
    ctx.db,
    batch.map((d) => ({ key: d.id, personId: d.person_id, address: d.address })),
  );
  batch.forEach((d, i) => {
    const link = { acknowledgeUrl: acknowledge?.[i] ?? null, unsubscribeUrl: unsubscribe.get(d.id) ?? null };
    if (link.acknowledgeUrl || link.unsubscribeUrl) links.set(d.id, link);
  });
  return links;
}
