import type { AlertKind } from '../alerts.tables.js';

/** The lifecycle of a scheduled send: scheduled → sent | cancelled | failed. */
export const scheduleStatuses = ['scheduled', 'sent', 'cancelled', 'failed'] as const;
export type ScheduleStatus = (typeof scheduleStatuses)[number];
/** A notice (reminder or failure email): pending → queued → sent | kept | refused, or skipped. */
export const noticeStatuses = ['pending', 'queued', 'sent', 'kept', 'refused', 'skipped'] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

/** The lifecycle: a schedule is sent, cancelled or failed once, and never leaves those states. */
const transitions: Record<ScheduleStatus, readonly ScheduleStatus[]> = {
  scheduled: ['sent', 'cancelled', 'failed'],
  sent: [],
  cancelled: [],
  failed: [],
};

/** True when a schedule may move from one status to the other. */
export function canTransition(from: ScheduleStatus, to: ScheduleStatus): boolean {
  return transitions[from].includes(to);
}

/** The statuses a schedule may move to `to` from (for compare-and-set updates). */
export function statusesBefore(to: ScheduleStatus): ScheduleStatus[] {
  return (Object.keys(transitions) as ScheduleStatus[]).filter((from) => canTransition(from, to));
}

/** The kinds that may be scheduled: a test or an exercise. An emergency is sent by a person, now. */
const schedulableKinds = ['test', 'exercise'] as const;
export type SchedulableKind = (typeof schedulableKinds)[number];

export function isSchedulable(kind: AlertKind): kind is SchedulableKind {
  return (schedulableKinds as readonly string[]).includes(kind);
}

/** How far ahead a send may be scheduled: beyond this a date is more likely a typo than a plan. */
const maxDaysAhead = 3 * 366;
/** A schedule must fire at least this far after it is made (a send for "now" is POST /api/v1/alerts). */
const minSecondsAhead = 60;

/** Why a schedule may not fire at `firesAt` when made at `now`, or null. */
export function firesAtProblem(firesAt: Date, now: Date): string | null {
  const ahead = firesAt.getTime() - now.getTime();
  if (ahead < minSecondsAhead * 1000)
    return `firesAt must be at least ${minSecondsAhead} seconds in the future (it is ${firesAt.toISOString()}, now is ${now.toISOString()}); to send now, use POST /api/v1/alerts.`;
  if (ahead > maxDaysAhead * 86_400_000)
    return `firesAt is more than ${maxDaysAhead} days ahead (${firesAt.toISOString()}); schedule a recurring test instead, or check the year.`;
  return null;
}

const units: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10_080 };

/** Minutes in an offset written "7d", "1d", "1h", "30m" or "2w"; null when it is not one. */
export function offsetMinutes(offset: string): number | null {
  const match = /^(\d{1,4})([mhdw])$/.exec(offset);
  if (!match) return null;
  const minutes = Number(match[1]) * units[match[2]!]!;
  return minutes > 0 ? minutes : null;
}

/**
 * The reminders a schedule firing at `firesAt` gets, made at `now`: one per offset, at `firesAt`
 * minus the offset, leaving out those already past (a reminder is never sent late).
 */
export function remindersFor(
  offsets: readonly string[],
  firesAt: Date,
  now: Date,
): Array<{ minutesBefore: number; dueAt: Date }> {
  const minutes = [...new Set(offsets.map(offsetMinutes).filter((m): m is number => m !== null))];
  return minutes
    .map((m) => ({ minutesBefore: m, dueAt: new Date(firesAt.getTime() - m * 60_000) }))
    .filter((r) => r.dueAt.getTime() > now.getTime())
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** An offset in words: 10080 → "7 days", 60 → "1 hour". */
export function offsetInWords(minutes: number): string {
  const [size, unit] =
    minutes % 1440 === 0
      ? [minutes / 1440, 'day']
      : minutes % 60 === 0
        ? [minutes / 60, 'hour']
        : [minutes, 'minute'];
  return `${size} ${unit}${size === 1 ? '' : 's'}`;
}
