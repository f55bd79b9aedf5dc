import { describe, expect, it } from 'vitest';
import { deliveryStatuses, type DeliveryStatus } from '../alerts.tables.js';
import { addressStateOf, mayResendTo, type AddressState } from './alert-reach.policy.js';

describe('reach of one address', () => {
  const cases: Array<[DeliveryStatus, AddressState, boolean]> = [
    ['created', 'pending', false],
    ['queued', 'pending', false],
    ['sending', 'pending', false],
    ['temporary_failure', 'pending', false],
    ['sent', 'reached', false],
    ['delivered', 'reached', false],
    ['permanent_failure', 'failed', false],
    ['technical_failure', 'failed', true],
    ['cancelled', 'failed', true],
    ['suppressed', 'suppressed', false],
  ];
  it('covers every delivery status', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual([...deliveryStatuses].sort());
  });
  it.each(cases)('%s is %s; re-sent: %s', (status, state, resend) => {
    expect(addressStateOf(status)).toBe(state);
    expect(mayResendTo(status)).toBe(resend);
  });
  it('calls a delivery the outbox provider stored "outbox", never reached', () => {
    expect(addressStateOf('delivered', true)).toBe('outbox');
  });
});
