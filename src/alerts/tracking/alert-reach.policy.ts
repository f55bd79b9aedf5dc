import type { DeliveryStatus } from '../alerts.tables.js';

/** A provider took it: the person counts as reached (an acknowledgement counts too). */
export const reachedStatuses = ['sent', 'delivered'] as const satisfies readonly DeliveryStatus[];
/** Still on its way: waiting, in flight, or failed once and waiting for its retry. */
export const pendingStatuses = [
  'created',
  'queued',
  'sending',
  'temporary_failure',
] as const satisfies readonly DeliveryStatus[];
/**
 * Ended without the address being at fault: retries ran out while a provider was failing
 * (technical failure), or Tocsin stopped it (cancelled). A re-send tries these addresses again.
 * A permanent failure (the number or mailbox does not exist) and a suppression (opted out,
 * malformed, unverified) are the address's own answer and are never re-sent.
 */
export const resendableStatuses = [
  'technical_failure',
  'cancelled',
] as const satisfies readonly DeliveryStatus[];

/** What one address of an unreached person is doing now ('outbox': stored by the outbox, sent to no network). */
export type AddressState = 'reached' | 'pending' | 'outbox' | 'failed' | 'suppressed';

/** The state of an address from its latest delivery's status and whether the outbox provider took it. */
export function addressStateOf(status: DeliveryStatus, inOutbox = false): AddressState {
  if (inOutbox) return 'outbox';
  if ((reachedStatuses as readonly string[]).includes(status)) return 'reached';
  if ((pendingStatuses as readonly string[]).includes(status)) return 'pending';
  if (status === 'suppressed') return 'suppressed';
  return 'failed';
}

/** Whether a re-send to the unreached tries this address again (see resendableStatuses). */
export function mayResendTo(status: DeliveryStatus): boolean {
  return (resendableStatuses as readonly string[]).includes(status);
}
