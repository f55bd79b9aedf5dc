import type { SendOutcome } from '../provider.js';
import {
  headerOf,
  isRetryableStatus,
  noAnswer,
  retryAfterMs,
  type HttpAnswer,
  type HttpFailure,
} from './http-client.js';

/** The outcome of one POST to one endpoint, before it is combined with the others. */
export type PostResult =
  | { ok: true; id?: string }
  | { ok: false; retryable: boolean; error: string; code: string; retryAfterMs?: number };

/**
 * Classify an answer of a plain HTTP endpoint (webhooks, CAP): 2xx taken; no answer, 408, 425,
 * 429 and 5xx retryable (429 with its Retry-After); 401 and 403 retryable too (the receiver's
 * credentials or our secret are misconfigured, not the message); other 4xx permanent.
 */
export function plainResult(target: string, answer: HttpAnswer | HttpFailure): PostResult {
  if (noAnswer(answer))
    return { ok: false, retryable: true, error: `${target}: ${answer.error}`, code: answer.code };
  if (answer.status >= 200 && answer.status < 300) return { ok: true };
  const retryable = isRetryableStatus(answer.status) || answer.status === 401 || answer.status === 403;
  return {
    ok: false,
    retryable,
    error: `${target}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`.trim(),
    code: `http-${answer.status}`,
    retryAfterMs: retryAfterMs(headerOf(answer, 'retry-after')),
  };
}

/** Where an endpoint is, for an error message: host and path, never a query (it may hold a token). */
export function targetOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

/**
 * One delivery's outcome from its posts to every endpoint: delivered when all took it; retryable
 * when one failed in a way worth retrying (the longest Retry-After wins); permanent otherwise.
 */
export function combinedOutcome(deliveryId: string, results: readonly PostResult[]): SendOutcome {
  const failures = results.filter((r): r is Extract<PostResult, { ok: false }> => !r.ok);
  if (failures.length === 0) {
    const id = results.find((r): r is Extract<PostResult, { ok: true }> => r.ok && r.id !== undefined)?.id;
    return { deliveryId, kind: 'delivered', ...(id ? { providerMessageId: id } : {}) };
  }
  const error = failures.map((f) => f.error).join('; ');
  const code = failures[0]!.code;
  const retryable = failures.filter((f) => f.retryable);
  if (retryable.length === 0) return { deliveryId, kind: 'permanent', error, code };
  const waits = retryable.map((f) => f.retryAfterMs ?? 0);
  const wait = Math.max(...waits);
  return { deliveryId, kind: 'retryable', error, code, ...(wait > 0 ? { retryAfterMs: wait } : {}) };
}

/**
 * Endpoints that already took a delivery, remembered per process so a retry after a partial
 * failure goes only to those that did not (bounded: the oldest are forgotten first).
 */
export class DeliveredEndpoints {
  private readonly taken = new Map<string, Set<string>>();

  constructor(private readonly limit = 10_000) {}

  has(deliveryId: string, url: string): boolean {
    return this.taken.get(deliveryId)?.has(url) ?? false;
  }

  add(deliveryId: string, url: string): void {
    const set = this.taken.get(deliveryId) ?? new Set<string>();
    set.add(url);
    this.taken.delete(deliveryId);
    this.taken.set(deliveryId, set);
    if (this.taken.size > this.limit) this.taken.delete(this.taken.keys().next().value!);
  }
}

/** Post one delivery to every endpoint that has not taken it yet, in parallel; one combined outcome. */
export async function postToEach(
  urls: readonly string[],
  deliveryId: string,
  taken: DeliveredEndpoints,
  post: (url: string) => Promise<PostResult>,
): Promise<SendOutcome> {
  const results = await Promise.all(
    urls.map(async (url): Promise<PostResult> => {
      if (taken.has(deliveryId, url)) return { ok: true };
      const result = await post(url);
      if (result.ok) taken.add(deliveryId, url);
      return result;
    }),
  );
  return combinedOutcome(deliveryId, results);
}
