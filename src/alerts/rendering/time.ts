const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, '0');

/** An instant's date and time of day as a clock on the wall shows them in some time zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of an instant in a time zone (IANA name, e.g. 'America/New_York'). */
export function wallClock(date: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/**
 * The instant as CAP writes it: local time in the zone with an explicit offset and no fraction,
 * e.g. 2026-11-21T10:00:00-05:00. CAP 1.2 forbids 'Z' and writes UTC as -00:00.
 */
export function formatCapTime(date: Date, timeZone: string): string {
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const local = wallClock(whole, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const offsetMinutes = Math.round((asUtc - whole.getTime()) / 60_000);
  const sign = offsetMinutes > 0 ? '+' : '-';
  const offset = `${sign}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
  const day = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
  return `${day}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}${offset}`;
}

/** The instant for people, in the institution's zone and the message's language, with the zone's name. */
export function formatLocalTime(date: Date, timeZone: string, language: string): string {
  const options: Intl.DateTimeFormatOptions = {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(language, options).format(date);
  } catch {
    // An unusable language tag still gets a readable time rather than no message.
    return new Intl.DateTimeFormat('en-US', options).format(date);
  }
}
