/**
 * How the console writes times and counts, in one place: every time with its date and the campus's
 * time zone (the profile's institution.timezone, set once the console's settings load), every count
 * with its noun in the right number.
 */

let campusTimeZone: string | undefined;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone every time is shown in (the profile's); unknown zones fall back to the browser's. */
export function setCampusTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    campusTimeZone = timeZone;
  } catch {
    campusTimeZone = undefined;
  }
  formats.clear();
}

function formatFor(seconds: boolean): Intl.DateTimeFormat {
  const key = `${campusTimeZone ?? ''}:${seconds}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: campusTimeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(key, format);
  }
  return format;
}

/**
 * A server time (ISO 8601) as "Mon 7 Dec 2026, 14:03 EST" in the campus's zone ("14:03:07" with
 * seconds); "—" for none, the text itself when it is not a time.
 */
export function formatTime(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of formatFor(options.seconds ?? false).formatToParts(date)) part[p.type] = p.value;
  const time = [part.hour, part.minute, part.second].filter(Boolean).join(':');
  return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${time} ${part.timeZoneName}`;
}

const numbers = new Intl.NumberFormat('en-US');

/** "1 alert", "2 alerts", "1,250 people": a count with thousands separators and its noun in the right number. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${numbers.format(count)} ${count === 1 ? one : many}`;
}
