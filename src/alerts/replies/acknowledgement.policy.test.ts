import { describe, expect, it } from 'vitest';
import { acknowledgementProblems, type AcknowledgementRequest } from './acknowledgement.policy.js';

describe('acknowledgementProblems', () => {
  it.each<[string, AcknowledgementRequest, string[]]>([
    ['no acknowledgements', { channels: ['sms'] }, []],
    ['acknowledgements by SMS', { acknowledgementRequested: true, channels: ['sms'] }, []],
    [
      'acknowledgements by email with escalation',
      { acknowledgementRequested: true, escalationMinutes: 10, channels: ['email'] },
      [],
    ],
    [
      'escalation at the limits',
      { acknowledgementRequested: true, escalationMinutes: 1440, channels: ['sms'] },
      [],
    ],
    [
      'escalation without acknowledgements',
      { escalationMinutes: 10, channels: ['sms'] },
      ['escalationMinutes'],
    ],
    [
      'escalation of 0 minutes',
      { acknowledgementRequested: true, escalationMinutes: 0, channels: ['sms'] },
      ['escalationMinutes'],
    ],
    [
      'escalation past a day',
      { acknowledgementRequested: true, escalationMinutes: 1441, channels: ['sms'] },
      ['escalationMinutes'],
    ],
    [
      'escalation of 2.5 minutes',
      { acknowledgementRequested: true, escalationMinutes: 2.5, channels: ['sms'] },
      ['escalationMinutes'],
    ],
    [
      'acknowledgements with no channel that asks',
      { acknowledgementRequested: true, channels: ['voice', 'x'] },
      ['acknowledgementRequested'],
    ],
  ])('%s', (_, request, fields) => {
    expect(acknowledgementProblems(request).map((p) => p.field)).toEqual(fields);
  });
});
