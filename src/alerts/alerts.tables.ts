import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

export const alertKinds = ['emergency', 'operations', 'test', 'exercise'] as const;
export type AlertKind = (typeof alertKinds)[number];
export const alertStatuses = ['draft', 'sending', 'sent', 'closed'] as const;
export type AlertStatus = (typeof alertStatuses)[number];
export const delayReasons = ['assist_victim', 'contain', 'respond', 'mitigate'] as const;
export type DelayReason = (typeof delayReasons)[number];
// 'escalation': the calls to people who did not acknowledge, carrying the alert's latest content.
export type MessageType = 'alert' | 'update' | 'all_clear' | 'cancel' | 'escalation';
export const deliveryStatuses = [
  'created',
  'queued',
  'sending',
  'sent',
  'delivered',
  'temporary_failure',
  'permanent_failure',
  'technical_failure',
  'suppressed',
  'cancelled',
] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
/** Every channel a delivery can go out on (the deliveries.channel check). */
export const deliveryChannels = [
  'sms',
  'voice',
  'email',
  // Office numbers called by voice, and the campus's paging servers (profile alerts.pagingServers).
  'office_phones',
  'public_page',
  'signage',
  'desktop',
  'x',
  'facebook',
  'cap',
  'webhook',
] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

/** Who an alert goes to. Empty lists mean "not by this dimension"; `everyone` overrides them. */
export interface AudienceSpec {
  everyone?: boolean;
  affiliations?: Array<'student' | 'employee' | 'affiliate' | 'extended'>;
  groupIds?: string[];
  locationCodes?: string[];
}

/** The text of one message, per language. */
export type MessageContent = Record<string, { what: string; where: string; actions: string }>;

interface AlertTemplatesTable {
  id: Generated<string>;
  hazard: string;
  name: string;
  current_version: Generated<number>;
  archived_at: Date | null;
  created_at: Generated<Date>;
}

interface AlertTemplateVersionsTable {
  template_id: string;
  version: number;
  language: string;
  what: string;
  where_text: string;
  actions: string;
  cap: Json<Record<string, string>>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface AlertsTable {
  id: Generated<string>;
  campus_id: string;
  kind: AlertKind;
  status: AlertStatus;
  hazard: string;
  template_id: string;
  template_version: number;
  audience: Json<AudienceSpec>;
  audience_reason: string;
  channels: string[];
  confirmed_by: string | null;
  confirmation_source: string | null;
  confirmed_at: Date | null;
  initiated_at: Date | null;
  delay_reason: DelayReason | null;
  delay_decided_by: string | null;
  created_by: string;
  sent_by: string | null;
  closed_at: Date | null;
  close_reason: string | null;
  acknowledgement_requested: Generated<boolean>;
  escalation_minutes: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface AlertMessagesTable {
  id: Generated<string>;
  alert_id: string;
  sequence: number;
  message_type: MessageType;
  template_id: string;
  template_version: number;
  content: Json<MessageContent>;
  created_by: string;
  created_at: Generated<Date>;
  fanned_out_at: Date | null;
}

interface DeliveriesTable {
  id: Generated<string>;
  alert_id: string;
  message_id: string;
  person_id: string | null;
  channel: string;
  address: string;
  language: string;
  template_version: number;
  priority: number;
  status: DeliveryStatus;
  suppression_reason: string | null;
  provider: string | null;
  provider_message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  sending_at: Date | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  sender: string | null;
  error_code: string | null;
  /** 0: the message's fan-out; n: the n-th re-send to the people it had not reached (migration 0018). */
  resend_round: Generated<number>;
  /** The worker that claimed it (migration 0019): when that worker stops beating, another takes over. */
  claimed_by: string | null;
}

/** One click of "re-send to the unreached": its id is the client's, so a repeated click re-sends once. */
interface DeliveryResendsTable {
  id: string;
  alert_id: string;
  message_id: string;
  round: number;
  requested_by: string;
  people: number;
  deliveries: number;
  created_at: Generated<Date>;
}

export interface AcknowledgementsTable {
  alert_id: string;
  person_id: string;
  response: 'safe' | 'need_help';
  channel: 'sms' | 'email' | 'voice' | 'web';
  delivery_id: string | null;
  responded_at: Generated<Date>;
}

interface ProviderHealthTable {
  provider: string;
  circuit: 'closed' | 'open' | 'half_open';
  consecutive_failures: Generated<number>;
  last_error: string | null;
  opened_at: Date | null;
  updated_at: Generated<Date>;
}

/** What a provider has done, summed over every worker (see migration 0014). */
interface ProviderActivityTable {
  provider: string;
  successes: ColumnType<string, string | number | undefined, never>;
  failures: ColumnType<string, string | number | undefined, never>;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_failure: string | null;
  since: Generated<Date>;
  updated_at: Generated<Date>;
}

interface OutboxMessagesTable {
  id: Generated<string>;
  delivery_id: string;
  channel: string;
  address: string;
  subject: string | null;
  body: string;
  created_at: Generated<Date>;
}

interface EmergencyTestsTable {
  id: Generated<string>;
  campus_id: string;
  alert_id: string | null;
  description: string;
  tested_at: Date;
  announced: boolean;
  publicised: Generated<boolean>;
  recorded_by: string;
  created_at: Generated<Date>;
}

export interface AlertTables {
  alert_templates: AlertTemplatesTable;
  alert_template_versions: AlertTemplateVersionsTable;
  alerts: AlertsTable;
  alert_messages: AlertMessagesTable;
  deliveries: DeliveriesTable;
  delivery_resends: DeliveryResendsTable;
  outbox_messages: OutboxMessagesTable;
  emergency_tests: EmergencyTestsTable;
  acknowledgements: AcknowledgementsTable;
  provider_health: ProviderHealthTable;
  provider_activity: ProviderActivityTable;
}
