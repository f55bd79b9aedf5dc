import { formatTime } from '../common/format';
import type { MessageText } from './alert-types';

/** How each kind of alert is named on screen; tests and exercises say so loudly. */
export const kindWords: Record<string, string> = {
  emergency: 'Emergency',
  operations: 'Operations disruption',
  test: 'TEST',
  exercise: 'EXERCISE',
};

/** Whether an alert is a drill rather than a real one. */
export const isDrill = (kind: string) => kind === 'test' || kind === 'exercise';

export const statusWords: Record<string, string> = {
  draft: 'Draft',
  sending: 'Sending',
  sent: 'Sent',
  closed: 'Closed',
};

export const messageWords: Record<string, string> = {
  alert: 'Alert',
  update: 'Update',
  all_clear: 'All clear',
  cancel: 'Cancelled',
  escalation: 'Escalation calls',
};

export const channelWords: Record<string, string> = {
  sms: 'SMS',
  voice: 'Voice calls',
  email: 'Email',
  office_phones: 'Office phones',
  public_page: 'Emergency page',
  signage: 'Signage',
  desktop: 'Desktop',
  x: 'X',
  facebook: 'Facebook',
  cap: 'CAP feed',
  webhook: 'Webhooks',
};

export const deliveryStatusWords: Record<string, string> = {
  created: 'waiting',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  temporary_failure: 'failed, retrying',
  permanent_failure: 'failed',
  technical_failure: 'failed (technical)',
  suppressed: 'suppressed',
  cancelled: 'cancelled',
};

/** A name from a table of words, else the code itself with underscores as spaces. */
export function wordFor(table: Record<string, string>, code: string): string {
  return table[code] ?? code.replaceAll('_', ' ');
}

/** The permission that sends (and updates) alerts of a kind: exercises are sent as tests. */
export function sendPermissionOf(kind: string): string {
  return `alerts.send.${kind === 'exercise' ? 'test' : kind}`;
}

/** The text to show an English-reading operator: English when the message has it, else its first language. */
export function textOf(content: Record<string, MessageText> | undefined): MessageText | null {
  if (!content) return null;
  return content.en ?? Object.values(content)[0] ?? null;
}

const numbers = new Intl.NumberFormat('en-US');

/** A count with thousands separators. */
export const count = (n: number) => numbers.format(n);

/** A fraction as a whole percentage, never rounding up to 100 before it is done. */
export function percent(fraction: number): number {
  return Math.min(100, Math.floor(fraction * 100 + 1e-9));
}

/** A time with seconds, its date and the campus's zone: "Mon 7 Dec 2026, 14:03:07 EST". */
export const timeOf = (iso: string | null): string => formatTime(iso, { seconds: true });

/** Milliseconds as words a person reads at a glance ("850 ms", "4.2 s", "3 min 5 s"). */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Deliveries per second with one decimal. */
export const rate = (perSecond: number | null) => (perSecond === null ? '—' : `${perSecond.toFixed(1)}/s`);
