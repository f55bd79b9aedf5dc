import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../platform/config.js';
import { loadProfile } from '../app/profile.js';
import { emergencyRecordProblems, maySend } from './send-alert.policy.js';
import { canTransitionAlert, deliveryFrom, terminalDeliveryStatuses } from './alert-lifecycle.policy.js';

const mit = loadProfile(path.join(packageRoot, 'profiles', 'mit.yaml'));
const confirmedAt = new Date('2026-11-21T15:00:00Z');
const at = (minutes: number) => new Date(confirmedAt.getTime() + minutes * 60_000);
const record = { confirmedBy: 'Sgt. Rivera', confirmationSource: 'officer on scene', confirmedAt };

describe('who may send', () => {
  it.each([
    [['emergency_management'], 'emergency', true],
    [['police_dispatcher'], 'emergency', true],
    [['police_dispatcher'], 'exercise', true],
    [['administrator'], 'emergency', false],
    [['viewer'], 'test', false],
    [['police_chief'], 'operations', false],
    [[], 'emergency', false],
  ] as const)('roles %j sending %s: %s', (roles, kind, allowed) => {
    expect(maySend(mit, roles, kind)).toBe(allowed);
  });
});

describe('the emergency-notification record', () => {
  it.each([
    ['on time', record, 14, []],
    ['exactly at the threshold', record, 15, []],
    ['late without a reason', record, 16, ['delayReason', 'delayDecidedBy']],
    [
      'late with a reason and decider',
      { ...record, delayReason: 'contain', delayDecidedBy: 'Chief DiFava' },
      40,
      [],
    ],
    [
      'late with a reason not on the list',
      { ...record, delayReason: 'lunch', delayDecidedBy: 'X' },
      40,
      ['delayReason'],
    ],
    ['missing confirmation', {}, 0, ['confirmedBy', 'confirmationSource', 'confirmedAt']],
  ] as const)('%s', (_name, r, minutes, fields) => {
    expect(emergencyRecordProblems('emergency', r, at(minutes), mit).map((p) => p.field)).toEqual(fields);
  });

  it('asks nothing of tests and operations alerts', () => {
    expect(emergencyRecordProblems('test', {}, at(100), mit)).toEqual([]);
    expect(emergencyRecordProblems('operations', {}, at(100), mit)).toEqual([]);
  });
});

describe('lifecycles', () => {
  it.each([
    ['draft', 'sending', true],
    ['sending', 'sent', true],
    ['sent', 'sending', true],
    ['sent', 'closed', true],
    ['draft', 'closed', false],
    ['closed', 'sending', false],
  ] as const)('alert %s → %s: %s', (from, to, ok) => {
    expect(canTransitionAlert(from, to)).toBe(ok);
  });

  it('ignores a late "sent" receipt for a delivered message', () => {
    expect(deliveryFrom('sent')).not.toContain('delivered');
    expect(terminalDeliveryStatuses.sort()).toEqual([
      'cancelled',
      'delivered',
      'permanent_failure',
      'suppressed',
      'technical_failure',
    ]);
  });
});
