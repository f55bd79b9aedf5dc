import type { DirectoryDiff } from './sync-diff.js';

export interface SyncCounts {
  rows: number;
  valid: number;
  errors: number;
  adds: number;
  changes: number;
  reactivations: number;
  deactivations: number;
  unchanged: number;
}

/** How many people of each kind a stored diff lists; the counts always cover everyone. */
const diffSampleSize = 500;

/** The reviewable part of a diff: who is added, changed (which fields) and deactivated, first 500 of each. */
export function summariseDiff(diff: DirectoryDiff) {
  return {
    adds: diff.adds.slice(0, diffSampleSize).map((r) => ({
      institutionalId: r.institutionalId,
      displayName: r.displayName,
      affiliation: r.affiliation,
    })),
    changes: diff.changes.slice(0, diffSampleSize).map((c) => ({
      institutionalId: c.record.institutionalId,
      displayName: c.record.displayName,
      fields: c.fields,
    })),
    deactivations: diff.deactivations.slice(0, diffSampleSize).map((p) => ({
      institutionalId: p.institutionalId,
      displayName: p.displayName,
      affiliation: p.affiliation,
    })),
    truncated: Math.max(diff.adds.length, diff.changes.length, diff.deactivations.length) > diffSampleSize,
  };
}
