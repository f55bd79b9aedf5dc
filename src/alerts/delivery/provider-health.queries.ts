import type { Queryable } from '../../platform/db/database.js';

/** Every provider's last recorded circuit (one row per provider the breakers ever moved). */
export function listProviderHealth(q: Queryable) {
  return q.selectFrom('provider_health').selectAll().orderBy('provider').execute();
}

/** Every provider's outcome counts (one row per provider that ever sent). */
export function listProviderActivity(q: Queryable) {
  return q.selectFrom('provider_activity').selectAll().execute();
}
