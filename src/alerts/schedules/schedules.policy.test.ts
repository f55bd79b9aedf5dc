import { describe, expect, it } from 'vitest';
import { failureText, reminderText, type NoticeContext } from './notice-text.js';
import { instantOf, nextOccurrence, wallTimeOf } from './recurrence.js';
import {
  canTransition,
  firesAtProblem,
  isSchedulable,
  offsetInWords,
  offsetMinutes,
  remindersFor,
} from './schedules.policy.js';

const ny = 'America/New_York';

describe('the schedule lifecycle', () => {
  it.each([
    ['scheduled', 'sent', true],
    ['scheduled', 'cancelled', true],
    ['scheduled', 'failed', true],
    ['sent', 'cancelled', false],
    ['cancelled', 'sent', false],
    ['failed', 'sent', false],
    ['sent', 'scheduled', false],
  ] as const)('%s → %s is %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('schedules tests and exercises, never emergencies or operations alerts', () => {
    expect(isSchedulable('test')).toBe(true);
    expect(isSchedulable('exercise')).toBe(true);
    expect(isSchedulable('emergency')).toBe(false);
    expect(isSchedulable('operations')).toBe(false);
  });

  it('wants a time at least a minute ahead and not years away', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    expect(firesAtProblem(new Date('2026-12-07T12:00:30Z'), now)).toMatch(/at least 60 seconds/);
    expect(firesAtProblem(new Date('2026-12-07T12:05:00Z'), now)).toBeNull();
    expect(firesAtProblem(new Date('2036-12-07T12:00:00Z'), now)).toMatch(/days ahead/);
  });
});

describe('reminders', () => {
  it.each([
    ['7d', 10_080],
    ['1d', 1440],
    ['1h', 60],
    ['30m', 30],
    ['2w', 20_160],
    ['0h', null],
    ['1y', null],
    ['h', null],
  ] as const)('reads %s as %s minutes', (offset, minutes) => {
    expect(offsetMinutes(offset)).toBe(minutes);
  });

  it('falls due at each offset before the send, leaving out those already past', () => {
    const firesAt = new Date('2026-12-10T15:00:00Z');
    const now = new Date('2026-12-07T12:00:00Z');
    expect(remindersFor(['7d', '1d', '1h', '1h'], firesAt, now)).toEqual([
      { minutesBefore: 1440, dueAt: new Date('2026-12-09T15:00:00Z') },
      { minutesBefore: 60, dueAt: new Date('2026-12-10T14:00:00Z') },
    ]);
  });

  it('says offsets in words', () => {
    expect([10_080, 1440, 60, 90].map(offsetInWords)).toEqual(['7 days', '1 day', '1 hour', '90 minutes']);
  });
});

describe('the recurrence, in the institution’s time zone', () => {
  it('keeps the wall-clock time across daylight saving (10:00 EST, then 10:00 EDT)', () => {
    const first = new Date('2026-03-01T15:00:00Z'); // 10:00 EST
    const next = nextOccurrence({ everyMonths: 1, dayOfMonth: 1, time: '10:00' }, first, first, ny);
    expect(next.toISOString()).toBe('2026-04-01T14:00:00.000Z'); // 10:00 EDT
    const back = nextOccurrence({ everyMonths: 6, dayOfMonth: 1, time: '10:00' }, next, next, ny);
    expect(back.toISOString()).toBe('2026-10-01T14:00:00.000Z');
    const winter = nextOccurrence({ everyMonths: 12, dayOfMonth: 15, time: '10:00' }, first, first, ny);
    expect(winter.toISOString()).toBe('2027-03-15T14:00:00.000Z'); // after the March change
  });

  it('moves a time the clocks skip forward by the gap, and takes the first of a time that happens twice', () => {
    expect(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, ny).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
    );
    expect(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, ny).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, the first 01:30
    );
  });

  it('uses the month’s last day when the month is shorter, and skips occurrences already past', () => {
    const jan31 = instantOf({ year: 2027, month: 1, day: 31, hour: 9, minute: 0 }, ny);
    const feb = nextOccurrence({ everyMonths: 1, dayOfMonth: 31, time: '09:00' }, jan31, jan31, ny);
    expect(wallTimeOf(feb, ny)).toEqual({ year: 2027, month: 2, day: 28, hour: 9, minute: 0 });
    const late = nextOccurrence(
      { everyMonths: 1, dayOfMonth: 31, time: '09:00' },
      jan31,
      new Date('2027-05-02T00:00:00Z'),
      ny,
    );
    expect(wallTimeOf(late, ny)).toEqual({ year: 2027, month: 5, day: 31, hour: 9, minute: 0 });
  });
});

describe('the reminder and failure emails', () => {
  const context = (problem: string | null, failure: string | null = null): NoticeContext => ({
    schedule: {
      kind: 'test',
      fires_at: new Date('2027-03-10T14:00:00Z'),
      scheduled_by_label: 'em1',
      failure_reason: failure,
      recurrence: { everyMonths: 12, dayOfMonth: 10, time: '10:00' },
      request: {
        where: 'Building W20',
        audienceReason: 'Annual test',
        channels: ['sms', 'email'],
        announced: false,
      },
    } as NoticeContext['schedule'],
    templateName: 'Shelter in place',
    timeZone: ny,
    consoleUrl: 'https://tocsin.example.edu/console/schedules',
    schedulerProblem: problem,
  });

  it('says what goes out, when in the institution’s time, and how to cancel', () => {
    const { subject, text } = reminderText(context(null), 1440);
    expect(subject).toBe(
      'Reminder: scheduled test alert in 1 day (Wednesday, March 10, 2027 at 9:00 AM EST)',
    );
    expect(text).toContain('"Shelter in place" — Building W20');
    expect(text).toContain('Announced: no (unannounced test)');
    expect(text).toContain('https://tocsin.example.edu/console/schedules');
    expect(text).not.toContain('WARNING');
  });

  it('warns when the operator who scheduled it could not send it now', () => {
    const { text } = reminderText(context('em1, who scheduled it, has been deactivated'), 60);
    expect(text).toContain(
      'WARNING: as things stand this test will NOT be sent: em1, who scheduled it, has been deactivated.',
    );
  });

  it('says a failed send was not sent, why, and that the series stops', () => {
    const { subject, text } = failureText(context(null, 'the send was refused: Template not found'));
    expect(subject).toBe('Scheduled test alert NOT sent: the send was refused: Template not found');
    expect(text).toContain('Its recurrence stops here');
  });
});
