import { writeAudit } from '../audit/write-audit.js';
import { inChannelOrder } from './channel-order.js';
import type { RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { inTransaction, type Trx } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import type { Principal } from '../identity/principal.js';
import type { Permission } from '../identity/permissions.js';
import { defaultCampusId } from '../directory/sync/sync.queries.js';
import type { AlertKind, AudienceSpec, MessageContent } from './alerts.tables.js';
import { resolveAudience } from './audience.js';
import { alertFanoutJob } from './alerts.jobs.js';
import { acknowledgementProblems } from './replies/acknowledgement.policy.js';
import { alertEscalationJob } from './replies/escalation.jobs.js';
import { priorityOf } from './priorities.js';
import { emergencyRecordProblems, profileKindOf, type EmergencyRecord } from './send-alert.policy.js';
import { loadTemplateVersion, type TemplateVersion } from './templates.js';

export interface SendAlertOptions {
  templateId: string;
  kind: AlertKind;
  /** Where, in words ("Building W20, the Student Center"); replaces {where} in the template. */
  where: string;
  /** Optional replacements of the template's what and actions (primary language). */
  what?: string;
  actions?: string;
  /** The operator's own words in the other languages (e.g. { es: { what, where, actions } }). */
  translations?: Translations;
  audience: AudienceSpec;
  audienceReason: string;
  channels: string[];
  record: EmergencyRecord;
  /** For tests and exercises: whether the test was announced beforehand (the Clery test register). */
  announced?: boolean;
  /** Ask people to answer: SMS "Reply 1 if safe, 2 if you need help.", email buttons. */
  acknowledgementRequested?: boolean;
  /** With acknowledgements: after this many minutes (1..1440), call everyone who has not answered. */
  escalationMinutes?: number;
  request: RequestMeta;
  /** Write the alert in this transaction (the caller commits it with its own changes); default a new one. */
  trx?: Trx;
}

/** Words the operator wrote in a non-primary language; a field left out keeps its default. */
export type Translations = Record<string, { what?: string; where?: string; actions?: string }>;

/** Refuse translations into a language the profile does not declare, or into the primary one. */
export function checkTranslations(
  languages: readonly string[],
  translations: Translations | undefined,
): void {
  for (const [language, words] of Object.entries(translations ?? {})) {
    if (!languages.slice(1).includes(language))
      throw new AppError(
        'validation',
        `translations.${language}: "${language}" is not one of the profile's other languages (${languages.slice(1).join(', ') || 'none'}); the primary language's words are what, where and actions.`,
        { field: `translations.${language}` },
      );
    for (const field of ['what', 'where', 'actions'] as const) {
      const value = words[field];
      if (value !== undefined && value.trim() === '')
        throw new AppError('validation', `translations.${language}.${field} is empty.`, {
          field: `translations.${language}.${field}`,
        });
    }
  }
}

/** Fill a template version with the operator's words, per language. */
export function composeContent(
  template: TemplateVersion,
  options: Pick<SendAlertOptions, 'where' | 'what' | 'actions' | 'translations'>,
  primary: string,
): MessageContent {
  return Object.fromEntries(
    Object.entries(template.languages).map(([language, t]) => {
      const own =
        language === primary
          ? { what: options.what, actions: options.actions, where: undefined }
          : (options.translations?.[language] ?? {});
      return [
        language,
        {
          what: own.what || t.what,
          where: own.where || t.where.replaceAll('{where}', options.where),
          actions: own.actions || t.actions,
        },
      ];
    }),
  );
}

/** Refuse a caller whose roles may not send (or update, or close) alerts of this kind. */
export function requireSendPermission(principal: Principal, kind: AlertKind): void {
  const permission = `alerts.send.${profileKindOf(kind)}` as Permission;
  if (!principal.permissions.has(permission)) {
    throw new AppError('forbidden', `Your roles may not send ${kind} alerts (needs ${permission}).`, {
      permission,
    });
  }
}

/**
 * Send an alert: check who may send this kind, the Clery record and the audience, then write the
 * alert (sending), its first message, its audit row and the fan-out job in ONE transaction. An
 * emergency never waits for a second approver.
 */
export async function sendAlert(
  ctx: AppContext,
  principal: Principal,
  options: SendAlertOptions,
): Promise<{ alertId: string; messageId: string }> {
  requireSendPermission(principal, options.kind);
  const now = ctx.clock.now();
  const problems = emergencyRecordProblems(options.kind, options.record, now, ctx.profile);
  if (problems.length > 0)
    throw new AppError(
      'validation',
      `The emergency-notification record is incomplete: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
      problems,
    );
  const ackProblems = acknowledgementProblems(options);
  if (ackProblems.length > 0)
    throw new AppError(
      'validation',
      `Acknowledgements: ${ackProblems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
      ackProblems,
    );
  checkTranslations(ctx.profile.alerts.languages, options.translations);
  const template = await loadTemplateVersion(ctx.db, options.templateId);
  const hazard = ctx.profile.alerts.hazards.find((h) => h.code === template.hazard);
  if (hazard && !hazard.kinds.includes(options.kind)) {
    throw new AppError(
      'validation',
      `The "${template.name}" template is not for ${options.kind} alerts (only ${hazard.kinds.join(', ')}).`,
      { field: 'kind' },
    );
  }
  const unknownChannels = options.channels.filter((c) => !ctx.profile.alerts.channels.includes(c as never));
  if (unknownChannels.length > 0)
    throw new AppError('validation', `Unknown channel(s): ${unknownChannels.join(', ')}.`, {
      field: 'channels',
    });
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  await resolveAudience(ctx.db, campusId, options.audience);
  const content = composeContent(template, options, ctx.profile.alerts.languages[0]!);
  return inTransaction(ctx.db, options.trx, async (trx) => {
    const alert = await trx
      .insertInto('alerts')
      .values({
        campus_id: campusId,
        kind: options.kind,
        status: 'sending',
        hazard: template.hazard,
        template_id: template.templateId,
        template_version: template.version,
        audience: JSON.stringify(options.audience),
        audience_reason: options.audienceReason,
        // Stored in the campus's channel order, so every list of them reads the same way.
        channels: inChannelOrder([...new Set(options.channels)], ctx.profile.alerts.channels, (c) => c),
        confirmed_by: options.record.confirmedBy ?? null,
        confirmation_source: options.record.confirmationSource ?? null,
        confirmed_at: options.record.confirmedAt ?? null,
        initiated_at: now,
        delay_reason: (options.record.delayReason as never) ?? null,
        delay_decided_by: options.record.delayReason ? (options.record.delayDecidedBy ?? null) : null,
        created_by: principal.actor.label ?? 'unknown',
        sent_by: principal.actor.label,
        acknowledgement_requested: options.acknowledgementRequested ?? false,
        escalation_minutes: options.escalationMinutes ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const message = await trx
      .insertInto('alert_messages')
      .values({
        alert_id: alert.id,
        sequence: 0,
        message_type: 'alert',
        template_id: template.templateId,
        template_version: template.version,
        content: JSON.stringify(content),
        created_by: principal.actor.label ?? 'unknown',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (options.kind === 'test' || options.kind === 'exercise') {
      await trx
        .insertInto('emergency_tests')
        .values({
          campus_id: campusId,
          alert_id: alert.id,
          description: `${options.kind === 'test' ? 'Test' : 'Exercise'}: ${template.name} — ${options.where}`,
          tested_at: now,
          announced: options.announced ?? true,
          recorded_by: principal.actor.label ?? 'unknown',
        })
        .execute();
    }
    await ctx.queue.enqueue(
      trx,
      alertFanoutJob,
      { messageId: message.id },
      { priority: priorityOf[options.kind] },
    );
    if (options.escalationMinutes !== undefined)
      await ctx.queue.enqueue(
        trx,
        alertEscalationJob,
        { alertId: alert.id },
        { priority: priorityOf[options.kind], startAfterSeconds: options.escalationMinutes * 60 },
      );
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'alert.send',
      target: { type: 'alert', id: alert.id },
      campusId,
      after: {
        kind: options.kind,
        hazard: template.hazard,
        templateVersion: template.version,
        channels: options.channels,
        audience: options.audience,
        acknowledgementRequested: options.acknowledgementRequested ?? false,
        escalationMinutes: options.escalationMinutes ?? null,
      },
      request: options.request,
    });
    return { alertId: alert.id, messageId: message.id };
  });
}
