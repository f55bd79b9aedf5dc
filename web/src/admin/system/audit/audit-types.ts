/** One row of GET /api/v1/audit (src/audit/audit.routes.ts). */
export interface AuditRow {
  seq: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  metadata: unknown;
  hash: string;
}

/** GET /api/v1/audit/verification. */
export type { AuditVerification } from '../../../../../src/audit/verify-audit.types';

/** The filters the audit API takes; empty strings are left out. */
export interface AuditFilter {
  action: string;
  actorId: string;
  targetType: string;
  targetId: string;
  outcome: string;
  /** datetime-local values, in the browser's zone. */
  since: string;
  until: string;
}

export const noFilter: AuditFilter = {
  action: '',
  actorId: '',
  targetType: '',
  targetId: '',
  outcome: '',
  since: '',
  until: '',
};

/** The query string of a filter and page (times as ISO 8601 in UTC). */
export function auditQuery(filter: AuditFilter, limit: number, beforeSeq?: string): string {
  const query = new URLSearchParams({ limit: String(limit) });
  for (const key of ['action', 'actorId', 'targetType', 'targetId', 'outcome'] as const) {
    const value = filter[key].trim();
    if (value) query.set(key, value);
  }
  for (const key of ['since', 'until'] as const) {
    const date = filter[key] ? new Date(filter[key]) : null;
    if (date && !Number.isNaN(date.getTime())) query.set(key, date.toISOString());
  }
  if (beforeSeq) query.set('beforeSeq', beforeSeq);
  return query.toString();
}
