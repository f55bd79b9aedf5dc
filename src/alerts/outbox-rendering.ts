import type { AppContext } from '../platform/context.js';
import type { AlertKind, MessageContent, MessageType } from './alerts.tables.js';

const markers: Partial<Record<AlertKind, string>> = { test: 'TEST', exercise: 'EXERCISE' };
const typeMarkers: Partial<Record<MessageType, string>> = {
  update: 'UPDATE',
  all_clear: 'ALL CLEAR',
  cancel: 'CANCELLED',
};

/**
 * The plain text a channel carries, for the outbox: the institution's prefix first, TEST or
 * EXERCISE unmistakably, then what, where and actions in the recipient's language.
 */
export function renderForOutbox(
  ctx: AppContext,
  channel: string,
  language: string,
  content: MessageContent,
  kind: AlertKind,
  type: MessageType,
): { subject: string | null; body: string } {
  const text = content[language] ?? content[ctx.profile.alerts.languages[0]!]!;
  const tags = [markers[kind], typeMarkers[type]].filter(Boolean).join(' ');
  const head = `${ctx.profile.institution.messagePrefix}${tags ? ` ${tags}:` : ''}`;
  const body = `${head} ${text.what} ${text.where}. ${text.actions}`.replace(/\s+/g, ' ').trim();
  return { subject: channel === 'email' ? `${head} ${text.what}`.trim() : null, body };
}
