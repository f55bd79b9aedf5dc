import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import type { AlertKind } from './alerts.tables.js';
import { alertContentFor, type LoadedMessage } from './message-content.js';
import { renderAll } from './rendering/render-all.js';
import { checkTranslations, composeContent } from './send-alert.js';
import { emergencyRecordProblems, initiationIsLate, type EmergencyRecord } from './send-alert.policy.js';
import type { AlertPreview, PreviewBody } from './send-flow.schema.js';
import { loadTemplateVersion } from './templates.js';
import { hazardKindProblem, languageName, unknownChannels } from './send-options.js';

// A preview has no alert yet: the renderers get this id where the sent alert's id will be.
const previewAlertId = '00000000-0000-4000-8000-000000000000';

/** The Clery timing of an alert initiated `now`: the threshold, and whether a delay reason is required. */
export function previewTiming(
  ctx: Pick<AppContext, 'profile'>,
  kind: AlertKind,
  confirmedAt: Date | null,
  now: Date,
): AlertPreview['timing'] {
  const thresholdMinutes = ctx.profile.alerts.initiationDelayThresholdMinutes;
  const emergency = kind === 'emergency' && confirmedAt !== null;
  return {
    now: now.toISOString(),
    thresholdMinutes,
    confirmedAt: confirmedAt?.toISOString() ?? null,
    lateAfter: emergency ? new Date(confirmedAt.getTime() + thresholdMinutes * 60_000).toISOString() : null,
    delayReasonRequired: emergency && initiationIsLate(confirmedAt, now, ctx.profile),
  };
}

/**
 * Every channel's rendering of an alert before it is sent, per language of the template, built
 * the way the delivery builds it (composeContent, alertContentFor, the channel renderers), with
 * the emergency-notification timing and what the record still lacks if it were sent now.
 */
export async function previewAlert(
  ctx: Pick<AppContext, 'db' | 'profile' | 'config' | 'clock'>,
  options: PreviewBody,
): Promise<AlertPreview> {
  const unknown = unknownChannels(ctx.profile, options.channels);
  if (unknown.length > 0)
    throw new AppError('validation', `Unknown channel(s): ${unknown.join(', ')}.`, { field: 'channels' });
  const template = await loadTemplateVersion(ctx.db, options.templateId);
  const kindProblem = hazardKindProblem(ctx.profile, template, options.kind);
  if (kindProblem) throw new AppError('validation', kindProblem, { field: 'kind' });
  checkTranslations(ctx.profile.alerts.languages, options.translations);
  const now = ctx.clock.now();
  const primary = ctx.profile.alerts.languages[0]!;
  const message: LoadedMessage = {
    alertId: previewAlertId,
    sequence: 0,
    type: 'alert',
    kind: options.kind,
    hazard: template.hazard,
    hazardTitle: template.name,
    cap: template.cap as LoadedMessage['cap'],
    content: composeContent(template, options, primary),
    sentAt: now,
    acknowledgementRequested: options.acknowledgementRequested ?? false,
  };
  // The primary language first, as the delivery falls back to it.
  const languages = Object.keys(message.content).sort(
    (a, b) => Number(b === primary) - Number(a === primary),
  );
  const contents = languages.map((language) => alertContentFor(ctx, message, language));
  const renderings = contents.map((content) => renderAll(content, contents));
  const record = recordOf(options);
  return {
    template: {
      id: template.templateId,
      name: template.name,
      hazard: template.hazard,
      version: template.version,
    },
    kind: options.kind,
    languages: contents.map((content, i) => {
      const r = renderings[i]!;
      return {
        language: content.language,
        languageName: languageName(content.language),
        primary: content.language === primary,
        what: content.what,
        where: content.where,
        actions: content.actions,
        sms: { text: r.sms.text, ...r.sms.encoding, shortened: r.sms.shortened, warnings: r.sms.warnings },
        voice: { text: r.voice.text, ssml: r.voice.ssml, voice: r.voice.voice, warnings: r.voice.warnings },
        email: r.email,
        x: r.x,
        facebook: {
          message: r.facebook.message,
          link: r.facebook.link ?? null,
          warnings: r.facebook.warnings,
        },
        signage: { ...r.signage, ...r.signage.color },
        warnings: r.previewWarnings,
      };
    }),
    cap: { xml: renderings[0]!.cap, warnings: renderings[0]!.previewWarnings.filter(raisedBy('CAP')) },
    timing: previewTiming(ctx, options.kind, record.confirmedAt ?? null, now),
    recordProblems: emergencyRecordProblems(options.kind, record, now, ctx.profile),
  };
}

/** A filter for renderAll's merged warnings ('SMS, CAP: …') that one channel raised. */
const raisedBy = (channel: string) => (warning: string) =>
  warning.slice(0, warning.indexOf(': ')).split(', ').includes(channel);

function recordOf(options: PreviewBody): EmergencyRecord {
  return {
    confirmedBy: options.confirmedBy,
    confirmationSource: options.confirmationSource,
    confirmedAt: options.confirmedAt ? new Date(options.confirmedAt) : null,
    delayReason: options.delayReason,
    delayDecidedBy: options.delayDecidedBy,
  };
}
