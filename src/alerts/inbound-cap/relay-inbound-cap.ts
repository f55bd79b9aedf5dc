import { writeAudit } from '../../audit/write-audit.js';
import type { Principal } from '../../identity/principal.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { AlertKind, AudienceSpec, DelayReason } from '../alerts.tables.js';
import { sendFollowUp } from '../follow-up.js';
import { sendAlert } from '../send-alert.js';
import { listTemplates } from '../templates.js';
import { inboundCapConflict, lockForChange } from './inbound-cap-changes.js';
import { canTransition } from './inbound-cap-status.policy.js';
import { moveInboundCap, relayedAlertFor, type InboundCapRow } from './inbound-cap.queries.js';
import { primaryInfo, relayDefaults, relayHazard, type RelayDefaults } from './relay-defaults.policy.js';

/** What the operator may change from the defaults derived from the CAP message. */
export interface RelayOverrides {
  templateId?: string;
  kind?: AlertKind;
  what?: string;
  where?: string;
  actions?: string;
  audience?: AudienceSpec;
  audienceReason?: string;
  channels?: string[];
  announced?: boolean;
  acknowledgementRequested?: boolean;
  escalationMinutes?: number;
  confirmedBy?: string;
  confirmationSource?: string;
  confirmedAt?: Date;
  delayReason?: DelayReason;
  delayDecidedBy?: string;
}

export interface RelayedInboundCap {
  alertId: string;
  messageId: string;
  /** alert: a new Tocsin alert; update or all_clear: a follow-up of the alert the referenced message became. */
  type: 'alert' | 'update' | 'all_clear';
  sequence: number;
}

/** The defaults for a stored message under this profile (also shown before relaying). */
export function defaultsFor(ctx: AppContext, row: InboundCapRow): RelayDefaults {
  return relayDefaults(row.parsed, ctx.profile.alerts.hazards, ctx.profile.alerts.languages[0]!);
}

async function templateFor(ctx: AppContext, hazard: string | null): Promise<string> {
  const template = hazard ? (await listTemplates(ctx.db)).find((t) => t.hazard === hazard) : undefined;
  if (!template)
    throw invalid(
      `No template fits this CAP message${hazard ? ` (hazard ${hazard})` : ''}: give templateId.`,
      { field: 'templateId' },
    );
  return template.id;
}

async function relayAsAlert(
  ctx: AppContext,
  trx: Trx,
  principal: Principal,
  row: InboundCapRow,
  o: RelayOverrides,
  request: RequestMeta,
): Promise<RelayedInboundCap> {
  const defaults = defaultsFor(ctx, row);
  const kind = o.kind ?? defaults.kind;
  if (!kind)
    throw invalid(`A CAP ${row.cap_status} message names no kind of Tocsin alert: give kind.`, {
      field: 'kind',
    });
  const info = primaryInfo(row.parsed, ctx.profile.alerts.languages[0]!);
  const hazard = o.kind ? relayHazard(info, kind, ctx.profile.alerts.hazards) : defaults.hazard;
  const where = o.where ?? defaults.where;
  if (!where) throw invalid('The CAP message names no area: give where.', { field: 'where' });
  const sent = await sendAlert(ctx, principal, {
    templateId: o.templateId ?? (await templateFor(ctx, hazard)),
    kind,
    where,
    what: o.what ?? defaults.what,
    actions: o.actions ?? defaults.actions,
    audience: o.audience ?? { everyone: true },
    audienceReason: o.audienceReason ?? defaults.audienceReason,
    channels: o.channels ?? [...ctx.profile.alerts.channels],
    announced: o.announced,
    acknowledgementRequested: o.acknowledgementRequested,
    escalationMinutes: o.escalationMinutes,
    record: {
      confirmedBy: o.confirmedBy ?? principal.actor.label,
      confirmationSource: o.confirmationSource ?? `CAP: ${row.sender} ${row.identifier}`,
      confirmedAt: o.confirmedAt ?? ctx.clock.now(),
      delayReason: o.delayReason,
      delayDecidedBy: o.delayDecidedBy,
    },
    request,
    trx,
  });
  return { ...sent, type: 'alert', sequence: 0 };
}

async function relayAsFollowUp(
  ctx: AppContext,
  trx: Trx,
  principal: Principal,
  row: InboundCapRow,
  alertId: string,
  o: RelayOverrides,
  request: RequestMeta,
): Promise<RelayedInboundCap> {
  const defaults = defaultsFor(ctx, row);
  const type = row.msg_type === 'Cancel' ? 'all_clear' : 'update';
  const sent = await sendFollowUp(ctx, principal, alertId, {
    type,
    what: o.what ?? defaults.what,
    where: o.where ?? defaults.where,
    actions: o.actions ?? defaults.actions,
    request,
    trx,
  });
  return { alertId, messageId: sent.messageId, sequence: sent.sequence, type };
}

function requireRelayable(ctx: AppContext, row: InboundCapRow): void {
  if (!canTransition(row.status, 'relayed')) throw inboundCapConflict(row, 'relayed');
  if (row.msg_type === 'Ack' || row.msg_type === 'Error')
    throw new AppError(
      'invalid_transition',
      `A CAP ${row.msg_type} message answers other messages and is not an alert; dismiss it.`,
    );
  if (row.expires_at && row.expires_at.getTime() <= ctx.clock.now().getTime())
    throw new AppError(
      'invalid_transition',
      `This CAP message expired at ${row.expires_at.toISOString()}; dismiss it instead of relaying it.`,
    );
}

/**
 * Relay a pending inbound CAP message as a Tocsin alert with one call: defaults from the message
 * (kind, template, what, where, actions, everyone, every channel, the Clery record naming the
 * relaying operator and the CAP message as the source), each overridable. An Update or Cancel whose
 * references name a message already relayed becomes an update or the all-clear of that alert. The
 * message stays locked while the alert is sent, so two operators never relay it twice; the alert
 * (with its fan-out job), the message's status change and the audit rows commit in one
 * transaction, so a crash cannot leave a sent alert whose message could be relayed again.
 */
export async function relayInboundCap(
  ctx: AppContext,
  principal: Principal,
  id: string,
  overrides: RelayOverrides,
  request: RequestMeta,
): Promise<RelayedInboundCap> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, id);
    requireRelayable(ctx, row);
    const followsAlert = ['Update', 'Cancel'].includes(row.msg_type)
      ? await relayedAlertFor(trx, row.campus_id, row.parsed.referencesList)
      : null;
    if (row.msg_type === 'Cancel' && !followsAlert)
      throw new AppError(
        'conflict',
        'This Cancel refers to CAP messages Tocsin never relayed, so there is no alert to give the all-clear; dismiss it.',
      );
    const relayed = followsAlert
      ? await relayAsFollowUp(ctx, trx, principal, row, followsAlert, overrides, request)
      : await relayAsAlert(ctx, trx, principal, row, overrides, request);
    const moved = await moveInboundCap(trx, id, 'relayed', {
      alert_id: relayed.alertId,
      handled_by: principal.actor.label ?? principal.actor.type,
      handled_at: ctx.clock.now(),
    });
    if (!moved) throw inboundCapConflict(row, 'relayed');
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'inbound_cap.relay',
      target: { type: 'inbound_cap', id },
      campusId: row.campus_id,
      before: { status: row.status },
      after: { status: 'relayed', ...relayed },
      request,
    });
    return relayed;
  });
}
