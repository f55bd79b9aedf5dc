import type { Db } from '../../platform/db/database.js';
import { alertTracking, type AlertTracking } from './alert-tracking.js';

/** How long alertTracking takes on an alert, over several runs (for the benchmark). */
export interface TrackingSample {
  samples: number;
  medianMs: number;
  maxMs: number;
  tracking: AlertTracking;
}

/**
 * Run alertTracking `samples` times (after one warm-up) and time each run: the cost every shared
 * poller pays per second for one alert while it sends.
 */
export async function sampleTracking(
  q: Db,
  alertId: string,
  options: { samples?: number } = {},
): Promise<TrackingSample> {
  const samples = Math.max(1, options.samples ?? 10);
  let tracking = await alertTracking(q, alertId);
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = performance.now();
    tracking = await alertTracking(q, alertId);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    samples,
    medianMs: round(times[Math.floor(times.length / 2)]!),
    maxMs: round(times[times.length - 1]!),
    tracking,
  };
}
