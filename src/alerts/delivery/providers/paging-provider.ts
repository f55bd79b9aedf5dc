import type { PagingServer } from '../../alerts.profile.js';
import type { DeliveryProvider, MessageRenderings, OutgoingMessage } from '../provider.js';
import { httpClient } from './http-client.js';
import { notSent, outcomeReporter } from './outcome-reporter.js';
import { plainResult, targetOf } from './public-posts.js';
import { tocsinSignature } from './webhook-signature.js';
import { webhookPayload } from './webhook-provider.js';

const pagingPrefix = 'paging:';

/** Whether a delivery of the office_phones channel is a paging server's (else it is a number to call). */
export function isPagingDelivery(m: Pick<OutgoingMessage, 'address'>): boolean {
  return m.address.startsWith(pagingPrefix);
}

/**
 * The JSON a webhook paging server receives: what every Tocsin webhook gets (what identifies the
 * message, the display: level, headline, body, actions, colours, link, times), the server's name and `spoken`, the words a voice call says, for a
 * server that reads the alert over IP phones and overhead speakers.
 */
function pagingPayload(server: string, m: OutgoingMessage, renderings: MessageRenderings) {
  return {
    ...webhookPayload(m, renderings),
    pagingServer: server,
    spoken: renderings.voice(m.language).text,
  };
}

/**
 * One paging server of the profile (alerts.pagingServers) on the office_phones channel: it takes
 * the deliveries addressed "paging:<name>" and POSTs each message there, as the CAP 1.2 document
 * (application/cap+xml, every language an info block) or as signed JSON (X-Tocsin-Signature, as
 * Tocsin's other webhooks). A 2xx answer delivers it; no answer, 408, 429, 5xx, 401 and 403 are
 * retried; any other 4xx fails it with the server's answer as the reason.
 */
export function pagingServerProvider(server: PagingServer): DeliveryProvider {
  const http = httpClient({ connections: 2, timeoutMs: server.timeoutMs });
  const address = `${pagingPrefix}${server.name}`;
  return {
    name: `paging-${server.name}`,
    channels: ['office_phones'],
    accepts: (m) => m.address === address,
    async send(batch, renderings, report, signal) {
      const reporter = outcomeReporter(report);
      for (const m of batch) {
        if (signal.aborted) {
          reporter.add(notSent(m.deliveryId));
          continue;
        }
        const { body, contentType } =
          server.format === 'cap'
            ? { body: renderings.cap().xml, contentType: 'application/cap+xml; charset=utf-8' }
            : {
                body: JSON.stringify(pagingPayload(server.name, m, renderings)),
                contentType: 'application/json',
              };
        const headers: Record<string, string> = {
          'content-type': contentType,
          'x-tocsin-delivery-id': m.deliveryId,
        };
        if (server.secret)
          headers['x-tocsin-signature'] = tocsinSignature(server.secret, body, Math.floor(Date.now() / 1000));
        const target = `paging server ${server.name} (${targetOf(server.url)})`;
        const result = plainResult(target, await http.post(server.url, { headers, body }));
        if (result.ok) reporter.add({ deliveryId: m.deliveryId, kind: 'delivered' });
        else if (result.retryable)
          reporter.add({
            deliveryId: m.deliveryId,
            kind: 'retryable',
            error: result.error,
            code: result.code,
            ...(result.retryAfterMs ? { retryAfterMs: result.retryAfterMs } : {}),
          });
        else
          reporter.add({
            deliveryId: m.deliveryId,
            kind: 'permanent',
            error: result.error,
            code: result.code,
          });
      }
      reporter.flush();
    },
    close: () => http.close(),
  };
}

/**
 * The last word on paging deliveries no configured server takes (a server removed from the profile
 * after its deliveries were made): each fails for good with that reason instead of waiting for a
 * provider that will never come. A configured server's deliveries never come here, not even when
 * that server asks for a retry.
 */
export function unknownPagingServers(configured: readonly PagingServer[]): DeliveryProvider {
  const known = new Set(configured.map((s) => `${pagingPrefix}${s.name}`));
  return {
    name: 'paging-unconfigured',
    channels: ['office_phones'],
    accepts: (m) => isPagingDelivery(m) && !known.has(m.address),
    async send(batch, _renderings, report) {
      report(
        batch.map((m) => ({
          deliveryId: m.deliveryId,
          kind: 'permanent' as const,
          error: `no paging server named "${m.address.slice(pagingPrefix.length)}" in the profile (alerts.pagingServers)`,
          code: 'paging-unconfigured',
        })),
      );
    },
  };
}
