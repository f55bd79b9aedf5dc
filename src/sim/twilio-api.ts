import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FailureReply, SimReply } from './http-faults.js';
import { retryAfterSeconds } from './http-faults.js';
import type { StoredMessage } from './message-store.js';
import type { SimContext, SimSettings } from './sim-context.js';

export const apiVersion = '2010-04-01';

/** A Twilio REST error in Twilio's JSON shape, counted under its code. */
export function twilioError(status: number, code: number, message: string, headers?: Record<string, string>) {
  return {
    status,
    rejectCode: String(code),
    headers,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  } satisfies SimReply;
}

/** Injected failures worded as Twilio words them. */
export const twilioFailure: FailureReply = (kind, status, retryAfterMs) => {
  if (kind === 'rate')
    return twilioError(429, 20429, 'Too Many Requests', { 'retry-after': retryAfterSeconds(retryAfterMs) });
  if (status === 503) return twilioError(503, 20503, 'Service Unavailable');
  return { ...twilioError(status, 20500, 'Internal Server Error'), rejectCode: String(status) };
};

const e164 = /^\+[1-9]\d{1,14}$/;

/** True for an E.164 number (+ then up to 15 digits, no leading zero). */
export function isE164(value: string): boolean {
  return e164.test(value);
}

// SIDs are a type prefix and 32 hex digits: a random per-process half and a counter keep them unique cheaply.
const sidPrefix = randomBytes(8).toString('hex');
let sidCounter = 0;

/** A new resource SID such as SM… or CA…. */
export function newSid(type: 'SM' | 'CA' | 'MM'): string {
  sidCounter += 1;
  return type + sidPrefix + sidCounter.toString(16).padStart(16, '0');
}

// Thousands of messages share each second: format it once.
let formattedSecond = -1;
let formatted = '';

/** RFC 2822 date as Twilio writes it: "Thu, 24 Aug 2023 05:01:45 +0000". */
export function rfc2822(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== formattedSecond) {
    formattedSecond = second;
    formatted = new Date(second * 1000).toUTCString().replace('GMT', '+0000');
  }
  return formatted;
}

// The Authorization header a client with the right credentials sends, encoded once per account.
const expectedHeaders = new WeakMap<SimSettings, string>();

function credentialsMatch(header: string, settings: SimSettings): boolean {
  let expected = expectedHeaders.get(settings);
  if (expected === undefined) {
    expected = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
    expectedHeaders.set(settings, expected);
  }
  if (header === expected) return true;
  if (!header.startsWith('Basic ')) return false;
  // Not byte-identical (unpadded base64, say): compare what it decodes to.
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded === `${settings.accountSid}:${settings.authToken}`;
}

/** Check HTTP Basic AccountSid:AuthToken against the account and the account in the path. */
export function authenticate(request: FastifyRequest, settings: SimSettings): SimReply | undefined {
  const header = request.headers.authorization;
  const { AccountSid } = request.params as { AccountSid: string };
  if (header && AccountSid === settings.accountSid && credentialsMatch(header, settings)) return undefined;
  return twilioError(401, 20003, 'Authentication Error - invalid username', {
    'www-authenticate': 'Basic realm="Twilio API"',
  });
}

/** The form parameters of a Twilio API call (repeated names keep their last value). */
export function formOf(request: FastifyRequest): Record<string, string | undefined> {
  const body = request.body;
  if (!body || typeof body !== 'object') return {};
  const form: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') form[name] = value;
    else if (Array.isArray(value)) form[name] = String(value[value.length - 1]);
  }
  return form;
}

/** Tocsin's delivery id from a StatusCallback URL (`?delivery=<id>`), or the URL problem. */
export function callbackTarget(
  url: string | undefined,
): { ok: true; deliveryId: string | undefined } | { ok: false } {
  if (url === undefined || url === '') return { ok: true, deliveryId: undefined };
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false };
    return { ok: true, deliveryId: parsed.searchParams.get('delivery') ?? undefined };
  } catch {
    return { ok: false };
  }
}

/** Whether a draw at `rate` hits. */
export const chance = (rate: number | undefined) => rate !== undefined && rate > 0 && Math.random() < rate;

/** GET …/Messages/:sid.json or …/Calls/:sid.json: the resource with its current status. */
export function fetchResource(
  sim: SimContext,
  request: FastifyRequest,
  channel: 'sms' | 'voice',
  resource: (accountSid: string, stored: StoredMessage) => unknown,
): SimReply {
  const denied = authenticate(request, sim.settings);
  if (denied) return denied;
  const { sid } = request.params as { sid: string };
  const stored = sim.store.get(sid);
  if (!stored || stored.channel !== channel)
    return twilioError(
      404,
      20404,
      `The requested resource /${apiVersion}/Accounts/${sim.settings.accountSid}/${channel === 'sms' ? 'Messages' : 'Calls'}/${sid}.json was not found`,
    );
  return { status: 200, body: resource(sim.settings.accountSid, stored) };
}
