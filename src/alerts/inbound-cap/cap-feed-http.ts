import { Agent, interceptors, request, type Dispatcher } from 'undici';

/** How long one request to a feed or a CAP document may take, answer and body included. */
const feedRequestTimeoutMs = 10_000;
/** The largest feed read (the National Weather Service's national feed is a few MiB). */
export const maxFeedBytes = 10 * 1_048_576;

/** What a conditional GET answered. */
export type FeedAnswer =
  { status: 304 } | { status: 200; text: string; etag: string | null; lastModified: string | null };

/** A request that got no usable answer; `retryable` when a later try may fare better. */
export class FeedFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

let dispatcher: Dispatcher | undefined;
function feedDispatcher(): Dispatcher {
  dispatcher ??= new Agent({ connect: { timeout: feedRequestTimeoutMs } }).compose(
    interceptors.redirect({ maxRedirections: 3 }),
  );
  return dispatcher;
}

async function readLimited(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new FeedFetchError(`the answer is larger than ${maxBytes} bytes`, false);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/**
 * GET a feed or a CAP document, conditionally when validators are given (If-None-Match,
 * If-Modified-Since), following up to three redirects, within `feedRequestTimeoutMs`.
 */
export async function fetchFeedText(
  url: string,
  options: {
    accept: string;
    userAgent: string;
    maxBytes: number;
    etag?: string | null;
    lastModified?: string | null;
  },
): Promise<FeedAnswer> {
  const headers: Record<string, string> = { accept: options.accept, 'user-agent': options.userAgent };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: 'GET',
      headers,
      dispatcher: feedDispatcher(),
      signal: AbortSignal.timeout(feedRequestTimeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FeedFetchError(`no answer from ${url}: ${reason}`, true);
  }
  if (response.statusCode === 304) {
    await response.body.dump();
    return { status: 304 };
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    const retryable =
      response.statusCode >= 500 || response.statusCode === 429 || response.statusCode === 408;
    throw new FeedFetchError(`${url} answered HTTP ${response.statusCode}`, retryable);
  }
  try {
    const text = await readLimited(response.body, options.maxBytes);
    return {
      status: 200,
      text,
      etag: header(response.headers, 'etag'),
      lastModified: header(response.headers, 'last-modified'),
    };
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    throw new FeedFetchError(
      `reading ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
      true,
    );
  }
}
