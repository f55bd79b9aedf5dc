import { formatTime } from '../../../common/format';

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

/** "Mon 7 Dec 2026, 14:03:07 EST (5 s ago)"; `none` when there is no time. */
export function timeFromNow(iso: string | null | undefined, now: number, none = '—'): string {
  return iso ? `${formatTime(iso, { seconds: true })} (${fromNow(iso, now)})` : none;
}
