import type { ColumnType, Generated } from 'kysely';
import type { AlertKind } from '../alerts.tables.js';
import type { Recurrence } from './recurrence.js';
import type { NoticeStatus, ScheduleStatus } from './schedules.policy.js';
import type { ScheduledRequest } from './schedules.schema.js';

type Json<T> = ColumnType<T, string, string>;

export type NoticeKind = 'reminder' | 'failure';

/** Who a notice went to and what became of it. */
export interface NoticeRecipient {
  operator: string;
  address: string;
  outcome: 'sent' | 'kept' | 'refused';
  provider: string | null;
  error: string | null;
}

interface AlertSchedulesTable {
  id: Generated<string>;
  campus_id: string;
  kind: Extract<AlertKind, 'test' | 'exercise'>;
  status: Generated<ScheduleStatus>;
  request: Json<ScheduledRequest>;
  fires_at: Date;
  recurrence: ColumnType<Recurrence | null, string | null, string | null>;
  scheduled_by: string;
  scheduled_by_label: string;
  previous_id: string | null;
  fire_queued_at: Date | null;
  alert_id: string | null;
  failure_reason: string | null;
  cancelled_by: string | null;
  finished_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface AlertScheduleNoticesTable {
  id: Generated<string>;
  schedule_id: string;
  kind: NoticeKind;
  minutes_before: number | null;
  due_at: Date;
  status: Generated<NoticeStatus>;
  queued_at: Date | null;
  subject: string | null;
  body: string | null;
  recipients: ColumnType<NoticeRecipient[] | null, string | undefined, string>;
  finished_at: Date | null;
  created_at: Generated<Date>;
}

export interface AlertScheduleTables {
  alert_schedules: AlertSchedulesTable;
  alert_schedule_notices: AlertScheduleNoticesTable;
}
