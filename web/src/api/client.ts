/**
 * The console's only way to the server: the documented JSON API under /api/v1. Every failure
 * becomes an ApiError whose message a person can act on (the server's own message when it sent
 * one, otherwise words for the network or status).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The CSRF token of the signed-in session, sent with every change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401: the session ended (the console asks to sign in again in place). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

const statusWords: Record<number, string> = {
  401: 'You are signed out. Sign in again to continue; nothing you typed is lost.',
  403: 'Your roles do not allow this. Ask a Tocsin administrator if you need it.',
  404: 'That record does not exist (it may have been removed).',
  409: 'Someone changed this at the same time. Reload and try again.',
  413: 'That is too large to send.',
  429: 'Too many attempts. Wait a minute and try again.',
  502: 'The server is not answering. Try again; if it persists, use the plain send form at /send.',
  503: 'The server is not ready. Try again in a few seconds.',
  504: 'The server took too long to answer. Try again.',
};

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's error page): the status words below explain it.
  }
  const code = body.error?.code ?? `http_${response.status}`;
  const message =
    body.error?.message ??
    statusWords[response.status] ??
    `The server answered ${response.status}. Try again.`;
  return new ApiError(response.status, code, message, body.error?.details);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Raw body with its content type (CSV uploads). */
  raw?: { contentType: string; data: string };
  signal?: AbortSignal;
}

/** One API call; resolves with the parsed JSON (or null for 204), rejects with an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined && !options.raw ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.data;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Tocsin cannot be reached. Check the network and try again.');
  }
  if (response.status === 401 && onUnauthorized) onUnauthorized();
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null as T;
  return (await response.json()) as T;
}

/** The words to show for any error a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again.';
}
