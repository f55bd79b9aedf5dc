import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { channels, faultsProblems, type Channel, type FaultsInput } from './faults.js';
import { sendInboundSms } from './inbound-sms.js';
import { messageView } from './message-store.js';
import type { RateLimits } from './rate-limits.js';
import type { SimContext } from './sim-context.js';

const MessagesQuery = Type.Object({
  channel: Type.Optional(Type.Union(channels.map((c) => Type.Literal(c)))),
  to: Type.Optional(Type.String()),
  deliveryId: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

const InboundSms = Type.Object(
  {
    from: Type.String({ minLength: 1 }),
    to: Type.String({ minLength: 1 }),
    body: Type.String(),
    webhookUrl: Type.String({ pattern: '^https?://' }),
    authToken: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
type InboundSms = Static<typeof InboundSms>;

/** What the control API needs beyond the shared context. */
export interface ControlDeps {
  /** URLs and environment, shown by GET /control. */
  describe: () => Record<string, unknown>;
  /** Rate limits given at start, restored by DELETE /control/faults. */
  initialLimits: RateLimits;
}

/** Apply a faults object (already checked) to a running simulator. */
export function applyFaults(sim: SimContext, input: FaultsInput): void {
  sim.faults.apply(input, Date.now());
  if (!input.rateLimits) return;
  const current = sim.limiter.current();
  sim.limiter.configure({
    smsSegmentsPerSecond: input.rateLimits.smsSegmentsPerSecond ?? current.smsSegmentsPerSecond,
    senderRates: input.rateLimits.senderRates ?? current.senderRates,
    callsPerSecond: input.rateLimits.callsPerSecond ?? current.callsPerSecond,
  });
}

/** Everything GET /control/stats returns. */
export function statsOf(sim: SimContext) {
  const { rss, heapUsed } = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1_048_576);
  return {
    ...sim.stats.snapshot(),
    callbacks: sim.callbacks.stats(),
    storedMessages: sim.store.size(),
    memory: { rssMb: mb(rss), heapUsedMb: mb(heapUsed) },
  };
}

/** Zero the counters and forget stored messages; faults and scheduled callbacks stay. */
export function resetSim(sim: SimContext): void {
  sim.stats.reset();
  sim.store.clear();
  sim.limiter.reset();
  sim.channelLimiter.reset();
  sim.callbacks.resetCounts();
}

/** /control: stats, reset, faults, stored messages and inbound-SMS simulation. No authentication: bind to loopback. */
export function registerControlRoutes(app: FastifyInstance, sim: SimContext, deps: ControlDeps): void {
  app.get('/control', async () => deps.describe());
  app.get('/control/stats', async () => statsOf(sim));
  app.post('/control/reset', async () => {
    resetSim(sim);
    return { reset: true };
  });
  const faultsView = () => ({ faults: sim.faults.view(), rateLimits: sim.limiter.current() });
  app.get('/control/faults', async () => faultsView());
  app.post('/control/faults', async (request, reply) => {
    const problems = faultsProblems(request.body ?? {});
    if (problems.length) return reply.code(400).send({ error: 'invalid faults', problems });
    applyFaults(sim, (request.body ?? {}) as FaultsInput);
    return faultsView();
  });
  app.delete('/control/faults', async () => {
    sim.faults.restore();
    sim.limiter.configure(deps.initialLimits);
    return faultsView();
  });
  app.get('/control/messages', { schema: { querystring: MessagesQuery } }, async (request) => {
    const q = request.query as Static<typeof MessagesQuery>;
    const messages = sim.store.list({
      channel: q.channel as Channel | undefined,
      to: q.to,
      deliveryId: q.deliveryId,
      limit: q.limit ?? 100,
    });
    return { count: messages.length, messages: messages.map(messageView) };
  });
  app.post('/control/inbound-sms', { schema: { body: InboundSms } }, async (request) =>
    sendInboundSms(sim, request.body as InboundSms),
  );
}
