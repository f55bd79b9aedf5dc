import { Agent, errors } from 'undici';

/** What a provider endpoint answered. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A failure before any answer: refused, reset, timed out, aborted. Always retryable. */
export interface HttpFailure {
  status: 0;
  error: string;
  /** Stable code for error_code: timeout, connection, aborted. */
  code: 'timeout' | 'connection' | 'aborted';
}

/**
 * One keep-alive connection pool per provider, shared by every batch a process sends. A request
 * once started is never cut short by a batch being stopped (only by its timeout): its answer says
 * whether the provider took the message, and a retry after a cut request could send it twice.
 */
export interface HttpClient {
  post(
    url: string | URL,
    options: { headers: Record<string, string>; body: string },
  ): Promise<HttpAnswer | HttpFailure>;
  close(): Promise<void>;
}

/** Why a request got no answer, in words for last_error. */
function failureOf(error: unknown): HttpFailure {
  if (error instanceof errors.RequestAbortedError)
    return { status: 0, code: 'aborted', error: 'request aborted (shutting down)' };
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  )
    return { status: 0, code: 'timeout', error: `timed out: ${error.message}` };
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return { status: 0, code: 'connection', error: `connection failed: ${code ? `${code} ` : ''}${message}` };
}

/**
 * An HTTP client with keep-alive connections (undici), `connections` per origin, and a timeout on
 * connecting, on the response headers and between body chunks.
 */
export function httpClient(options: { connections: number; timeoutMs: number }): HttpClient {
  const agent = new Agent({
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { timeout: Math.min(options.timeoutMs, 10_000) },
  });
  return {
    async post(url, { headers, body }) {
      const target = typeof url === 'string' ? new URL(url) : url;
      try {
        const response = await agent.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          headers,
          body,
        });
        const text = await response.body.text();
        return { status: response.statusCode, headers: response.headers, text };
      } catch (error) {
        return failureOf(error);
      }
    },
    close: () => agent.close(),
  };
}

/** A header's single value. */
export function headerOf(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After (seconds or an HTTP date) in milliseconds, or undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** HTTP statuses worth retrying: timeouts, too early, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Parse a JSON answer body, or undefined. */
export function jsonOf(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

/** True when the request got no answer at all. */
export function noAnswer(answer: HttpAnswer | HttpFailure): answer is HttpFailure {
  return 'error' in answer;
}
