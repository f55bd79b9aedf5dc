import { writeAudit } from '../../audit/write-audit.js';
import { peopleNames } from '../../directory/people-names.queries.js';
import { hasPermission, type Principal } from '../../identity/principal.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { addressStateOf } from './alert-reach.policy.js';
import { channelReach, reachMessage, reachTotals, unreachedPage } from './alert-reach.queries.js';
import type { AlertReach, UnreachedPerson } from './alert-reach.schema.js';
import { maskedAddress, withAddressesMasked } from './masked-address.js';

/** Which message and which page of its unreached people. */
export interface ReachQuery {
  messageId?: string;
  after?: string;
  limit: number;
  request: RequestMeta;
}

/**
 * Who a message of an alert has reached and who not. The list of unreached people (names and
 * masked addresses) is a sensitive read: only for holders of directory.read, and audited.
 */
export async function readAlertReach(
  ctx: AppContext,
  principal: Principal,
  alertId: string,
  query: ReachQuery,
): Promise<AlertReach> {
  const message = await reachMessage(ctx.db, alertId, query.messageId);
  const [totals, channels] = await Promise.all([
    reachTotals(ctx.db, message),
    channelReach(ctx.db, message, ctx.profile.alerts.channels),
  ]);
  const base = { alertId, message: { id: message.id, sequence: message.sequence, type: message.type } };
  if (!hasPermission(principal, 'directory.read')) return { ...base, totals, channels, unreached: null };
  const page = await unreachedPage(ctx.db, message, { after: query.after, limit: query.limit + 1 });
  const shown = page.slice(0, query.limit);
  const names = await peopleNames(
    ctx.db,
    shown.map((p) => p.personId),
  );
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, {
      actor: principal.actor,
      action: 'alert.reach.read',
      target: { type: 'alert', id: alertId },
      metadata: { messageId: message.id, listed: shown.length, after: query.after ?? null },
      request: query.request,
    }),
  );
  const people: UnreachedPerson[] = shown.map((p) => ({
    personId: p.personId,
    name: names.get(p.personId) ?? null,
    addresses: p.addresses.map((a) => ({
      channel: a.channel,
      address: maskedAddress(a.channel, a.address),
      status: a.status,
      state: addressStateOf(a.status, a.inOutbox),
      reason: a.reason === null ? null : withAddressesMasked(a.reason),
      willResend: a.resend,
    })),
  }));
  const nextAfter = page.length > query.limit ? shown[shown.length - 1]!.personId : null;
  return { ...base, totals, channels, unreached: { people, nextAfter } };
}
