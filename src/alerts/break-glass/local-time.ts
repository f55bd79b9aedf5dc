// The form's times are wall-clock times in the institution's zone (what a datetime-local field and
// a person type). Intl gives an instant's wall clock in a zone; the way back is found from it.

import { wallClock } from '../rendering/time.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/** An instant as a datetime-local value in the zone, to the minute: 2026-03-14T09:26. */
export function localInputValue(date: Date, timeZone: string): string {
  const w = wallClock(date, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** True when the text is what a datetime-local field holds (so the field can show it again). */
export function isLocalInputValue(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text);
}

/**
 * The instant of a wall-clock time typed in the zone: `2026-03-14T09:26` (a datetime-local field)
 * or `2026-03-14 9:26` (typed where the browser has no such field), seconds optional. Null when
 * it is not such a time or names a day that does not exist. In the hour a DST change repeats, the
 * earlier instant; in the hour it skips, the time an hour later.
 */
export function parseLocalTime(text: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  if (hour! > 23 || minute! > 59 || second! > 59) return null;
  const guess = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  const check = new Date(guess);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day)
    return null;
  // The zone's offsets half a day either side cover a DST change that day.
  const candidates = [offsetMs(guess - 12 * 3_600_000, timeZone), offsetMs(guess + 12 * 3_600_000, timeZone)]
    .map((offset) => guess - offset)
    .sort((a, b) => a - b);
  const typed = `${pad(year!, 4)}-${pad(month!)}-${pad(day!)}T${pad(hour!)}:${pad(minute!)}`;
  const real = candidates.find((c) => localInputValue(new Date(c), timeZone) === typed);
  return new Date(real ?? guess - offsetMs(guess - 12 * 3_600_000, timeZone));
}
