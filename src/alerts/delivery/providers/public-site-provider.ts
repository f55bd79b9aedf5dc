import type { DeliveryProvider } from '../provider.js';

/**
 * The public emergency page's "provider". The page, archive, feeds and mirror are rendered from the
 * alert's messages in the database (src/public), so a message is on the page as soon as the
 * transaction that wrote it committed, before its fan-out ran; every serve process shows it
 * within half a second. Its delivery records that publication (and its time) for the sender's
 * dashboard; nothing is stored or sent.
 */
export function publicSiteProvider(siteUrl: string): DeliveryProvider {
  return {
    name: 'public-site',
    channels: ['public_page'],
    async send(batch, renderings, report) {
      report(
        batch.map((d) => ({
          deliveryId: d.deliveryId,
          kind: 'delivered' as const,
          providerMessageId: `${siteUrl}/alerts/${renderings.alertId}.html`,
        })),
      );
    },
  };
}
