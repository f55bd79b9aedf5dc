import { writeAudit } from '../../audit/write-audit.js';
import { defaultCampusId } from '../../directory/sync/sync.queries.js';
import type { Principal, SessionPrincipal } from '../../identity/principal.js';
import type { AlertKind } from '../alerts.tables.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { resolveAudience } from '../audience.js';
import { acknowledgementProblems } from '../replies/acknowledgement.policy.js';
import { requireSendPermission } from '../send-alert.js';
import { hazardKindProblem, unknownChannels } from '../send-options.js';
import { loadTemplateVersion } from '../templates.js';
import { wallTimeOf, type Recurrence } from './recurrence.js';
import { firesAtProblem, isSchedulable, remindersFor, type SchedulableKind } from './schedules.policy.js';
import { insertSchedule } from './schedules.queries.js';
import type { ScheduleBody } from './schedules.schema.js';

/**
 * Schedule a test or exercise alert: the same checks as sending it now (who may send the kind,
 * template and kind, channels, acknowledgements, audience), then the schedule, its reminders and
 * its audit row in one transaction. Only an operator may schedule: the send goes out in their name
 * and their permission is checked again when it fires.
 */
export async function scheduleAlert(
  ctx: AppContext,
  principal: Principal,
  body: ScheduleBody,
  request: RequestMeta,
): Promise<{ id: string }> {
  const { send } = body;
  requireSchedulable(principal, send.kind);
  const kind = send.kind as SchedulableKind;
  const now = ctx.clock.now();
  const firesAt = new Date(body.firesAt);
  const timing = firesAtProblem(firesAt, now);
  if (timing) throw new AppError('validation', timing, { field: 'firesAt' });
  await checkSendRequest(ctx, body.send);
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  const recurrence = recurrenceOf(body.recurrence, firesAt, ctx.profile.institution.timezone);
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertSchedule(trx, {
      campusId,
      kind,
      request: send,
      firesAt,
      recurrence,
      scheduledBy: principal.operatorId,
      scheduledByLabel: principal.username,
      previousId: null,
      reminders: remindersFor(ctx.profile.alerts.schedules.reminderOffsets, firesAt, now),
    });
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'alert_schedule.create',
      target: { type: 'alert_schedule', id },
      campusId,
      after: { kind: send.kind, firesAt: firesAt.toISOString(), recurrence, send },
      request,
    });
    return { id };
  });
}

/** Refuse a kind that is not a test or exercise, a caller who may not send it, and an API token. */
function requireSchedulable(principal: Principal, kind: AlertKind): asserts principal is SessionPrincipal {
  if (!isSchedulable(kind))
    throw new AppError(
      'validation',
      `Only test and exercise alerts can be scheduled; an ${kind} alert is sent by a person when it happens (POST /api/v1/alerts).`,
      { field: 'send.kind' },
    );
  requireSendPermission(principal, kind);
  if (principal.kind !== 'session')
    throw new AppError(
      'forbidden',
      'Schedules are made by an operator signed in to the console: the alert goes out in their name when it fires, after their permission is checked again. An API token cannot stand for them.',
    );
}

/** The recurrence, its day and time defaulting to firesAt's in the institution's time zone. */
function recurrenceOf(asked: ScheduleBody['recurrence'], firesAt: Date, timeZone: string): Recurrence | null {
  if (!asked) return null;
  const wall = wallTimeOf(firesAt, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    everyMonths: asked.everyMonths,
    dayOfMonth: asked.dayOfMonth ?? wall.day,
    time: asked.time ?? `${pad(wall.hour)}:${pad(wall.minute)}`,
  };
}

/** The checks sendAlert makes before writing, made now so a schedule that cannot send is refused. */
async function checkSendRequest(ctx: AppContext, send: ScheduleBody['send']): Promise<void> {
  const template = await loadTemplateVersion(ctx.db, send.templateId);
  const kindProblem = hazardKindProblem(ctx.profile, template, send.kind);
  if (kindProblem) throw new AppError('validation', kindProblem, { field: 'send.kind' });
  const unknown = unknownChannels(ctx.profile, send.channels);
  if (unknown.length > 0)
    throw new AppError('validation', `Unknown channel(s): ${unknown.join(', ')}.`, {
      field: 'send.channels',
    });
  const ack = acknowledgementProblems(send);
  if (ack.length > 0)
    throw new AppError(
      'validation',
      `Acknowledgements: ${ack.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
      ack,
    );
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  await resolveAudience(ctx.db, campusId, send.audience);
}
