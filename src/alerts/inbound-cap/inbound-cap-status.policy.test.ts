import { describe, expect, it } from 'vitest';
import { canTransition, statusesBefore } from './inbound-cap-status.policy.js';

describe('inbound CAP status transitions', () => {
  it.each([
    ['pending', 'relayed', true],
    ['pending', 'dismissed', true],
    ['pending', 'expired', true],
    ['relayed', 'dismissed', false],
    ['relayed', 'relayed', false],
    ['dismissed', 'relayed', false],
    ['expired', 'relayed', false],
    ['expired', 'dismissed', false],
  ] as const)('%s → %s: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
  it('moves only pending messages', () => {
    expect(statusesBefore('relayed')).toEqual(['pending']);
  });
});
