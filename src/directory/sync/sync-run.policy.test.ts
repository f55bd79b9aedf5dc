import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../directory.tables.js';
import { canTransition, fromStatuses } from './sync-run.policy.js';

describe('the sync run lifecycle', () => {
  it.each<[SyncStatus, SyncStatus, boolean]>([
    ['queued', 'running', true],
    ['running', 'previewed', true],
    ['running', 'applied', true],
    ['running', 'refused', true],
    ['running', 'failed', true],
    ['previewed', 'queued', true],
    ['refused', 'queued', true],
    ['queued', 'applied', false],
    ['previewed', 'applied', false],
    ['applied', 'queued', false],
    ['failed', 'running', false],
    ['refused', 'applied', false],
  ])('moves from %s to %s: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('lists the statuses a run may reach each status from', () => {
    expect(fromStatuses('queued').sort()).toEqual(['previewed', 'refused']);
    expect(fromStatuses('running')).toEqual(['queued']);
    expect(fromStatuses('queued').every((from) => canTransition(from, 'queued'))).toBe(true);
  });
});
