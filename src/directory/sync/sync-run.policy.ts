import type { SyncStatus } from '../directory.tables.js';

/** Allowed moves of a sync run; every write is a compare-and-set on the current status. */
const syncTransitions: Record<SyncStatus, SyncStatus[]> = {
  queued: ['running'],
  running: ['previewed', 'applied', 'refused', 'failed'],
  previewed: ['queued'],
  applied: [],
  refused: ['queued'],
  failed: [],
};

/** The statuses a run may move to `to` from. */
export function fromStatuses(to: SyncStatus): SyncStatus[] {
  return (Object.keys(syncTransitions) as SyncStatus[]).filter((from) => syncTransitions[from].includes(to));
}

/** True when a run can move from one status to another. */
export function canTransition(from: SyncStatus, to: SyncStatus): boolean {
  return syncTransitions[from].includes(to);
}
