import type { AppContext } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import type { Principal } from '../identity/principal.js';
import type { MessageContent } from './alerts.tables.js';
import { composeAllClear, type AllClearWords } from './all-clear-content.js';
import { otherLanguages } from './follow-up.js';
import type { AllClearPreview } from './all-clear-preview.schema.js';
import { alertContentFor, type LoadedMessage } from './message-content.js';
import { renderAll } from './rendering/render-all.js';
import { checkTranslations, requireSendPermission, type Translations } from './send-alert.js';
import { languageName } from './send-options.js';

/**
 * The all-clear of an alert as it would be sent now, per language and channel: composed the way
 * sendFollowUp composes it and rendered by the delivery's renderers, so the review shows the
 * words people will get. Nothing is stored.
 */
export async function previewAllClear(
  ctx: Pick<AppContext, 'db' | 'profile' | 'config' | 'clock'>,
  principal: Principal,
  alertId: string,
  words: AllClearWords & { translations?: Translations },
): Promise<AllClearPreview> {
  const alert = await ctx.db
    .selectFrom('alerts')
    .select(['kind', 'status', 'hazard', 'channels'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) throw notFound('Alert');
  requireSendPermission(principal, alert.kind);
  if (alert.status === 'closed' || alert.status === 'draft')
    throw new AppError('invalid_transition', `This alert is ${alert.status}; it takes no all-clear.`);
  const last = await ctx.db
    .selectFrom('alert_messages')
    .select(['sequence', 'content'])
    .where('alert_id', '=', alertId)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const primary = ctx.profile.alerts.languages[0]!;
  checkTranslations(ctx.profile.alerts.languages, words.translations);
  const lastContent = last.content as MessageContent;
  const { what, where, actions } = words;
  const composed = await composeAllClear(
    ctx.db,
    { kind: alert.kind, lastContent },
    { what, where, actions },
    primary,
  );
  const { template } = composed;
  // The other languages as sendFollowUp words them: the operator's, or the details-in-primary sentence.
  const replaced = what !== undefined || where !== undefined || actions !== undefined;
  const content = otherLanguages(
    ctx,
    composed.content,
    composed.content,
    words.translations,
    primary,
    replaced,
  );
  const message: LoadedMessage = {
    alertId,
    sequence: last.sequence + 1,
    type: 'all_clear',
    kind: alert.kind,
    hazard: alert.hazard,
    hazardTitle: template.name,
    cap: template.cap as LoadedMessage['cap'],
    content,
    sentAt: ctx.clock.now(),
    acknowledgementRequested: false,
  };
  const languages = Object.keys(content).sort((a, b) => Number(b === primary) - Number(a === primary));
  const contents = languages.map((language) => alertContentFor(ctx, message, language));
  const renderings = contents.map((c) => renderAll(c, contents));
  return {
    kind: alert.kind,
    channels: alert.channels,
    languages: contents.map((c, i) => {
      const r = renderings[i]!;
      return {
        language: c.language,
        languageName: languageName(c.language),
        primary: c.language === primary,
        what: c.what,
        where: c.where,
        actions: c.actions,
        sms: { text: r.sms.text, segments: r.sms.encoding.segments, encoding: r.sms.encoding.encoding },
        voice: { text: r.voice.text },
        email: { subject: r.email.subject, text: r.email.text },
        signage: { headline: r.signage.headline, body: r.signage.body, actions: r.signage.actions },
        warnings: r.previewWarnings,
      };
    }),
    cap: { xml: renderings[0]!.cap },
  };
}
