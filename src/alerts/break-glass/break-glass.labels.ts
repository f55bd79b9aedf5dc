import type { Profile } from '../../platform/profile.js';
import type { AlertKind, DeliveryStatus, MessageType } from '../alerts.tables.js';
import { profileKindOf } from '../send-alert.policy.js';
import { channelLabels, delayReasonLabels, kindLabels } from '../send-flow.schema.js';

// The console's words for kinds, channels and delay reasons: one set for both ways of sending.
export { channelLabels, delayReasonLabels, kindLabels };

/** A kind in words, with the profile's description of what it is for. */
export function kindChoice(profile: Profile, kind: AlertKind): { label: string; hint: string } {
  return { label: kindLabels[kind], hint: profile.alerts.kinds[profileKindOf(kind)].description };
}

export const affiliationLabels: Record<string, string> = {
  student: 'Students',
  employee: 'Employees (faculty and staff)',
  affiliate: 'Affiliates',
  extended: 'The extended community (parents, neighbours)',
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
