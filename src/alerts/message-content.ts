import type { AppContext } from '../platform/context.js';
import type { Queryable } from '../platform/db/database.js';
import type { AlertKind, MessageContent, MessageType } from './alerts.tables.js';
import type { AlertContent } from './rendering/alert-content.js';

export interface LoadedMessage {
  alertId: string;
  sequence: number;
  type: MessageType;
  kind: AlertKind;
  hazard: string;
  hazardTitle: string;
  cap: AlertContent['hazard']['cap'];
  content: MessageContent;
  sentAt: Date;
  /** The alert asks people to answer 1 (safe) or 2 (need help). */
  acknowledgementRequested: boolean;
}

/** A message with what its renderers need: the alert's kind, the template version's CAP defaults. */
export async function loadMessage(q: Queryable, messageId: string): Promise<LoadedMessage> {
  const row = await q
    .selectFrom('alert_messages as m')
    .innerJoin('alerts as a', 'a.id', 'm.alert_id')
    .innerJoin('alert_templates as t', 't.id', 'm.template_id')
    .select([
      'm.alert_id',
      'm.sequence',
      'm.message_type',
      'm.content',
      'm.template_id',
      'm.template_version',
      'm.created_at',
      'a.kind',
      'a.hazard',
      'a.acknowledgement_requested',
      't.name',
    ])
    .where('m.id', '=', messageId)
    .executeTakeFirstOrThrow();
  const version = await q
    .selectFrom('alert_template_versions')
    .select('cap')
    .where('template_id', '=', row.template_id)
    .where('version', '=', row.template_version)
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    alertId: row.alert_id,
    sequence: row.sequence,
    type: row.message_type,
    kind: row.kind,
    hazard: row.hazard,
    hazardTitle: row.name,
    cap: version.cap as AlertContent['hazard']['cap'],
    content: row.content,
    sentAt: row.created_at,
    acknowledgementRequested: row.acknowledgement_requested,
  };
}

/** The renderers' input for one language of a message (the primary language when it lacks one). */
export function alertContentFor(
  ctx: Pick<AppContext, 'profile' | 'config'>,
  message: LoadedMessage,
  language: string,
): AlertContent {
  const primary = ctx.profile.alerts.languages[0]!;
  const lang = message.content[language] ? language : primary;
  const text = message.content[lang]!;
  const page = ctx.profile.institution.emergencyPageUrl ?? ctx.config.publicUrl;
  return {
    id: message.alertId,
    sequence: message.sequence,
    // An escalation call carries the alert's latest content and reads like the alert itself.
    messageType: message.type === 'escalation' ? 'alert' : message.type,
    kind: message.kind,
    hazard: { code: message.hazard, title: message.hazardTitle, cap: message.cap },
    language: lang,
    what: text.what,
    where: text.where,
    actions: text.actions,
    sentAt: message.sentAt,
    institution: {
      name: ctx.profile.institution.name,
      shortName: ctx.profile.institution.shortName,
      prefix: ctx.profile.institution.messagePrefix,
      timezone: ctx.profile.institution.timezone,
      url: page,
      senderId: new URL(page).hostname,
    },
    areas: [{ description: text.where }],
    links: { page },
    acknowledgementRequested:
      message.acknowledgementRequested && message.type !== 'all_clear' && message.type !== 'cancel',
  };
}
