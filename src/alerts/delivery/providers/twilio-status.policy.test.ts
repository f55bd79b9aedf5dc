import { describe, expect, it } from 'vitest';
import { twilioReceiptVerdict } from './twilio-status.policy.js';

describe('twilioReceiptVerdict', () => {
  it.each([
    [{ MessageStatus: 'queued' }, null],
    [{ MessageStatus: 'sending' }, null],
    [{ MessageStatus: 'sent' }, 'sent'],
    [{ MessageStatus: 'delivered' }, 'delivered'],
    [{ SmsStatus: 'delivered' }, 'delivered'],
    [{ MessageStatus: 'read' }, 'delivered'],
    [{ MessageStatus: 'undelivered', ErrorCode: '30003' }, 'temporary_failure'],
    [{ MessageStatus: 'undelivered', ErrorCode: '30006' }, 'permanent_failure'],
    [{ MessageStatus: 'failed', ErrorCode: '30008' }, 'temporary_failure'],
    [{ MessageStatus: 'failed', ErrorCode: '21610' }, 'permanent_failure'],
    [{ MessageStatus: 'failed' }, 'temporary_failure'],
    [{ CallStatus: 'initiated' }, null],
    [{ CallStatus: 'ringing' }, null],
    [{ CallStatus: 'in-progress' }, null],
    [{ CallStatus: 'completed' }, 'delivered'],
    [{ CallStatus: 'busy' }, 'temporary_failure'],
    [{ CallStatus: 'no-answer' }, 'temporary_failure'],
    [{ CallStatus: 'failed' }, 'permanent_failure'],
    [{ CallStatus: 'canceled' }, 'permanent_failure'],
  ])('%j → %s', (params, status) => {
    expect(twilioReceiptVerdict(params)?.status ?? null).toBe(status);
  });

  it('keeps the ErrorCode, worded when it is a common one', () => {
    expect(twilioReceiptVerdict({ MessageStatus: 'undelivered', ErrorCode: '30003' })).toEqual({
      status: 'temporary_failure',
      code: '30003',
      error: 'Twilio undelivered 30003: unreachable handset (off or out of coverage)',
    });
    expect(twilioReceiptVerdict({ CallStatus: 'no-answer' })).toMatchObject({ code: 'no-answer' });
  });
});
