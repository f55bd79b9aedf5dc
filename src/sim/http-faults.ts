import type { FastifyReply, FastifyRequest } from 'fastify';
import { decideFault, latencyOf, type Channel } from './faults.js';
import type { SimContext } from './sim-context.js';

/** A provider's answer, before faults decide whether the client gets it. */
export interface SimReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** How GET /control/stats counts a refusal (a Twilio error code); the HTTP status otherwise. */
  rejectCode?: string;
}

/** Why the simulator refused a request on its own: an outage window, an injected error, a channel limit. */
type InjectedFailure = 'outage' | 'error' | 'rate';

/** How each provider words an injected failure (its own JSON error shape). */
export type FailureReply = (kind: InjectedFailure, status: number, retryAfterMs: number) => SimReply;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function send(reply: FastifyReply, answer: SimReply): FastifyReply {
  if (answer.headers) void reply.headers(answer.headers);
  return reply.code(answer.status).send(answer.body);
}

/**
 * A route handler with the channel's faults in front: latency, outage windows, timeouts (before
 * or after the provider accepted the request), injected errors and the channel-wide rate. Every
 * request is counted; refusals by the code the client saw, acceptances by the handler itself.
 */
export function withFaults(
  sim: SimContext,
  channel: Channel,
  failure: FailureReply,
  handle: (request: FastifyRequest) => SimReply | Promise<SimReply>,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    sim.stats.request(channel);
    sim.stats.opened(channel);
    reply.raw.once('close', () => sim.stats.answered(channel));
    const faults = sim.faults.for(channel);
    const delay = latencyOf(faults);
    if (delay > 0) await sleep(delay);
    const now = Date.now();
    const decision = decideFault(faults, now);
    if (decision.kind === 'outage' || decision.kind === 'error') {
      sim.stats.reject(channel, String(decision.status));
      return send(reply, failure(decision.kind, decision.status, 0));
    }
    if (decision.kind === 'timeout' && !decision.afterAccept) {
      sim.stats.reject(channel, 'timeout');
      sim.hung.hang(request, reply, decision.afterMs);
      return reply;
    }
    const wait = sim.channelLimiter.take(channel, faults.ratePerSecond ?? 0, now);
    const answer = wait > 0 ? failure('rate', 429, wait) : await handle(request);
    if (answer.status >= 400) sim.stats.reject(channel, answer.rejectCode ?? String(answer.status));
    if (decision.kind === 'timeout') {
      if (answer.status < 400) sim.stats.responseLost(channel);
      sim.hung.hang(request, reply, decision.afterMs);
      return reply;
    }
    return send(reply, answer);
  };
}

/** Retry-After in whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
