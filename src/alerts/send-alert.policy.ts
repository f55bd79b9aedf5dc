import type { Profile } from '../platform/profile.js';
import { delayReasons, type AlertKind, type DelayReason } from './alerts.tables.js';

/** Which profile kind governs who may send: tests and exercises share the "test" rule. */
export function profileKindOf(kind: AlertKind): 'emergency' | 'operations' | 'test' {
  return kind === 'exercise' ? 'test' : kind;
}

/** True when any of the roles may send this kind under the profile. No second approver, ever. */
export function maySend(profile: Profile, roles: readonly string[], kind: AlertKind): boolean {
  const allowed = profile.alerts.kinds[profileKindOf(kind)].sendRoles;
  return roles.some((r) => allowed.includes(r));
}

/**
 * True when initiating at `initiatedAt` waits longer than the profile's threshold after the
 * emergency was confirmed at `confirmedAt`: the record then needs a delay reason and who decided.
 */
export function initiationIsLate(confirmedAt: Date, initiatedAt: Date, profile: Profile): boolean {
  const thresholdMs = profile.alerts.initiationDelayThresholdMinutes * 60_000;
  return initiatedAt.getTime() - confirmedAt.getTime() > thresholdMs;
}

export interface EmergencyRecord {
  confirmedBy?: string | null;
  confirmationSource?: string | null;
  confirmedAt?: Date | null;
  delayReason?: string | null;
  delayDecidedBy?: string | null;
}

/**
 * What is missing or wrong in the Clery emergency-notification record of an alert initiated at
 * `initiatedAt` (34 CFR 668.46(g)): an emergency needs who confirmed it, from what source and when;
 * past the profile's threshold it needs a reason from exactly the allowed list and the deciding
 * person. Returns problems as { field, message }; empty means the record is complete.
 */
export function emergencyRecordProblems(
  kind: AlertKind,
  record: EmergencyRecord,
  initiatedAt: Date,
  profile: Profile,
): Array<{ field: string; message: string }> {
  if (kind !== 'emergency') return [];
  const problems: Array<{ field: string; message: string }> = [];
  if (!record.confirmedBy?.trim())
    problems.push({ field: 'confirmedBy', message: 'say who confirmed the emergency' });
  if (!record.confirmationSource?.trim())
    problems.push({ field: 'confirmationSource', message: 'say how it was confirmed (the source)' });
  if (!record.confirmedAt) problems.push({ field: 'confirmedAt', message: 'say when it was confirmed' });
  if (!record.confirmedAt) return problems;
  if (record.confirmedAt.getTime() > initiatedAt.getTime() + 60_000) {
    problems.push({ field: 'confirmedAt', message: 'the confirmation time is in the future' });
  }
  if (!initiationIsLate(record.confirmedAt, initiatedAt, profile)) return problems;
  const allowed = profile.alerts.delayReasons;
  if (
    !record.delayReason ||
    !(delayReasons as readonly string[]).includes(record.delayReason) ||
    !allowed.includes(record.delayReason as DelayReason)
  ) {
    problems.push({
      field: 'delayReason',
      message: `more than ${profile.alerts.initiationDelayThresholdMinutes} minutes passed since confirmation: give the reason for waiting, one of ${allowed.join(', ')}`,
    });
  }
  if (!record.delayDecidedBy?.trim())
    problems.push({ field: 'delayDecidedBy', message: 'say who decided to wait' });
  return problems;
}
