import type { FastifyInstance, FastifyRequest } from 'fastify';
import { retryAfterSeconds, withFaults, type FailureReply, type SimReply } from './http-faults.js';
import type { SimContext } from './sim-context.js';

/** Bodies are kept up to this many characters each, so a 200,000-message ring stays bounded. */
const maxStoredBody = 65_536;
const capNamespace = 'urn:oasis:names:tc:emergency:cap:1.2';

const deliveryIdOf = (request: FastifyRequest) => {
  const id = request.headers['x-tocsin-delivery-id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
};

const textOf = (body: unknown) => (typeof body === 'string' ? body : '');

let sinkCounter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++sinkCounter).toString(36)}`;

const plainFailure: FailureReply = (kind, status, wait) => ({
  status,
  body: { error: kind === 'rate' ? 'rate limited' : `simulated ${kind}` },
  headers: kind === 'rate' ? { 'retry-after': retryAfterSeconds(wait) } : undefined,
});

/** Headers recorded with a sink request, minus credentials. */
function recordedHeaders(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'authorization' || name === 'cookie' || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function receiveWebhook(sim: SimContext, request: FastifyRequest): SimReply {
  const now = Date.now();
  const deliveryId = deliveryIdOf(request);
  const signed = typeof request.headers['x-tocsin-signature'] === 'string';
  const { '*': target } = request.params as { '*'?: string };
  sim.store.add({
    channel: 'webhook',
    id: nextId('WH'),
    at: now,
    to: target ?? null,
    from: null,
    body: textOf(request.body).slice(0, maxStoredBody),
    deliveryId: deliveryId ?? null,
    headers: recordedHeaders(request),
    details: { signed },
  });
  sim.stats.accept('webhook', deliveryId, now);
  sim.stats.count('webhook', signed ? 'signed' : 'unsigned');
  return { status: 200, body: { received: true } };
}

function receiveCap(sim: SimContext, request: FastifyRequest): SimReply {
  const xml = textOf(request.body);
  const identifier = /<(?:\w+:)?identifier>([^<]*)<\//.exec(xml)?.[1]?.trim();
  if (!xml.includes(capNamespace) || !identifier)
    return { status: 400, body: { error: `not a CAP 1.2 alert (namespace ${capNamespace}, identifier)` } };
  const now = Date.now();
  // Without Tocsin's delivery id, the CAP identifier is what a consumer would deduplicate on.
  const deliveryId = deliveryIdOf(request) ?? identifier;
  sim.store.add({
    channel: 'cap',
    id: identifier,
    at: now,
    to: null,
    from: /<(?:\w+:)?sender>([^<]*)<\//.exec(xml)?.[1] ?? null,
    body: xml.slice(0, maxStoredBody),
    deliveryId,
    headers: recordedHeaders(request),
  });
  sim.stats.accept('cap', deliveryId, now);
  return { status: 200, body: { received: true, identifier } };
}

/** The webhook and CAP sinks: record what arrives (raw bodies of any type), verify nothing. */
export async function registerSinkRoutes(app: FastifyInstance, sim: SimContext): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const webhook = withFaults(sim, 'webhook', plainFailure, (r) => receiveWebhook(sim, r));
    scope.post('/sink/webhook', webhook);
    scope.post('/sink/webhook/*', webhook);
    scope.post(
      '/sink/cap',
      withFaults(sim, 'cap', plainFailure, (r) => receiveCap(sim, r)),
    );
  });
}
