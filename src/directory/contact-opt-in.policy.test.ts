import { describe, expect, it } from 'vitest';
import { operatorMayOptIn, optInRefusal } from './contact-opt-in.policy.js';

describe('who may opt a contact back in', () => {
  const at = new Date('2026-01-05T12:00:00Z');
  it.each([
    ['not opted out', null, null, false, /not opted out/],
    ['opted out by an operator', at, 'Wrong number, reported by the owner', true, null],
    ['opted out with no reason recorded', at, null, true, null],
    ['replied STOP', at, 'sms_stop', false, /replying START/],
    ['unsubscribed by link', at, 'unsubscribed by link', false, /registering the address again/],
    ['removed by the registrant', at, 'removed by the registrant', false, /themselves/],
  ] as const)('%s: operator may opt in = %s', (_, optedOutAt, reason, may, refusal) => {
    const contact = { opted_out_at: optedOutAt, opt_out_reason: reason };
    expect(operatorMayOptIn(contact)).toBe(may);
    if (refusal) expect(optInRefusal(contact)).toMatch(refusal);
    else expect(optInRefusal(contact)).toBeNull();
  });
});
