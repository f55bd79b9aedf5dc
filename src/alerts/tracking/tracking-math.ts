import { deliveryStatuses, type DeliveryStatus } from '../alerts.tables.js';
import type { StatusCounts } from './tracking.queries.js';

/** Statuses still in Tocsin's hands; everything else is done (sent means the provider has it). */
export const pendingStatuses: readonly DeliveryStatus[] = [
  'created',
  'queued',
  'sending',
  'temporary_failure',
];

/** Counts by every status, how many there are and how many are done. */
export interface Progress {
  counts: StatusCounts;
  total: number;
  done: number;
  /** done / total, 1 when there is nothing to deliver. */
  doneFraction: number;
  /** Of counts.delivered: stored by the outbox provider, never handed to a network. */
  inOutbox: number;
}

/** Latency percentiles in milliseconds over `count` deliveries. */
export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Every status at zero. */
export function zeroCounts(): StatusCounts {
  return Object.fromEntries(deliveryStatuses.map((s) => [s, 0])) as StatusCounts;
}

/** Totals and the done fraction of a set of counts. */
export function doneOf(counts: StatusCounts, inOutbox = 0): Progress {
  const total = deliveryStatuses.reduce((sum, s) => sum + counts[s], 0);
  const pending = pendingStatuses.reduce((sum, s) => sum + counts[s], 0);
  const done = total - pending;
  return { counts, total, done, doneFraction: total === 0 ? 1 : round(done / total, 4), inOutbox };
}

/** Percentiles from PostgreSQL's percentile_cont array, or null when nothing got that far. */
export function latencyOf(percentiles: number[] | null, max: number | null, count: number): Latency | null {
  if (!percentiles || max === null || count === 0) return null;
  const [p50 = 0, p90 = 0, p99 = 0] = percentiles.map((p) => round(p, 1));
  return { count, p50, p90, p99, max: round(max, 1) };
}

/** Events per second over a span in ms; null when the span is empty. */
export function perSecond(count: number, spanMs: number): number | null {
  if (count === 0) return 0;
  if (spanMs <= 0) return null;
  return round((count * 1000) / spanMs, 1);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
