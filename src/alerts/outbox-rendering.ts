import type { AppContext } from '../platform/context.js';
import { alertContentFor, type LoadedMessage } from './message-content.js';
import { renderCap } from './rendering/cap.js';
import { renderEmail } from './rendering/email.js';
import { renderSignage } from './rendering/signage.js';
import { renderSms } from './rendering/sms.js';
import { renderFacebookPost, renderXPost } from './rendering/social.js';
import { renderVoice } from './rendering/voice.js';

/** Exactly what a channel would carry, for the outbox: the same renderers the real providers use. */
export function renderForOutbox(
  ctx: AppContext,
  channel: string,
  language: string,
  message: LoadedMessage,
): { subject: string | null; body: string } {
  const content = alertContentFor(ctx, message, language);
  switch (channel) {
    case 'sms':
      return { subject: null, body: renderSms(content).text };
    case 'voice':
      return { subject: null, body: renderVoice(content).text };
    case 'email': {
      const email = renderEmail(content);
      return { subject: email.subject, body: email.text };
    }
    case 'cap':
      return {
        subject: null,
        body: renderCap(
          content,
          Object.keys(message.content).map((l) => alertContentFor(ctx, message, l)),
        ),
      };
    case 'x':
      return { subject: null, body: renderXPost(content).text };
    case 'facebook':
      return { subject: null, body: renderFacebookPost(content).message };
    default:
      return { subject: null, body: JSON.stringify(renderSignage(content)) };
  }
}
