import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

const breakers = new WeakMap<AppContext, Map<string, CircuitBreaker>>();

/** The process's circuit breaker for a provider. */
export function breakerFor(ctx: AppContext, provider: string): CircuitBreaker {
  let map = breakers.get(ctx);
  if (!map) {
    map = new Map();
    breakers.set(ctx, map);
  }
  let breaker = map.get(provider);
  if (!breaker) {
    const settings = ctx.profile.alerts.delivery;
    breaker = new CircuitBreaker(
      provider,
      { failureThreshold: settings.circuitFailureThreshold, openMs: settings.circuitOpenSeconds * 1000 },
      () => Date.now(),
    );
    map.set(provider, breaker);
  }
  return breaker;
}

/**
 * Publish a breaker's state when it changed, for the providers screen and the metrics (best
 * effort: a failed write only delays what operators see).
 */
export async function publishBreaker(
  ctx: AppContext,
  breaker: CircuitBreaker,
  before: CircuitState,
): Promise<void> {
  ctx.metrics.providerCircuitOpen.set({ provider: breaker.name }, breaker.state === 'closed' ? 0 : 1);
  if (breaker.state === before) return;
  ctx.log.warn(
    { provider: breaker.name, from: before, to: breaker.state, lastError: breaker.lastError },
    'provider circuit changed',
  );
  await sql`insert into provider_health (provider, circuit, consecutive_failures, last_error, opened_at, updated_at)
    values (${breaker.name}, ${breaker.state}, ${breaker.consecutiveFailures}, ${breaker.lastError},
            ${breaker.openedAt === null ? null : new Date(breaker.openedAt)}, now())
    on conflict (provider) do update set circuit = excluded.circuit, consecutive_failures = excluded.consecutive_failures,
      last_error = excluded.last_error, opened_at = excluded.opened_at, updated_at = now()`
    .execute(ctx.db)
    .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not record provider health'));
}
