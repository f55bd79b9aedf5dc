import type { FastifyRequest } from 'fastify';
import type { ReceiptChain } from './callbacks.js';
import type { SimReply } from './http-faults.js';
import { retryAfterSeconds } from './http-faults.js';
import type { StoredMessage } from './message-store.js';
import type { SimContext } from './sim-context.js';
import { smsSegments } from './sms-segments.js';
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

const tooManyRequests = (waitMs: number) =>
  twilioError(429, 20429, 'Too Many Requests', { 'retry-after': retryAfterSeconds(waitMs) });

/** The Message resource as Twilio's API returns it. */
function messageResource(accountSid: string, m: StoredMessage): Record<string, unknown> {
  const uri = `/${apiVersion}/Accounts/${accountSid}/Messages/${m.id}`;
  const service = (m.details?.messagingServiceSid as string | undefined) ?? null;
  return {
    account_sid: accountSid,
    api_version: apiVersion,
    body: m.body,
    date_created: rfc2822(m.at),
    date_sent: null,
    date_updated: rfc2822(m.at),
    direction: 'outbound-api',
    error_code: m.errorCode ?? null,
    error_message: null,
    from: service && m.status === 'accepted' ? null : m.from,
    messaging_service_sid: service,
    num_media: '0',
    num_segments: String(m.segments ?? 1),
    price: null,
    price_unit: 'USD',
    sid: m.id,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

/** Pick the sender of a Messaging Service send: the first configured sender with room, or the wait. */
function serviceSender(sim: SimContext, segments: number, now: number): { sender?: string; waitMs: number } {
  let waitMs = Infinity;
  for (const sender of sim.settings.senders) {
    const wait = sim.limiter.takeSms(sender, segments, now);
    if (wait === 0) return { sender, waitMs: 0 };
    waitMs = Math.min(waitMs, wait);
  }
  return { waitMs };
}

/** Receipts for an accepted message: sent then delivered, or the configured failures. */
function messageReceipts(sim: SimContext, m: StoredMessage, url: string | undefined): ReceiptChain {
  const faults = sim.faults.for('sms');
  const base: Record<string, string> = {
    AccountSid: sim.settings.accountSid,
    ApiVersion: apiVersion,
    From: m.from ?? '',
    To: m.to ?? '',
    MessageSid: m.id,
    SmsSid: m.id,
  };
  const service = m.details?.messagingServiceSid as string | undefined;
  if (service) base.MessagingServiceSid = service;
  const step = (status: string, errorCode?: number) => ({
    ...base,
    MessageStatus: status,
    SmsStatus: status,
    ...(errorCode ? { ErrorCode: String(errorCode) } : {}),
  });
  const steps = chance(faults.failedRate)
    ? [step('failed', 30008)]
    : chance(faults.undeliveredRate)
      ? [step('sent'), step('undelivered', 30003)]
      : [step('sent'), step('delivered')];
  return {
    url,
    authToken: sim.settings.authToken,
    steps,
    duplicateRate: faults.duplicateCallbackRate ?? 0,
    onStep: (params, last) => {
      m.status = params.MessageStatus;
      if (params.ErrorCode) m.errorCode = Number(params.ErrorCode);
      if (last) sim.stats.outcome('sms', params.MessageStatus!);
    },
  };
}

/** POST …/Messages.json: validate like Twilio, charge the sender's segments, accept, schedule receipts. */
export function createMessage(sim: SimContext, request: FastifyRequest): SimReply {
  const denied = authenticate(request, sim.settings);
  if (denied) return denied;
  const form = formOf(request);
  const { To: to, From: from, MessagingServiceSid: service, Body: body } = form;
  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!isE164(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (!from && !service) return twilioError(400, 21603, "A 'From' phone number is required.");
  if (!body) return twilioError(400, 21602, 'Message body is required.');
  if (body.length > 1600)
    return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  const target = callbackTarget(form.StatusCallback);
  if (!target.ok) return twilioError(400, 21609, 'The StatusCallback URL is not a valid URL.');
  if (from && !sim.settings.senders.has(from))
    return twilioError(
      400,
      21606,
      `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    );
  const segments = smsSegments(body);
  const now = Date.now();
  const chosen = from
    ? { sender: from, waitMs: sim.limiter.takeSms(from, segments, now) }
    : serviceSender(sim, segments, now);
  if (chosen.waitMs > 0 || !chosen.sender) return tooManyRequests(chosen.waitMs);
  const m: StoredMessage = {
    channel: 'sms',
    id: newSid('SM'),
    at: now,
    to,
    from: chosen.sender,
    body,
    deliveryId: target.deliveryId ?? null,
    status: from ? 'queued' : 'accepted',
    errorCode: null,
    segments,
    details: { statusCallback: form.StatusCallback ?? null, messagingServiceSid: service },
  };
  sim.store.add(m);
  sim.stats.accept('sms', target.deliveryId, now);
  sim.stats.segments(chosen.sender, segments, now);
  sim.callbacks.start(messageReceipts(sim, m, form.StatusCallback || undefined));
  return { status: 201, body: messageResource(sim.settings.accountSid, m) };
}

/** GET …/Messages/:sid.json: the message with its current status. */
export function fetchMessage(sim: SimContext, request: FastifyRequest): SimReply {
  return fetchResource(sim, request, 'sms', messageResource);
}
