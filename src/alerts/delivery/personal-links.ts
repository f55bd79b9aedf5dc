import type { AppContext } from '../../platform/context.js';
import { acknowledgementUrls } from '../replies/acknowledgement-links.js';
import type { ClaimedDelivery } from './claim-deliveries.js';
import type { DeliveryChannel } from './provider.js';

export interface PersonalLinks {
  acknowledgeUrl: string | null;
  unsubscribeUrl: string | null;
}

/**
 * The links an email carries for its one recipient: acknowledge (when the alert asks for
 * acknowledgements) and unsubscribe (extended-community members). Other channels carry none.
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
  if (!alert?.acknowledgement_requested) return links;
  const urls = await acknowledgementUrls(
    ctx,
    batch.map((d) => d.id),
  );
  batch.forEach((d, i) => links.set(d.id, { acknowledgeUrl: urls[i]!, unsubscribeUrl: null }));
  return links;
}
