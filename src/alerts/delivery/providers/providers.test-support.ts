import { randomUUID } from 'node:crypto';
import type { AlertContent } from '../../rendering/alert-content.js';
import { makeAlertContent } from '../../rendering/alert-content.factory.js';
import { renderCapDocument } from '../../rendering/cap.js';
import { renderEmail } from '../../rendering/email.js';
import { renderSignage } from '../../rendering/signage.js';
import { renderSms } from '../../rendering/sms.js';
import { renderFacebookPost, renderXPost } from '../../rendering/social.js';
import { renderVoice } from '../../rendering/voice.js';
import type { DeliveryChannel, MessageRenderings, OutgoingMessage, SendOutcome } from '../provider.js';

/** The renderings of one test message (the factory's gas leak unless told otherwise), no personal links. */
export function testRenderings(overrides: Partial<AlertContent> = {}): MessageRenderings {
  const content = (language: string) =>
    makeAlertContent({
      links: { page: 'https://emergency.mit.net/alerts/5f0c9a52' },
      ...overrides,
      language,
    });
  // Kept once made, as the real renderings are: providers call these for every message.
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, make: () => T): T => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as T;
  };
  const renderings: MessageRenderings = {
    alertId: content('en').id,
    messageId: randomUUID(),
    sequence: content('en').sequence,
    kind: content('en').kind,
    messageType: content('en').messageType,
    sms: (l) => once(`sms:${l}`, () => renderSms(content(l))),
    voice: (l) => once(`voice:${l}`, () => renderVoice(content(l))),
    email: (l) => once(`email:${l}`, () => renderEmail(content(l))),
    cap: () => once('cap', () => renderCapDocument(content('en'), [content('en'), content('es')])),
    x: (l) => once(`x:${l}`, () => renderXPost(content(l))),
    facebook: (l) => once(`facebook:${l}`, () => renderFacebookPost(content(l))),
    signage: (l) => once(`signage:${l}`, () => renderSignage(content(l))),
    outbox: () => ({ subject: null, body: '' }),
  };
  return renderings;
}

/** One claimed delivery as a provider sees it. */
export function outgoing(
  channel: DeliveryChannel,
  address: string,
  overrides: Partial<OutgoingMessage> = {},
): OutgoingMessage {
  return {
    deliveryId: randomUUID(),
    alertId: '5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10',
    messageId: randomUUID(),
    channel,
    address,
    language: 'en',
    personId: randomUUID(),
    attempt: 1,
    acknowledgeUrl: null,
    unsubscribeUrl: null,
    ...overrides,
  };
}

/** `n` SMS deliveries to distinct valid numbers. */
export function smsBatch(n: number, channel: DeliveryChannel = 'sms'): OutgoingMessage[] {
  return Array.from({ length: n }, (_, i) =>
    outgoing(channel, `+1617555${String(1000 + i).padStart(4, '0')}`),
  );
}

/** Collects what a provider reports, and how many `report` calls it made. */
export function outcomeLog() {
  const outcomes: SendOutcome[] = [];
  let calls = 0;
  return {
    outcomes,
    get calls() {
      return calls;
    },
    report: (reported: SendOutcome[]) => {
      calls += 1;
      outcomes.push(...reported);
    },
    kinds(): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const o of outcomes) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
      return counts;
    },
    of(deliveryId: string): SendOutcome | undefined {
      return outcomes.find((o) => o.deliveryId === deliveryId);
    },
  };
}

/** An AbortSignal that never aborts. */
export const never = new AbortController().signal;
