import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

const breakers = new WeakMap<AppContext, Map<string, CircuitBreaker>>();

/** The process's circuit breaker for a provider; every transition is published. */
export function breakerFor(ctx: AppContext, provider: string): CircuitBreaker {
  let map = breakers.get(ctx);
  if (!map) {
    map = new Map();
    breakers.set(ctx, map);
  }
  let breaker = map.get(provider);
  if (!breaker) {
    const settings = ctx.profile.alerts.delivery;
    const created = new CircuitBreaker(
      provider,
      { failureThreshold: settings.circuitFailureThreshold, openMs: settings.circuitOpenSeconds * 1000 },
      () => Date.now(),
    );
    // Writes in order, so the row ends with the last transition even when two come close together.
    let writing: Promise<void> = Promise.resolve();
    created.onChange = (from, to) => {
      writing = writing.then(() => publishTransition(ctx, created, from, to));
    };
    const tally = activityTally(ctx, provider);
    created.onOutcome = (ok, error) => tally.add(ok, error);
    breaker = created;
    map.set(provider, breaker);
  }
  return breaker;
}

/**
 * Publish a breaker's transition: log, metric, and the provider_health row operators see (best
 * effort: a failed write only delays what they see).
 */
async function publishTransition(
  ctx: AppContext,
  breaker: CircuitBreaker,
  from: CircuitState,
  to: CircuitState,
): Promise<void> {
  ctx.metrics.providerCircuitOpen.set({ provider: breaker.name }, to === 'closed' ? 0 : 1);
  ctx.log.warn(
    { provider: breaker.name, from, to, lastError: breaker.lastError },
    'provider circuit changed',
  );
  await sql`insert into provider_health (provider, circuit, consecutive_failures, last_error, opened_at, updated_at)
    values (${breaker.name}, ${to}, ${breaker.consecutiveFailures}, ${breaker.lastError},
            ${breaker.openedAt === null ? null : new Date(breaker.openedAt)}, now())
    on conflict (provider) do update set circuit = excluded.circuit, consecutive_failures = excluded.consecutive_failures,
      last_error = excluded.last_error, opened_at = excluded.opened_at, updated_at = now()`
    .execute(ctx.db)
    .then(() => undefined)
    .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not record provider health'));
}

/**
 * A provider's error without the addresses in it: an SMTP server's "550 <jane@mit.edu>: no such
 * user" names a person, and provider_activity keeps no personal data.
 */
function withoutAddresses(text: string): string {
  return text
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[a-z]{2,}/gi, '[address]')
    .replace(/\+\d{8,15}\b/g, '[number]')
    .replace(/\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g, '[number]');
}

/** How often a worker adds its counts to provider_activity while it sends. */
const activityFlushMs = 5_000;

interface Tally {
  successes: number;
  failures: number;
  /** The first outcome counted since the last write: the row's `since` when this write creates it. */
  firstAt: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastFailure: string | null;
  timer: NodeJS.Timeout | null;
  add(ok: boolean, error?: string): void;
}

const tallies = new WeakMap<AppContext, Map<string, Tally>>();

/** A tally's counts as they start, and start again after each write. */
const noCounts = (): Omit<Tally, 'timer' | 'add'> => ({
  successes: 0,
  failures: 0,
  firstAt: null,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastFailure: null,
});

/** The process's running count of a provider's outcomes, written within activityFlushMs. */
function activityTally(ctx: AppContext, provider: string): Tally {
  let map = tallies.get(ctx);
  if (!map) {
    map = new Map();
    tallies.set(ctx, map);
  }
  const tally: Tally = {
    ...noCounts(),
    timer: null,
    add(ok, error) {
      const now = ctx.clock.now();
      this.firstAt ??= now;
      if (ok) {
        this.successes += 1;
        this.lastSuccessAt = now;
      } else {
        this.failures += 1;
        this.lastFailureAt = now;
        this.lastFailure = error ?? this.lastFailure;
      }
      // Unref'd: a pending write never keeps a stopping process alive (it loses at most 5 s of counts).
      this.timer ??= setTimeout(() => void writeTally(ctx, provider, this), activityFlushMs).unref();
    },
  };
  map.set(provider, tally);
  return tally;
}

/** Add a tally's counts to the provider's row and start it again (best effort, like the circuit row). */
async function writeTally(ctx: AppContext, provider: string, tally: Tally): Promise<void> {
  if (tally.timer) clearTimeout(tally.timer);
  tally.timer = null;
  const { successes, failures, firstAt, lastSuccessAt, lastFailureAt, lastFailure } = tally;
  if (successes === 0 && failures === 0) return;
  Object.assign(tally, noCounts());
  await sql`insert into provider_activity (provider, successes, failures, since, last_success_at, last_failure_at, last_failure)
    values (${provider}, ${successes}, ${failures}, ${firstAt}, ${lastSuccessAt}, ${lastFailureAt}, ${lastFailure === null ? null : withoutAddresses(lastFailure).slice(0, 2000)})
    on conflict (provider) do update set
      successes = provider_activity.successes + excluded.successes,
      failures = provider_activity.failures + excluded.failures,
      last_success_at = greatest(provider_activity.last_success_at, excluded.last_success_at),
      last_failure = case when excluded.last_failure_at >= coalesce(provider_activity.last_failure_at, '-infinity')
                          then excluded.last_failure else provider_activity.last_failure end,
      last_failure_at = greatest(provider_activity.last_failure_at, excluded.last_failure_at),
      updated_at = now()`
    .execute(ctx.db)
    .then(() => undefined)
    .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not record provider activity'));
}

/** Write every provider's pending counts now (tests, and a worker that stops). */
export async function flushProviderActivity(ctx: AppContext): Promise<void> {
  await Promise.all(
    [...(tallies.get(ctx) ?? new Map<string, Tally>())].map(([p, t]) => writeTally(ctx, p, t)),
  );
}
