import { offsetInWords } from './schedules.policy.js';
import type { ScheduleRow } from './schedules.queries.js';

/** A moment in the institution's time zone, in words: "Tuesday, October 13, 2026 at 10:00 AM EDT". */
export function localTimeInWords(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  })
    .format(instant)
    .concat(' ', zoneName(instant, timeZone));
}

function zoneName(instant: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

export interface NoticeContext {
  schedule: ScheduleRow;
  templateName: string;
  timeZone: string;
  consoleUrl: string;
  /** Why the operator who scheduled it could not send it now, if that is so. */
  schedulerProblem: string | null;
}

function summary(c: NoticeContext): string[] {
  const r = c.schedule.request;
  return [
    `What: ${c.schedule.kind === 'test' ? 'Test' : 'Exercise'} alert "${c.templateName}" — ${r.where}`,
    `When: ${localTimeInWords(c.schedule.fires_at, c.timeZone)}`,
    `Audience: ${r.audienceReason}`,
    `Channels: ${r.channels.join(', ')}`,
    `Announced: ${r.announced === false ? 'no (unannounced test)' : 'yes'}`,
    `Scheduled by: ${c.schedule.scheduled_by_label}`,
  ];
}

/** A reminder before a scheduled send: what goes out, when, and how to cancel it. */
export function reminderText(c: NoticeContext, minutesBefore: number): { subject: string; text: string } {
  const kind = c.schedule.kind === 'test' ? 'test' : 'exercise';
  const warning = c.schedulerProblem
    ? [
        '',
        `WARNING: as things stand this ${kind} will NOT be sent: ${c.schedulerProblem}.`,
        'Cancel it and schedule it again as an operator who may send tests.',
      ]
    : [];
  return {
    subject: `Reminder: scheduled ${kind} alert in ${offsetInWords(minutesBefore)} (${localTimeInWords(c.schedule.fires_at, c.timeZone)})`,
    text: [
      `A scheduled ${kind} alert will be sent in ${offsetInWords(minutesBefore)}, with nobody at the keyboard.`,
      '',
      ...summary(c),
      ...warning,
      '',
      `To review or cancel it: ${c.consoleUrl}`,
    ].join('\n'),
  };
}

/** The notice that a scheduled send failed: why, and that nothing was sent. */
export function failureText(c: NoticeContext): { subject: string; text: string } {
  const kind = c.schedule.kind === 'test' ? 'test' : 'exercise';
  return {
    subject: `Scheduled ${kind} alert NOT sent: ${c.schedule.failure_reason ?? 'it failed'}`,
    text: [
      `The ${kind} alert scheduled for ${localTimeInWords(c.schedule.fires_at, c.timeZone)} was not sent.`,
      `Reason: ${c.schedule.failure_reason ?? 'unknown'}.`,
      ...(c.schedule.recurrence ? ['Its recurrence stops here: no later occurrence was scheduled.'] : []),
      'The emergency-response test register has no entry for it. Send the test by hand or schedule it again.',
      '',
      ...summary(c),
      '',
      `Schedules: ${c.consoleUrl}`,
    ].join('\n'),
  };
}
