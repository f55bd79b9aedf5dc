import { describe, expect, it } from 'vitest';
import { isCurrent, siteStatus, type SiteState } from './public-status.policy.js';

const now = new Date('2026-12-03T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

type Kind = 'emergency' | 'operations' | 'test' | 'exercise';
type State = 'active' | 'all_clear' | 'ended';
const alert = (kind: Kind, state: State, options: { allClearHoursAgo?: number } = {}) => ({
  kind,
  state,
  createdAt: hoursAgo(30),
  allClearAt: state === 'all_clear' ? hoursAgo(options.allClearHoursAgo ?? 1) : null,
});

describe('the public page status', () => {
  const cases: Array<[string, ReturnType<typeof alert>[], SiteState]> = [
    ['nothing ever sent', [], 'normal'],
    ['an emergency in force', [alert('emergency', 'active')], 'emergency'],
    ['an operations disruption in force', [alert('operations', 'active')], 'operations'],
    [
      'an emergency outranks a disruption',
      [alert('operations', 'active'), alert('emergency', 'active')],
      'emergency',
    ],
    ['an all-clear an hour ago', [alert('emergency', 'all_clear')], 'all_clear'],
    [
      'an all-clear past the 24-hour window',
      [alert('emergency', 'all_clear', { allClearHoursAgo: 25 })],
      'normal',
    ],
    [
      'a disruption in force outranks a recent all-clear',
      [alert('emergency', 'all_clear'), alert('operations', 'active')],
      'operations',
    ],
    ['a test in force is a test, never an emergency', [alert('test', 'active')], 'test'],
    ['an exercise in force is a test too', [alert('exercise', 'active')], 'test'],
    ['a drill’s all-clear never says all clear', [alert('test', 'all_clear')], 'normal'],
    [
      'a recent all-clear outranks a test in progress',
      [alert('test', 'active'), alert('emergency', 'all_clear')],
      'all_clear',
    ],
    ['an alert closed without an all-clear is simply over', [alert('emergency', 'ended')], 'normal'],
    ['an exercise’s all-clear is normal operations too', [alert('exercise', 'all_clear')], 'normal'],
  ];
  it.each(cases)('%s', (_name, alerts, expected) => {
    expect(siteStatus(alerts, now, 24).state).toBe(expected);
  });

  it('lists alerts in force loudest first and says when an all-clear stops being shown', () => {
    const test = alert('test', 'active');
    const emergency = alert('emergency', 'active');
    const clear = alert('operations', 'all_clear', { allClearHoursAgo: 20 });
    const status = siteStatus([test, emergency, clear], now, 24);
    expect(status.active).toEqual([emergency, test]);
    expect(status.recentAllClears).toEqual([clear]);
    expect(status.validUntil).toEqual(new Date(now.getTime() + 4 * 3_600_000));
  });

  it('shows what the banner is about first: real alerts in force, recent all-clears, then drills', () => {
    const test = alert('test', 'active');
    const clear = alert('emergency', 'all_clear');
    const disruption = alert('operations', 'active');
    const testOver = alert('test', 'all_clear');
    expect(siteStatus([test, clear, testOver], now, 24)).toMatchObject({
      state: 'all_clear',
      shown: [clear, test],
    });
    expect(siteStatus([test, clear, disruption], now, 24).shown).toEqual([disruption, clear, test]);
    expect(siteStatus([testOver, alert('emergency', 'ended')], now, 24).shown).toEqual([]);
  });
});

describe('alerts current for displays and CAP consumers', () => {
  const message = (hours: number) => ({ sentAt: hoursAgo(hours) });
  it.each([
    ['in force, however old', 'active', 100, null, true],
    ['all-clear an hour ago', 'all_clear', 1, null, true],
    ['all-clear two days ago', 'all_clear', 48, null, false],
    ['closed an hour ago after an old message', 'ended', 48, 1, true],
    ['closed two days ago', 'ended', 50, 48, false],
  ] as const)('%s', (_name, state, messageHours, closedHours, expected) => {
    const closedAt = closedHours === null ? null : hoursAgo(closedHours);
    expect(isCurrent({ state, latest: message(messageHours) as never, closedAt }, now, 24)).toBe(expected);
  });
});
