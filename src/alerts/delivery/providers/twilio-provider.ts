import type { AppContext } from '../../../platform/context.js';
import type { TwilioSettings } from '../../../platform/delivery-settings.js';
import type { DeliveryProvider, MessageRenderings, OutgoingMessage, SendOutcome } from '../provider.js';
import type { HttpFailure } from './http-client.js';
import { Semaphore, forEachLimited, notSent, outcomeReporter } from './outcome-reporter.js';
import { SenderPool } from './sender-pool.js';
import { twilioClient, type TwilioClient, type TwilioCreated, type TwilioForm } from './twilio-client.js';
import { classifyTwilioRefusal, type TwilioRefusal } from './twilio-failures.policy.js';

/** Where Twilio posts status callbacks; `?delivery=` names the delivery (the simulator counts it). */
function twilioStatusCallbackUrl(publicUrl: string, deliveryId: string): string {
  return `${publicUrl}/webhooks/twilio/status?delivery=${encodeURIComponent(deliveryId)}`;
}

/** Numbers that can place calls: E.164 only (not short codes, alphanumeric ids or services). */
const canCall = (number: string) => /^\+[1-9]\d{1,14}$/.test(number);

/** Voice and office phones are calls (an office number is never texted); the rest are texts. */
const isCall = (m: OutgoingMessage) => m.channel === 'voice' || m.channel === 'office_phones';

type Answer = TwilioCreated | TwilioRefusal | HttpFailure;

/** The outcome of one create, and how long to rest the sender that tried it. */
function outcomeOf(
  deliveryId: string,
  sender: string,
  answer: Answer,
): { outcome: SendOutcome; pauseSenderMs?: number } {
  if ('sid' in answer)
    return { outcome: { deliveryId, kind: 'accepted', providerMessageId: answer.sid, sender } };
  if ('error' in answer)
    return { outcome: { deliveryId, kind: 'retryable', error: answer.error, code: answer.code } };
  const verdict = classifyTwilioRefusal(answer);
  if (verdict.kind === 'permanent')
    return { outcome: { deliveryId, kind: 'permanent', error: verdict.error, code: verdict.code } };
  const { pauseSenderMs, ...rest } = verdict;
  return { outcome: { deliveryId, ...rest }, pauseSenderMs };
}

/** The form of one SMS (a Messaging Service SID goes in MessagingServiceSid, as Twilio wants it). */
function messageForm(sender: string, to: string, body: string, callback: string): TwilioForm {
  const from: TwilioForm = sender.startsWith('MG') ? { MessagingServiceSid: sender } : { From: sender };
  return { To: to, ...from, Body: body, StatusCallback: callback };
}

/**
 * A Twilio-compatible SMS and voice provider. SMS: each sender paced by its own bucket counting
 * segments, all senders in parallel, at most `maxInFlight` requests at once; a 429 rests the sender
 * for its Retry-After. Voice: calls paced by the account's calls per second. Each create names
 * Tocsin's status-callback route with the delivery id.
 */
export function twilioProvider(
  ctx: Pick<AppContext, 'config' | 'log'>,
  settings: TwilioSettings,
): DeliveryProvider {
  const client: TwilioClient = twilioClient(settings);
  const senders = SenderPool.forSms(settings.senders);
  const calls = SenderPool.forCalls(
    settings.senders.map((s) => s.number).filter(canCall),
    settings.callsPerSecond,
  );
  const inFlight = { sms: new Semaphore(settings.maxInFlight), voice: new Semaphore(settings.maxInFlight) };
  const log = ctx.log.child({ provider: settings.name });
  const channels = settings.channels.filter((c) => c === 'sms' || calls.size > 0);
  if (channels.length < settings.channels.length)
    log.warn('no sender can place calls (E.164 numbers only): voice is not offered by this provider');

  async function sendOne(m: OutgoingMessage, renderings: MessageRenderings, signal: AbortSignal) {
    const callback = twilioStatusCallbackUrl(ctx.config.publicUrl, m.deliveryId);
    if (isCall(m)) {
      const caller = await calls.acquire(1, signal);
      if (!caller) return { outcome: notSent(m.deliveryId) };
      const form = {
        To: m.address,
        From: caller,
        Twiml: renderings.voice(m.language).twiml,
        StatusCallback: callback,
        StatusCallbackEvent: ['completed'],
      };
      const result = outcomeOf(m.deliveryId, caller, await client.create('Calls', form));
      if (result.pauseSenderMs) calls.pause(caller, result.pauseSenderMs);
      return result;
    }
    const sms = renderings.sms(m.language);
    const sender = await senders.acquire(sms.encoding.segments, signal);
    if (!sender) return { outcome: notSent(m.deliveryId) };
    const form = messageForm(sender, m.address, sms.text, callback);
    const result = outcomeOf(m.deliveryId, sender, await client.create('Messages', form));
    if (result.pauseSenderMs) senders.pause(sender, result.pauseSenderMs);
    return result;
  }

  return {
    name: settings.name,
    channels,
    async send(batch, renderings, report, signal) {
      const reporter = outcomeReporter(report);
      await forEachLimited(
        batch,
        settings.maxInFlight,
        signal,
        async (m) => {
          const slots = isCall(m) ? inFlight.voice : inFlight.sms;
          reporter.add((await slots.run(() => sendOne(m, renderings, signal))).outcome);
        },
        (m) => reporter.add(notSent(m.deliveryId)),
      );
      reporter.flush();
    },
    close: () => client.close(),
  };
}
