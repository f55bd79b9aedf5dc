import type { FastifyRequest } from 'fastify';
import type { ReceiptChain } from './callbacks.js';
import type { SimReply } from './http-faults.js';
import { retryAfterSeconds } from './http-faults.js';
import type { StoredMessage } from './message-store.js';
import type { SimContext } from './sim-context.js';
import {
  fetchResource,
  apiVersion,
  authenticate,
  callbackTarget,
  chance,
  formOf,
  isE164,
  newSid,
  rfc2822,
  twilioError,
} from './twilio-api.js';

/** The Call resource as Twilio's API returns it. */
function callResource(accountSid: string, c: StoredMessage): Record<string, unknown> {
  const uri = `/${apiVersion}/Accounts/${accountSid}/Calls/${c.id}`;
  return {
    account_sid: accountSid,
    annotation: null,
    answered_by: null,
    api_version: apiVersion,
    caller_name: null,
    date_created: rfc2822(c.at),
    date_updated: rfc2822(c.at),
    direction: 'outbound-api',
    duration: null,
    end_time: null,
    forwarded_from: null,
    from: c.from,
    from_formatted: c.from,
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid: c.id,
    start_time: null,
    status: c.status,
    subresource_uris: { notifications: `${uri}/Notifications.json`, recordings: `${uri}/Recordings.json` },
    to: c.to,
    to_formatted: c.to,
    trunk_sid: null,
    uri: `${uri}.json`,
  };
}

/** Every value of a form parameter that may repeat (StatusCallbackEvent), split on spaces. */
function repeated(request: FastifyRequest, name: string): string[] {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  const values = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  return values.flatMap((v) => v.split(/\s+/)).filter(Boolean);
}

const finalStatuses = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * Call progress: initiated, ringing, in-progress, completed (or busy, no-answer, failed). All of
 * them are sent unless StatusCallbackEvent narrows them (the final status always goes), where
 * Twilio sends only the final one by default: a drill wants to see the progress.
 */
function callReceipts(
  sim: SimContext,
  c: StoredMessage,
  url: string | undefined,
  events: string[],
): ReceiptChain {
  const faults = sim.faults.for('voice');
  const statuses = chance(faults.failedRate)
    ? ['failed']
    : chance(faults.busyRate)
      ? ['initiated', 'ringing', 'busy']
      : chance(faults.noAnswerRate)
        ? ['initiated', 'ringing', 'no-answer']
        : ['initiated', 'ringing', 'in-progress', 'completed'];
  const wanted = new Set(events.map((e) => (e === 'answered' ? 'in-progress' : e)));
  const sent = statuses.filter((s) => wanted.size === 0 || wanted.has(s) || finalStatuses.has(s));
  const steps = sent.map((status, i) => ({
    AccountSid: sim.settings.accountSid,
    ApiVersion: apiVersion,
    CallSid: c.id,
    CallStatus: status,
    Called: c.to ?? '',
    Caller: c.from ?? '',
    To: c.to ?? '',
    From: c.from ?? '',
    Direction: 'outbound-api',
    CallbackSource: 'call-progress-events',
    SequenceNumber: String(i),
    Timestamp: rfc2822(Date.now()),
    ...(status === 'completed' ? { CallDuration: '12', Duration: '1' } : {}),
  }));
  return {
    url,
    authToken: sim.settings.authToken,
    steps,
    duplicateRate: faults.duplicateCallbackRate ?? 0,
    onStep: (params, last) => {
      c.status = params.CallStatus;
      if (last) sim.stats.outcome('voice', params.CallStatus!);
    },
  };
}

/** POST …/Calls.json: validate like Twilio, charge the caller's calls-per-second, accept, schedule progress. */
export function createCall(sim: SimContext, request: FastifyRequest): SimReply {
  const denied = authenticate(request, sim.settings);
  if (denied) return denied;
  const form = formOf(request);
  const { To: to, From: from } = form;
  if (!to) return twilioError(400, 21201, "No 'To' number is specified");
  if (!isE164(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (!from) return twilioError(400, 21213, "No 'From' number is specified");
  if (!sim.settings.senders.has(from))
    return twilioError(
      400,
      21210,
      `The source phone number provided, ${from}, is not yet verified for your account.`,
    );
  const script = form.Twiml || form.Url;
  if (!script) return twilioError(400, 21205, 'Either Url or Twiml is required.');
  const target = callbackTarget(form.StatusCallback);
  if (!target.ok) return twilioError(400, 21609, 'The StatusCallback URL is not a valid URL.');
  const now = Date.now();
  const wait = sim.limiter.takeCall(from, now);
  if (wait > 0)
    return twilioError(429, 20429, 'Too Many Requests', { 'retry-after': retryAfterSeconds(wait) });
  const c: StoredMessage = {
    channel: 'voice',
    id: newSid('CA'),
    at: now,
    to,
    from,
    body: script,
    deliveryId: target.deliveryId ?? null,
    status: 'queued',
    details: { statusCallback: form.StatusCallback ?? null },
  };
  sim.store.add(c);
  sim.stats.accept('voice', target.deliveryId, now);
  const events = repeated(request, 'StatusCallbackEvent');
  sim.callbacks.start(callReceipts(sim, c, form.StatusCallback || undefined, events));
  return { status: 201, body: callResource(sim.settings.accountSid, c) };
}

/** GET …/Calls/:sid.json: the call with its current status. */
export function fetchCall(sim: SimContext, request: FastifyRequest): SimReply {
  return fetchResource(sim, request, 'voice', callResource);
}
