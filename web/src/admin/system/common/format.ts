const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A server time (ISO 8601) as a person reads it, in the browser's zone; "—" for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** "12 s ago", "3 min ago", "in 4 s": how far a time is from now, for health figures. */
function fromNow(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 2) return 'just now';
  const amount =
    abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** "Dec 4, 2026, 7:24:07 PM (5 s ago)"; `none` when there is no time. */
export function timeFromNow(iso: string | null | undefined, now: number, none = '—'): string {
  return iso ? `${formatTime(iso)} (${fromNow(iso, now)})` : none;
}

/** "1 operator", "2 operators". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
