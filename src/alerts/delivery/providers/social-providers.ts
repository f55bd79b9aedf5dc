import type { FacebookSettings, XSettings } from '../../../platform/delivery-settings.js';
import type { DeliveryProvider, MessageRenderings, OutgoingMessage } from '../provider.js';
import {
  headerOf,
  httpClient,
  isRetryableStatus,
  jsonOf,
  noAnswer,
  retryAfterMs,
  type HttpAnswer,
  type HttpFailure,
} from './http-client.js';
import { notSent, outcomeReporter } from './outcome-reporter.js';
import { combinedOutcome, type PostResult } from './public-posts.js';

/** X's wait: Retry-After, or x-rate-limit-reset (epoch seconds) when X sends only that. */
function xWait(answer: HttpAnswer): number | undefined {
  const after = retryAfterMs(headerOf(answer, 'retry-after'));
  if (after !== undefined) return after;
  const reset = Number(headerOf(answer, 'x-rate-limit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

/**
 * Classify an X API v2 answer: 201 with data.id posted; 429 and 5xx retryable; 401 retryable (the
 * token, not the post); 403 (duplicate content, not permitted) and other 4xx permanent.
 */
function xResult(answer: HttpAnswer | HttpFailure): PostResult {
  if (noAnswer(answer)) return { ok: false, retryable: true, error: `X: ${answer.error}`, code: answer.code };
  const json = jsonOf(answer) as { data?: { id?: unknown }; detail?: unknown; title?: unknown } | undefined;
  if (answer.status >= 200 && answer.status < 300 && typeof json?.data?.id === 'string')
    return { ok: true, id: json.data.id };
  const detail = typeof json?.detail === 'string' ? json.detail : answer.text.slice(0, 200);
  return {
    ok: false,
    retryable: isRetryableStatus(answer.status) || answer.status === 401 || answer.status < 300,
    error: `X: HTTP ${answer.status} ${detail}`.trim(),
    code: `x-${answer.status}`,
    retryAfterMs: answer.status === 429 ? (xWait(answer) ?? 60_000) : undefined,
  };
}

// Graph API codes worth retrying: unknown/service errors (1, 2), throttling (4, 17, 32, 613,
// 80001), temporarily blocked (368), and an expired or revoked token (190), which an
// administrator fixes without the post changing.
const graphRetryable = new Set([1, 2, 4, 17, 32, 190, 368, 613, 80001]);

/** Classify a Graph API answer: 200 with an id posted; throttling, transient and token errors retryable. */
function facebookResult(answer: HttpAnswer | HttpFailure): PostResult {
  if (noAnswer(answer))
    return { ok: false, retryable: true, error: `Facebook: ${answer.error}`, code: answer.code };
  const json = jsonOf(answer) as
    { id?: unknown; error?: { code?: unknown; message?: unknown; is_transient?: unknown } } | undefined;
  if (answer.status >= 200 && answer.status < 300 && typeof json?.id === 'string')
    return { ok: true, id: json.id };
  const code = typeof json?.error?.code === 'number' ? json.error.code : undefined;
  const message = typeof json?.error?.message === 'string' ? json.error.message : answer.text.slice(0, 200);
  const retryable =
    isRetryableStatus(answer.status) ||
    json?.error?.is_transient === true ||
    (code !== undefined && graphRetryable.has(code)) ||
    answer.status < 300;
  return {
    ok: false,
    retryable,
    error: `Facebook: HTTP ${answer.status}${code !== undefined ? ` code ${code}` : ''}: ${message}`,
    code: code !== undefined ? `graph-${code}` : `http-${answer.status}`,
    retryAfterMs: retryAfterMs(headerOf(answer, 'retry-after')),
  };
}

type Post = (m: OutgoingMessage, renderings: MessageRenderings) => Promise<PostResult>;

/** A provider that makes one post per delivery, one after another. */
function postingProvider(
  name: string,
  channels: DeliveryProvider['channels'],
  post: Post,
  close: () => Promise<void>,
): DeliveryProvider {
  return {
    name,
    channels,
    async send(batch, renderings, report, signal) {
      const reporter = outcomeReporter(report);
      for (const m of batch) {
        if (signal.aborted) reporter.add(notSent(m.deliveryId));
        else reporter.add(combinedOutcome(m.deliveryId, [await post(m, renderings)]));
      }
      reporter.flush();
    },
    close,
  };
}

/** Posts on X: POST {base}/2/tweets with the user-context bearer token, body {text}. */
export function xProvider(settings: XSettings): DeliveryProvider {
  const http = httpClient({ connections: 2, timeoutMs: settings.timeoutMs });
  const url = new URL(`${settings.baseUrl}/2/tweets`);
  return postingProvider(
    settings.name,
    settings.channels,
    async (m, renderings) =>
      xResult(
        await http.post(url, {
          headers: {
            authorization: `Bearer ${settings.bearerToken}`,
            'content-type': 'application/json',
            'x-tocsin-delivery-id': m.deliveryId,
          },
          body: JSON.stringify({ text: renderings.x(m.language).text }),
        }),
      ),
    () => http.close(),
  );
}

/** Posts on a Facebook page: POST {base}/{version}/{pageId}/feed with message, link and the page token. */
export function facebookProvider(settings: FacebookSettings): DeliveryProvider {
  const http = httpClient({ connections: 2, timeoutMs: settings.timeoutMs });
  const url = new URL(
    `${settings.baseUrl}/${settings.graphVersion}/${encodeURIComponent(settings.pageId)}/feed`,
  );
  return postingProvider(
    settings.name,
    settings.channels,
    async (m, renderings) => {
      const post = renderings.facebook(m.language);
      const form = new URLSearchParams({ message: post.message, access_token: settings.accessToken });
      if (post.link) form.set('link', post.link);
      return facebookResult(
        await http.post(url, {
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-tocsin-delivery-id': m.deliveryId,
          },
          body: form.toString(),
        }),
      );
    },
    () => http.close(),
  );
}
