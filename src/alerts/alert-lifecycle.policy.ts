import type { AlertStatus, DeliveryStatus } from './alerts.tables.js';

/**
 * The alert lifecycle: draft → sending → sent → (an update or all-clear sends again) → closed.
 * Writes are compare-and-set on these lists.
 */
const alertTransitions: Record<AlertStatus, AlertStatus[]> = {
  draft: ['sending'],
  sending: ['sent'],
  sent: ['sending', 'closed'],
  closed: [],
};

/** True when an alert may move from one status to another. */
export function canTransitionAlert(from: AlertStatus, to: AlertStatus): boolean {
  return alertTransitions[from].includes(to);
}

/** Statuses an alert may move to `to` from. */
export function alertFrom(to: AlertStatus): AlertStatus[] {
  return (Object.keys(alertTransitions) as AlertStatus[]).filter((from) =>
    alertTransitions[from].includes(to),
  );
}

/** Delivery statuses: only these moves happen; late or duplicate receipts are ignored. */
const deliveryTransitions: Record<DeliveryStatus, DeliveryStatus[]> = {
  created: ['queued', 'suppressed', 'cancelled'],
  queued: ['sending', 'cancelled'],
  sending: ['sent', 'delivered', 'temporary_failure', 'permanent_failure', 'technical_failure', 'queued'],
  sent: ['delivered', 'permanent_failure', 'temporary_failure'],
  temporary_failure: ['sending', 'technical_failure', 'cancelled'],
  delivered: [],
  permanent_failure: [],
  technical_failure: [],
  suppressed: [],
  cancelled: [],
};

/** Delivery statuses that may move to `to`. */
export function deliveryFrom(to: DeliveryStatus): DeliveryStatus[] {
  return (Object.keys(deliveryTransitions) as DeliveryStatus[]).filter((from) =>
    deliveryTransitions[from].includes(to),
  );
}

/** Statuses after which nothing more happens to a delivery. */
export const terminalDeliveryStatuses = (Object.keys(deliveryTransitions) as DeliveryStatus[]).filter(
  (s) => deliveryTransitions[s].length === 0,
);
