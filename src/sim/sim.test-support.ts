import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from './simulator.js';

/** A request the test receiver got. */
export interface ReceivedPost {
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  form: Record<string, string>;
}

/** A tiny local HTTP server standing in for Tocsin's webhooks: records every POST. */
export interface Receiver {
  url: string;
  posts: ReceivedPost[];
  close(): Promise<void>;
}

/** Start a receiver answering every POST with `answer` (200 and an empty body by default). */
export async function startReceiver(
  answer: (post: ReceivedPost) => { status: number; body: string; type?: string } = () => ({
    status: 200,
    body: '',
  }),
): Promise<Receiver> {
  const posts: ReceivedPost[] = [];
  const server = http.createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const post = {
        url: request.url ?? '',
        headers: request.headers,
        raw,
        form: Object.fromEntries(new URLSearchParams(raw)),
      };
      posts.push(post);
      const { status, body, type } = answer(post);
      response.writeHead(status, { 'content-type': type ?? 'text/plain' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** POST a form to the simulator's Twilio API with the account's Basic credentials (or `auth`). */
export async function twilioPost(
  sim: Simulator,
  resource: 'Messages' | 'Calls',
  params: Record<string, string | string[]>,
  auth = `${sim.settings.accountSid}:${sim.settings.authToken}`,
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  const response = await fetch(
    `${sim.urls.twilio}/2010-04-01/Accounts/${sim.settings.accountSid}/${resource}.json`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
    },
  );
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

/** Wait until `check` returns true (polling every 10 ms), or fail after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Wait until every scheduled status callback has gone out, so one test's receipts do not reach the next. */
export async function drainCallbacks(sim: Simulator): Promise<void> {
  await waitUntil(() => {
    const { pending, inFlight } = sim.stats().callbacks;
    return pending === 0 && inFlight === 0;
  });
}
