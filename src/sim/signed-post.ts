import { Agent } from 'undici';
import { twilioRequestSignature } from './twilio-request-signature.js';

/** How a webhook POST ended: the receiver's HTTP status, or the network error code. */
export interface PostResult {
  status: number | null;
  error: string | null;
  body: string;
}

/**
 * Keep-alive connections shared by every webhook the simulator sends, at most `connections` per
 * origin. undici rather than node:http: a status callback costs about a third of the CPU, which
 * is what lets callbacks keep up with thousands of messages a second.
 */
export function webhookAgent(connections: number, timeoutMs: number): Agent {
  return new Agent({
    connections,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  });
}

const maxResponseBody = 65_536;

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string') return e.code;
  return typeof e.message === 'string' ? e.message : String(error);
}

/**
 * POST a form-encoded Twilio-style webhook signed with X-Twilio-Signature over the full URL.
 * Never rejects: a bad URL, network failure or timeout comes back as `error` (ECONNREFUSED,
 * UND_ERR_HEADERS_TIMEOUT, …).
 */
export async function postSignedForm(
  agent: Agent,
  url: string,
  params: Record<string, string>,
  authToken: string,
  options: { readBody: boolean } = { readBody: true },
): Promise<PostResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { status: null, error: 'EINVALIDURL', body: '' };
  }
  try {
    const response = await agent.request({
      origin: target.origin,
      path: target.pathname + target.search,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'user-agent': 'TwilioProxy/1.1 (tocsin-sim)',
        'x-twilio-signature': twilioRequestSignature(authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    if (!options.readBody) {
      await response.body.dump();
      return { status: response.statusCode, error: null, body: '' };
    }
    const text = await response.body.text();
    return { status: response.statusCode, error: null, body: text.slice(0, maxResponseBody) };
  } catch (error) {
    return { status: null, error: errorCode(error), body: '' };
  }
}
