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
