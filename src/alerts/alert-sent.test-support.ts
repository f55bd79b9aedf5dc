import type { Queryable } from '../platform/db/database.js';

/**
 * Mark an alert sent, as the sweeper does once its deliveries end, without waiting for them: for
 * tests (of this domain or one above it) that need a sent alert, say to close it.
 */
export async function markTestAlertSent(q: Queryable, alertId: string): Promise<void> {
  await q.updateTable('alerts').set({ status: 'sent' }).where('id', '=', alertId).execute();
}
