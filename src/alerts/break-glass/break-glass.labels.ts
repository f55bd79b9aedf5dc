import type { Profile } from '../../platform/profile.js';
import type { AlertKind, DeliveryStatus, MessageType } from '../alerts.tables.js';
import { profileKindOf } from '../send-alert.policy.js';

/** A kind in words, with the profile's description of who it is for. */
export function kindChoice(profile: Profile, kind: AlertKind): { label: string; hint: string } {
  const definition = profile.alerts.kinds[profileKindOf(kind)];
  const label: Record<AlertKind, string> = {
    emergency: definition.title,
    operations: definition.title,
    test: 'Test',
    exercise: 'Exercise (a drill)',
  };
  return { label: label[kind], hint: definition.description };
}

export const channelLabels: Record<string, string> = {
  sms: 'Text message (SMS)',
  voice: 'Voice call',
  email: 'Email',
  public_page: 'Public emergency page',
  signage: 'Digital signage',
  desktop: 'Desktop alerts',
  x: 'X (Twitter)',
  facebook: 'Facebook',
  cap: 'CAP feed (outside alerting systems)',
  webhook: 'Webhooks (connected systems)',
};

export const affiliationLabels: Record<string, string> = {
  student: 'Students',
  employee: 'Employees (faculty and staff)',
  affiliate: 'Affiliates',
  extended: 'The extended community (parents, neighbours)',
};

export const delayReasonLabels: Record<string, string> = {
  assist_victim: 'Sending sooner would have compromised efforts to assist a victim',
  contain: 'Sending sooner would have compromised efforts to contain the emergency',
  respond: 'Sending sooner would have compromised efforts to respond to the emergency',
  mitigate: 'Sending sooner would have compromised efforts to mitigate the emergency',
};

export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  created: 'waiting',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent, no receipt yet',
  delivered: 'delivered',
  temporary_failure: 'failed, will retry',
  permanent_failure: 'failed',
  technical_failure: 'failed (technical)',
  suppressed: 'not sent (opted out or invalid address)',
  cancelled: 'cancelled',
};

export const messageTypeLabels: Record<MessageType, string> = {
  alert: 'Alert',
  update: 'Update',
  all_clear: 'All-clear',
  cancel: 'Cancellation',
  escalation: 'Call to those who did not answer',
};
