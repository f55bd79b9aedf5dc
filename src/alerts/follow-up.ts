import { sql } from 'kysely';
import { writeAudit } from '../audit/write-audit.js';
import type { RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { inTransaction, type Trx } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { hasPermission, type Principal } from '../identity/principal.js';
import type { MessageContent } from './alerts.tables.js';
import { alertFanoutJob } from './alerts.jobs.js';
import { priorityOf } from './priorities.js';
import { composeAllClear } from './all-clear-content.js';
import { checkTranslations, requireSendPermission, type Translations } from './send-alert.js';

export interface FollowUp {
  type: 'update' | 'all_clear';
  /** Replacements of the primary language's text; the rest comes from the last message (update) or the all-clear template. */
  what?: string;
  where?: string;
  actions?: string;
  /**
   * The operator's words in the other languages. A language left out says, in its own words, that
   * the details are in the primary language, then carries the primary text: never its earlier words.
   */
  translations?: Translations;
  request: RequestMeta;
  /** Write the message in this transaction (the caller commits it with its own changes); default a new one. */
  trx?: Trx;
}

/**
 * Send an update or the all-clear of an alert: a new message in the same alert, to the same
 * audience, fanned out like the first; the alert goes back to sending until it is delivered.
 */
export async function sendFollowUp(
  ctx: AppContext,
  principal: Principal,
  alertId: string,
  input: FollowUp,
): Promise<{ messageId: string; sequence: number }> {
  const alert = await ctx.db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  if (!alert) throw notFound('Alert');
  requireSendPermission(principal, alert.kind);
  if (alert.status === 'closed' || alert.status === 'draft')
    throw new AppError(
      'invalid_transition',
      `This alert is ${alert.status}; updates go only to alerts that were sent and are not closed.`,
    );
  const last = await ctx.db
    .selectFrom('alert_messages')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const primary = ctx.profile.alerts.languages[0]!;
  checkTranslations(ctx.profile.alerts.languages, input.translations);
  let templateId = last.template_id;
  let version = last.template_version;
  let content: MessageContent;
  if (input.type === 'all_clear') {
    const lastContent = last.content as MessageContent;
    ({ templateId, version, content } = await composeAllClear(
      ctx.db,
      { kind: alert.kind, lastContent },
      input,
      primary,
    ));
    // The all-clear template's own words agree across languages until the operator replaces some.
    const replaced = input.what !== undefined || input.where !== undefined || input.actions !== undefined;
    content = otherLanguages(ctx, content, content, input.translations, primary, replaced);
  } else {
    if (!input.what && !input.actions && !input.where)
      throw new AppError('validation', 'Say what changed: give what, where or actions.');
    const lastContent = last.content as MessageContent;
    const was = lastContent[primary]!;
    const updated: MessageContent = {
      ...lastContent,
      [primary]: {
        what: input.what ?? was.what,
        where: input.where ?? was.where,
        actions: input.actions ?? was.actions,
      },
    };
    content = otherLanguages(ctx, updated, lastContent, input.translations, primary, true);
  }
  return inTransaction(ctx.db, input.trx, async (trx) => {
    await sql`update alerts set status = 'sending', updated_at = now() where id = ${alertId} and status in ('sending', 'sent')`.execute(
      trx,
    );
    const message = await trx
      .insertInto('alert_messages')
      .values({
        alert_id: alertId,
        sequence: last.sequence + 1,
        message_type: input.type,
        template_id: templateId,
        template_version: version,
        content: JSON.stringify(content),
        created_by: principal.actor.label ?? 'unknown',
      })
      .returning(['id', 'sequence'])
      .executeTakeFirstOrThrow();
    await ctx.queue.enqueue(
      trx,
      alertFanoutJob,
      { messageId: message.id },
      { priority: priorityOf[alert.kind] },
    );
    await writeAudit(trx, {
      actor: principal.actor,
      action: input.type === 'all_clear' ? 'alert.all_clear' : 'alert.update',
      target: { type: 'alert', id: alertId },
      after: { sequence: message.sequence },
      request: input.request,
    });
    return { messageId: message.id, sequence: message.sequence };
  });
}

/**
 * The non-primary languages of a follow-up: the operator's words where written (a field left out
 * keeps that language's earlier words); otherwise, when the primary words changed, the profile's
 * sentence saying the details are in the primary language followed by the primary text.
 */
export function otherLanguages(
  ctx: Pick<AppContext, 'profile'>,
  content: MessageContent,
  earlier: MessageContent,
  translations: Translations | undefined,
  primary: string,
  primaryChanged: boolean,
): MessageContent {
  const main = content[primary]!;
  return Object.fromEntries(
    Object.entries(content).map(([lang, text]) => {
      if (lang === primary) return [lang, text];
      const own = translations?.[lang];
      if (own) {
        const before = earlier[lang] ?? text;
        return [
          lang,
          {
            what: own.what ?? before.what,
            where: own.where ?? before.where,
            actions: own.actions ?? before.actions,
          },
        ];
      }
      if (!primaryChanged) return [lang, text];
      const sentence = ctx.profile.alerts.detailsInPrimaryLanguage[lang] ?? '';
      return [lang, { what: `${sentence} ${main.what}`.trim(), where: main.where, actions: main.actions }];
    }),
  );
}

/** Close an alert: it needs an all-clear message, or a recorded reason for closing without one. */
export async function closeAlert(
  ctx: AppContext,
  principal: Principal,
  alertId: string,
  input: { reason?: string; request: RequestMeta },
): Promise<void> {
  const alert = await ctx.db
    .selectFrom('alerts')
    .select(['kind', 'status'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) throw notFound('Alert');
  // Closing takes its own permission (the profile gives it to those who send) on top of the kind's.
  if (!hasPermission(principal, 'alerts.close'))
    throw new AppError('forbidden', 'Your roles may not close alerts (needs alerts.close).', {
      permission: 'alerts.close',
    });
  requireSendPermission(principal, alert.kind);
  const allClear = await ctx.db
    .selectFrom('alert_messages')
    .select('id')
    .where('alert_id', '=', alertId)
    .where('message_type', '=', 'all_clear')
    .executeTakeFirst();
  const reason = input.reason?.trim();
  if (!allClear && !reason)
    throw new AppError(
      'validation',
      'Send the all-clear first, or give the reason for closing without one.',
      { field: 'reason' },
    );
  await ctx.db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable('alerts')
      .set({
        status: 'closed',
        closed_at: ctx.clock.now(),
        close_reason: reason ?? 'all clear sent',
        updated_at: ctx.clock.now(),
      })
      .where('id', '=', alertId)
      .where('status', '=', 'sent')
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) === 0)
      throw new AppError(
        'invalid_transition',
        `This alert is ${alert.status}; only a sent alert whose messages are all delivered can be closed.`,
      );
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'alert.close',
      target: { type: 'alert', id: alertId },
      after: { reason: reason ?? 'all clear sent' },
      request: input.request,
    });
  });
}
