import type { AppContext } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/database.js';
import { alertContentFor, loadMessage, type LoadedMessage } from '../message-content.js';
import { renderCapDocument, type CapRendering } from '../rendering/cap.js';
import { renderEmail } from '../rendering/email.js';
import { renderSignage } from '../rendering/signage.js';
import { renderSms } from '../rendering/sms.js';
import { renderFacebookPost, renderXPost } from '../rendering/social.js';
import { renderVoice } from '../rendering/voice.js';
import type { DeliveryChannel, MessageRenderings } from './provider.js';

/** Every channel's rendering of one loaded message, each computed on first use and then kept. */
function renderingsOf(ctx: AppContext, message: LoadedMessage, messageId: string): MessageRenderings {
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, make: () => T): T => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as T;
  };
  const content = (language: string) =>
    once(`content:${language}`, () => alertContentFor(ctx, message, language));
  const renderings: MessageRenderings = {
    alertId: message.alertId,
    messageId,
    sequence: message.sequence,
    kind: message.kind,
    messageType: message.type,
    sms: (l) => once(`sms:${l}`, () => renderSms(content(l))),
    voice: (l) => once(`voice:${l}`, () => renderVoice(content(l))),
    email: (l) => once(`email:${l}`, () => renderEmail(content(l))),
    cap: (): CapRendering =>
      once('cap', () => {
        const languages = Object.keys(message.content);
        return renderCapDocument(content(languages[0]!), languages.map(content));
      }),
    x: (l) => once(`x:${l}`, () => renderXPost(content(l))),
    facebook: (l) => once(`facebook:${l}`, () => renderFacebookPost(content(l))),
    signage: (l) => once(`signage:${l}`, () => renderSignage(content(l))),
    outbox: (channel: DeliveryChannel, l: string) => {
      switch (channel) {
        case 'sms':
          return { subject: null, body: renderings.sms(l).text };
        case 'voice':
        case 'office_phones':
          return { subject: null, body: renderings.voice(l).text };
        case 'email': {
          const email = renderings.email(l);
          return { subject: email.subject, body: email.text };
        }
        case 'cap':
          return { subject: null, body: renderings.cap().xml };
        case 'x':
          return { subject: null, body: renderings.x(l).text };
        case 'facebook':
          return { subject: null, body: renderings.facebook(l).message };
        default:
          return { subject: null, body: JSON.stringify(renderings.signage(l)) };
      }
    },
  };
  return renderings;
}

const cache = new Map<string, MessageRenderings>();
const cacheLimit = 64;

/** A message's renderings, cached per process (messages are immutable once written). */
export async function renderingsFor(
  ctx: AppContext,
  q: Queryable,
  messageId: string,
): Promise<MessageRenderings> {
  const hit = cache.get(messageId);
  if (hit) return hit;
  const renderings = renderingsOf(ctx, await loadMessage(q, messageId), messageId);
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value!);
  cache.set(messageId, renderings);
  return renderings;
}
