import { apiVersion, newSid } from './twilio-api.js';
import { postSignedForm } from './signed-post.js';
import type { SimContext } from './sim-context.js';
import { smsSegments } from './sms-segments.js';

/** An SMS a phone sends to one of Tocsin's numbers. */
export interface InboundSmsRequest {
  from: string;
  to: string;
  body: string;
  /** Tocsin's inbound-SMS webhook. */
  webhookUrl: string;
  /** Signs the webhook; the simulator's auth token when absent. */
  authToken?: string;
}

/** What came back from Tocsin. */
export interface InboundSmsResult {
  messageSid: string;
  status: number | null;
  error: string | null;
  /** Tocsin's raw answer (TwiML, usually). */
  response: string;
  /** The texts of the TwiML <Message> replies, which the simulator records as outbound SMS. */
  replies: string[];
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e.startsWith('#x') || e.startsWith('#X')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : (entities[e.toLowerCase()] ?? ''),
  );

/** The texts of <Message> verbs in a TwiML answer (plain or wrapped in <Body>). */
function twimlReplies(twiml: string): string[] {
  const replies: string[] = [];
  for (const match of twiml.matchAll(/<Message\b[^>]*>([\s\S]*?)<\/Message>/g)) {
    const inner = match[1]!;
    const body = /<Body>([\s\S]*?)<\/Body>/.exec(inner)?.[1] ?? inner.replace(/<[^>]+>/g, '');
    replies.push(unescapeXml(body.trim()));
  }
  return replies;
}

/**
 * POST a Twilio inbound-SMS webhook (signed with X-Twilio-Signature) to Tocsin and wait for its
 * answer, as a phone replying STOP, HELP or 1 would cause. TwiML replies are stored as SMS.
 */
export async function sendInboundSms(sim: SimContext, request: InboundSmsRequest): Promise<InboundSmsResult> {
  const messageSid = newSid('SM');
  const params = {
    AccountSid: sim.settings.accountSid,
    ApiVersion: apiVersion,
    Body: request.body,
    From: request.from,
    To: request.to,
    MessageSid: messageSid,
    SmsMessageSid: messageSid,
    SmsSid: messageSid,
    SmsStatus: 'received',
    NumMedia: '0',
    NumSegments: String(smsSegments(request.body)),
  };
  const now = Date.now();
  sim.store.add({
    channel: 'sms',
    id: messageSid,
    at: now,
    to: request.to,
    from: request.from,
    body: request.body,
    deliveryId: null,
    status: 'received',
    details: { direction: 'inbound', webhookUrl: request.webhookUrl },
  });
  const token = request.authToken ?? sim.settings.authToken;
  const result = await postSignedForm(sim.webhooks, request.webhookUrl, params, token);
  const replies = result.status !== null && result.status < 400 ? twimlReplies(result.body) : [];
  for (const text of replies)
    sim.store.add({
      channel: 'sms',
      id: newSid('SM'),
      at: Date.now(),
      to: request.from,
      from: request.to,
      body: text,
      deliveryId: null,
      status: 'delivered',
      segments: smsSegments(text),
      details: { direction: 'reply', inReplyTo: messageSid },
    });
  return { messageSid, status: result.status, error: result.error, response: result.body, replies };
}
