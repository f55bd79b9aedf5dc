import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withFaults, type SimReply } from './http-faults.js';
import type { SimContext } from './sim-context.js';
import { twilioFailure } from './twilio-api.js';
import { createCall, fetchCall } from './twilio-calls.js';
import { createMessage, fetchMessage } from './twilio-messages.js';

const account = '/2010-04-01/Accounts/:AccountSid';
const sidParam = ':sid(^[A-Z]{2}[0-9a-fA-F]{32}).json';

function answer(handle: (request: FastifyRequest) => SimReply) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const result = handle(request);
    if (result.headers) void reply.headers(result.headers);
    return reply.code(result.status).send(result.body);
  };
}

/** Twilio's Messages and Calls REST API, at the paths of api.twilio.com. Faults apply to creates. */
export function registerTwilioRoutes(app: FastifyInstance, sim: SimContext): void {
  app.post(
    `${account}/Messages.json`,
    withFaults(sim, 'sms', twilioFailure, (r) => createMessage(sim, r)),
  );
  app.get(
    `${account}/Messages/${sidParam}`,
    answer((r) => fetchMessage(sim, r)),
  );
  app.post(
    `${account}/Calls.json`,
    withFaults(sim, 'voice', twilioFailure, (r) => createCall(sim, r)),
  );
  app.get(
    `${account}/Calls/${sidParam}`,
    answer((r) => fetchCall(sim, r)),
  );
}
