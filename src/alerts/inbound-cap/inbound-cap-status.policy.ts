import type { InboundCapStatus } from './inbound-cap.tables.js';

/**
 * Where an inbound CAP message may go next. Only a pending message moves: an operator relays or
 * dismisses it, or its expiry passes. Relayed, dismissed and expired are final.
 */
const inboundCapTransitions: Record<InboundCapStatus, readonly InboundCapStatus[]> = {
  pending: ['relayed', 'dismissed', 'expired'],
  relayed: [],
  dismissed: [],
  expired: [],
};

/** True when a message in `from` may move to `to`. */
export function canTransition(from: InboundCapStatus, to: InboundCapStatus): boolean {
  return inboundCapTransitions[from].includes(to);
}

/** The statuses a message may move to `to` from: the `from` set of a compare-and-set update. */
export function statusesBefore(to: InboundCapStatus): InboundCapStatus[] {
  return (Object.keys(inboundCapTransitions) as InboundCapStatus[]).filter((from) => canTransition(from, to));
}
