import type { CapPushSettings } from '../../../platform/delivery-settings.js';
import type { DeliveryProvider } from '../provider.js';
import { httpClient } from './http-client.js';
import { notSent, outcomeReporter } from './outcome-reporter.js';
import { DeliveredEndpoints, plainResult, postToEach, targetOf } from './public-posts.js';

/**
 * CAP 1.2 push: each message's CAP document (one info block per language) POSTed as
 * application/cap+xml to every configured URL, X-Tocsin-Delivery-Id alongside the CAP identifier
 * receivers deduplicate on; delivered when all answered 2xx.
 */
export function capProvider(settings: CapPushSettings): DeliveryProvider {
  const http = httpClient({ connections: 4, timeoutMs: settings.timeoutMs });
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
        const body = renderings.cap().xml;
        const headers = {
          'content-type': 'application/cap+xml; charset=utf-8',
          'x-tocsin-delivery-id': m.deliveryId,
        };
        reporter.add(
          await postToEach(settings.urls, m.deliveryId, taken, async (url) =>
            plainResult(targetOf(url), await http.post(url, { headers, body })),
          ),
        );
      }
      reporter.flush();
    },
    close: () => http.close(),
  };
}
