import { noRequest } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { markTestAlertSent } from '../alerts/alert-sent.test-support.js';
import { closeAlert, sendFollowUp } from '../alerts/follow-up.js';
import { sendAlert, type Translations } from '../alerts/send-alert.js';
import { listTemplates } from '../alerts/templates.js';
import type { AlertKind } from '../alerts/alerts.tables.js';
import { fullAccessPrincipal } from '../../test/support/principals.js';

const publicTestSender = fullAccessPrincipal('public site tests');

/** Send an alert from a hazard template with a complete Clery record; returns its id. */
export async function sendTestAlert(
  ctx: AppContext,
  options: {
    hazard: string;
    kind: AlertKind;
    where: string;
    channels?: string[];
    what?: string;
    translations?: Translations;
  },
): Promise<string> {
  const template = (await listTemplates(ctx.db)).find((t) => t.hazard === options.hazard);
  if (!template) throw new Error(`no template for ${options.hazard}`);
  const { alertId } = await sendAlert(ctx, publicTestSender, {
    templateId: template.id,
    kind: options.kind,
    where: options.where,
    ...(options.what ? { what: options.what } : {}),
    ...(options.translations ? { translations: options.translations } : {}),
    audience: { everyone: true },
    audienceReason: 'public site test',
    channels: options.channels ?? ['public_page', 'signage', 'cap'],
    record:
      options.kind === 'emergency'
        ? { confirmedBy: 'Sgt. Test', confirmationSource: 'officer on scene', confirmedAt: ctx.clock.now() }
        : {},
    request: noRequest,
  });
  return alertId;
}

/** An update with new actions. */
export async function updateTestAlert(ctx: AppContext, alertId: string, actions: string): Promise<void> {
  await sendFollowUp(ctx, publicTestSender, alertId, { type: 'update', actions, request: noRequest });
}

/** The all-clear. */
export async function allClearTestAlert(ctx: AppContext, alertId: string): Promise<void> {
  await sendFollowUp(ctx, publicTestSender, alertId, { type: 'all_clear', request: noRequest });
}

/** Mark the alert sent (as the sweeper would once deliveries end) and close it. */
export async function closeTestAlert(ctx: AppContext, alertId: string, reason?: string): Promise<void> {
  await markTestAlertSent(ctx.db, alertId);
  await closeAlert(ctx, publicTestSender, alertId, { ...(reason ? { reason } : {}), request: noRequest });
}
