import type { AppContext } from '../../platform/context.js';
import { alertTracking } from './alert-tracking.js';
import { StreamLimiter } from './stream-limiter.js';
import { TrackingHub } from './tracking-hub.js';

const streamsPerCaller = 10;
const streamsPerProcess = 1000;

const hubs = new WeakMap<AppContext, TrackingHub>();
const limiters = new WeakMap<AppContext, StreamLimiter>();

/** The process's tracking hub (one per running system), created on first use. */
export function trackingHubFor(ctx: AppContext): TrackingHub {
  let hub = hubs.get(ctx);
  if (!hub || hub.isClosed) {
    hub = new TrackingHub(
      (alertId) => alertTracking(ctx.db, alertId, ctx.profile.alerts.channels),
      ctx.log.child({ component: 'tracking' }),
    );
    hubs.set(ctx, hub);
  }
  return hub;
}

/** The process's limit on open tracking streams. */
export function trackingStreamLimiterFor(ctx: AppContext): StreamLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) {
    limiter = new StreamLimiter(streamsPerCaller, streamsPerProcess);
    limiters.set(ctx, limiter);
  }
  return limiter;
}
