// The recurrence of a scheduled test: every N months on day D at HH:MM, in the profile's time zone.
// Time zone arithmetic uses Intl (ICU's tz database, built into Node), so the wall-clock time holds
// across daylight-saving changes; only the calendar stepping is written here. RRULE is not
// supported: a campus test calendar needs this one rule, and a library for the rest would bring
// its own time zone model to reconcile with the profile's.

/** Every `everyMonths` months, on `dayOfMonth` (the month's last day when it is shorter), at `time`. */
export interface Recurrence {
  everyMonths: number;
  dayOfMonth: number;
  /** Wall-clock time in the profile's time zone, "HH:MM" (24-hour). */
  time: string;
}

interface WallTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of an instant in a time zone. */
export function wallTimeOf(instant: Date, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
  };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
const sameWallTime = (a: WallTime, b: WallTime) => asUtc(a) === asUtc(b);

/**
 * The instant a wall-clock time happens in a time zone. A time that happens twice (the hour the
 * clocks go back) is its first occurrence; a time that never happens (the hour they go forward) is
 * moved forward by the gap, as RFC 5545 does (02:30 on the spring-forward day becomes 03:30).
 */
export function instantOf(wall: WallTime, timeZone: string): Date {
  const guess = asUtc(wall);
  const offsetAt = (ms: number) => asUtc(wallTimeOf(new Date(ms), timeZone)) - ms;
  const candidates = [
    ...new Set([guess - offsetAt(guess - 86_400_000), guess - offsetAt(guess + 86_400_000)]),
  ]
    .map((ms) => new Date(ms))
    .sort((a, b) => a.getTime() - b.getTime());
  const exact = candidates.find((c) => sameWallTime(wallTimeOf(c, timeZone), wall));
  return exact ?? candidates[candidates.length - 1]!;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The next occurrence after `previous` (the occurrence that just fired): `everyMonths` calendar
 * months after its month, on the rule's day and time; past ones are skipped until after `notBefore`.
 */
export function nextOccurrence(rule: Recurrence, previous: Date, notBefore: Date, timeZone: string): Date {
  const [hour, minute] = rule.time.split(':').map(Number) as [number, number];
  const start = wallTimeOf(previous, timeZone);
  for (let step = 1; ; step += 1) {
    const monthIndex = start.year * 12 + (start.month - 1) + step * rule.everyMonths;
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const day = Math.min(rule.dayOfMonth, daysInMonth(year, month));
    const next = instantOf({ year, month, day, hour, minute }, timeZone);
    if (next.getTime() > notBefore.getTime()) return next;
  }
}
