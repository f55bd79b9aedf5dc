import { alertContentFor, type LoadedMessage } from '../alerts/message-content.js';
import { capIdentifier, renderCapDocument } from '../alerts/rendering/cap.js';
import type { AlertContent } from '../alerts/rendering/alert-content.js';
import { renderSignage, type SignageRendering } from '../alerts/rendering/signage.js';
import { sitePaths } from './public-paths.js';
import type { PublicAlert, PublicMessage } from './public-alert.types.js';
import type { SiteContext } from './site-context.js';

function loaded(alert: PublicAlert, message: PublicMessage): LoadedMessage {
  return {
    alertId: alert.id,
    sequence: message.sequence,
    type: message.type,
    kind: alert.kind,
    hazard: alert.hazard,
    hazardTitle: message.templateName,
    cap: message.cap,
    content: message.content,
    sentAt: message.sentAt,
    acknowledgementRequested: alert.acknowledgementRequested,
  };
}

/**
 * The channel renderers' input for one message in one language, as the public site publishes it:
 * its web link is the alert's permanent page, and an update or all-clear references every
 * earlier message of the alert (CAP `references`).
 */
function publicContent(
  sc: SiteContext,
  alert: PublicAlert,
  message: PublicMessage,
  language: string,
): AlertContent {
  const content = alertContentFor(sc.app, loaded(alert, message), language);
  const senderId = content.institution.senderId;
  const page = `${sc.siteUrl}/${sitePaths.alert(alert.id, sc.primary, sc.primary)}`;
  const references = alert.messages
    .filter((m) => m.sequence < message.sequence)
    .map((m) => ({ identifier: capIdentifier(senderId, alert.id, m.sequence), sentAt: m.sentAt }));
  return { ...content, links: { page }, ...(references.length > 0 ? { references } : {}) };
}

/**
 * The messages an alert publishes as CAP: its own and, for an alert closed without an all-clear, a
 * Cancel (CAP msgType Cancel, the sequence after its last message, sent when it was closed), so
 * signage and desktop-alert systems take it down instead of showing the last Alert until it
 * expires. A closed alert gets no more messages, so no other CAP document ever has that identifier
 * (an escalation call may share the number, but escalations are calls and publish no CAP). The
 * Cancel repeats the last message's what and where (so a display can say what ended) and drops its
 * actions; the reason for closing is internal and never published.
 */
export function capMessagesOf(alert: PublicAlert): PublicMessage[] {
  const last = alert.latest;
  if (alert.state !== 'ended' || last.type === 'cancel' || !alert.closedAt) return alert.messages;
  const content = Object.fromEntries(
    Object.entries(last.content).map(([language, text]) => [language, { ...text, actions: '' }]),
  );
  const cancel: PublicMessage = {
    ...last,
    id: `${last.id}.cancel`,
    sequence: last.sequence + 1,
    type: 'cancel',
    sentAt: alert.closedAt,
    content,
  };
  return [...alert.messages, cancel];
}

/** The message an alert's CAP document (`cap/<id>.xml`) and its CAP feed entry carry: the last of capMessagesOf. */
export function latestCapMessage(alert: PublicAlert): PublicMessage {
  return capMessagesOf(alert).at(-1)!;
}

/** The CAP 1.2 document of one message: one <info> per language it was written in. */
export function capOf(sc: SiteContext, alert: PublicAlert, message: PublicMessage): string {
  const languages = Object.keys(message.content);
  const first = languages.includes(sc.primary) ? sc.primary : languages[0]!;
  const infos = [first, ...languages.filter((l) => l !== first)].map((l) =>
    publicContent(sc, alert, message, l),
  );
  return renderCapDocument(infos[0]!, infos).xml;
}

/** The signage display of an alert's latest message in a language. */
export function signageOf(sc: SiteContext, alert: PublicAlert, language: string): SignageRendering {
  return renderSignage(publicContent(sc, alert, alert.latest, language));
}
