import { sql } from 'kysely';
import type { SessionPrincipal } from '../../identity/principal.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import type { MessageContent } from '../alerts.tables.js';
import { sendFollowUp, type FollowUp } from '../follow-up.js';
import { composeContent, sendAlert, type SendAlertOptions } from '../send-alert.js';
import { loadTemplateVersion } from '../templates.js';

/**
 * How long the same alert (or update) from the same operator counts as a second press of the
 * same button: a double click, a browser resubmitting after a lost answer, the Back button.
 */
const sameSendWindowSeconds = 300;
// Serialises one operator's sends from the form (two-key advisory locks: their own key space).
const sendLockKey = 7_240_406;

/**
 * Send an alert from the plain form at most once. Why this and not a one-time form token: it needs
 * no state beyond the alerts themselves, and it also catches the form filled in again the same way
 * after an answer that never arrived. Under a lock per operator (so two presses at once wait for
 * each other), an alert this operator sent in the last minutes with the same template, kind,
 * audience, channels and words, still open, is the answer instead of a new one.
 */
export async function sendAlertOnce(
  ctx: AppContext,
  principal: SessionPrincipal,
  options: Omit<SendAlertOptions, 'trx'>,
): Promise<{ alertId: string; duplicate: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sendLockKey}, hashtext(${principal.operatorId}))`.execute(trx);
    const same = await sameAlert(ctx, trx, principal, options);
    if (same) return { alertId: same, duplicate: true };
    const sent = await sendAlert(ctx, principal, { ...options, trx });
    return { alertId: sent.alertId, duplicate: false };
  });
}

async function sameAlert(
  ctx: AppContext,
  trx: Trx,
  principal: SessionPrincipal,
  options: Omit<SendAlertOptions, 'trx'>,
): Promise<string | null> {
  // Outside the transaction: a failed statement inside it would end it.
  const template = await loadTemplateVersion(ctx.db, options.templateId).catch(() => null);
  if (!template) return null;
  const content = composeContent(template, options, ctx.profile.alerts.languages[0]!);
  const since = new Date(ctx.clock.now().getTime() - sameSendWindowSeconds * 1000);
  const channels = [...new Set(options.channels)];
  const row = await trx
    .selectFrom('alerts as a')
    .innerJoin('alert_messages as m', (j) => j.onRef('m.alert_id', '=', 'a.id').on('m.sequence', '=', 0))
    .select('a.id')
    .where('a.sent_by', '=', principal.username)
    .where('a.template_id', '=', options.templateId)
    .where('a.template_version', '=', template.version)
    .where('a.kind', '=', options.kind)
    .where('a.status', 'in', ['sending', 'sent'])
    .where('a.initiated_at', '>', since)
    .where(sql<boolean>`a.audience = ${JSON.stringify(options.audience)}::jsonb`)
    .where(sql<boolean>`a.channels @> ${channels}::text[] and a.channels <@ ${channels}::text[]`)
    .where(sql<boolean>`m.content = ${JSON.stringify(content)}::jsonb`)
    .orderBy('a.initiated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Send an update or the all-clear from the plain form at most once, the same way: under a lock on
 * the alert, a message of the same type by this operator in the last minutes with the same words
 * for every field given is the answer instead of a second one.
 */
export async function sendFollowUpOnce(
  ctx: AppContext,
  principal: SessionPrincipal,
  alertId: string,
  input: Omit<FollowUp, 'trx'>,
): Promise<{ duplicate: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sendLockKey}, hashtext(${alertId}))`.execute(trx);
    if (await sameFollowUp(ctx, trx, principal, alertId, input)) return { duplicate: true };
    await sendFollowUp(ctx, principal, alertId, { ...input, trx });
    return { duplicate: false };
  });
}

async function sameFollowUp(
  ctx: AppContext,
  trx: Trx,
  principal: SessionPrincipal,
  alertId: string,
  input: Omit<FollowUp, 'trx'>,
): Promise<boolean> {
  const last = await trx
    .selectFrom('alert_messages')
    .select(['message_type', 'content', 'created_by'])
    .where('alert_id', '=', alertId)
    .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${sameSendWindowSeconds})`)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last || last.message_type !== input.type || last.created_by !== principal.username) return false;
  const words = (last.content as MessageContent)[ctx.profile.alerts.languages[0]!];
  return (['what', 'where', 'actions'] as const).every(
    (f) => input[f] === undefined || words?.[f] === input[f],
  );
}
