import type { WebhookSettings } from '../../../platform/delivery-settings.js';
import type { DeliveryProvider, MessageRenderings, OutgoingMessage } from '../provider.js';
import { httpClient } from './http-client.js';
import { notSent, outcomeReporter } from './outcome-reporter.js';
import { DeliveredEndpoints, plainResult, postToEach, targetOf } from './public-posts.js';
import { tocsinSignature } from './webhook-signature.js';

/** The JSON a webhook receives: the signage display plus what identifies the message. */
export function webhookPayload(m: OutgoingMessage, renderings: MessageRenderings) {
  const { warnings: _warnings, alertId, sequence, language, ...display } = renderings.signage(m.language);
  return {
    deliveryId: m.deliveryId,
    alertId,
    messageId: renderings.messageId,
    sequence,
    channel: m.channel,
    kind: renderings.kind,
    messageType: renderings.messageType,
    language,
    ...display,
  };
}

/**
 * Signed JSON webhooks for signage, desktop-alert and chat systems: every configured URL gets each
 * message (X-Tocsin-Signature, X-Tocsin-Delivery-Id); delivered when all answered 2xx. A retry
 * after a partial failure goes only to the URLs that did not take it.
 */
export function webhookProvider(settings: WebhookSettings): DeliveryProvider {
  const http = httpClient({ connections: 8, timeoutMs: settings.timeoutMs });
  const taken = new DeliveredEndpoints();
  return {
    name: settings.name,
    channels: settings.channels,
    async send(batch, renderings, report, signal) {
      const reporter = outcomeReporter(report);
      for (const m of batch) {
        if (signal.aborted) {
          reporter.add(notSent(m.deliveryId));
          continue;
        }
        const body = JSON.stringify(webhookPayload(m, renderings));
        const outcome = await postToEach(settings.urls, m.deliveryId, taken, async (url) => {
          const headers = {
            'content-type': 'application/json',
            'x-tocsin-signature': tocsinSignature(settings.secret, body, Math.floor(Date.now() / 1000)),
            'x-tocsin-delivery-id': m.deliveryId,
          };
          return plainResult(targetOf(url), await http.post(url, { headers, body }));
        });
        reporter.add(outcome);
      }
      reporter.flush();
    },
    close: () => http.close(),
  };
}
