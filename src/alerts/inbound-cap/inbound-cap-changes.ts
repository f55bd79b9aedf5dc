import type { Trx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { lockInboundCap, type InboundCapRow } from './inbound-cap.queries.js';
import { canTransition } from './inbound-cap-status.policy.js';
import type { InboundCapStatus } from './inbound-cap.tables.js';

const lockNotAvailable = '55P03';

/**
 * Lock an inbound message for a change by an operator. Someone else changing it at this moment is
 * a conflict at once, not a wait.
 */
export async function lockForChange(trx: Trx, id: string): Promise<InboundCapRow> {
  let row: InboundCapRow | undefined;
  try {
    row = await lockInboundCap(trx, id);
  } catch (error) {
    if ((error as { code?: unknown }).code !== lockNotAvailable) throw error;
    throw new AppError('conflict', 'Another operator is relaying or dismissing this CAP message right now.');
  }
  if (!row) throw notFound('Inbound CAP message');
  return row;
}

/** Why a message in its status cannot move to `to`, in words an operator can act on. */
export function inboundCapConflict(row: InboundCapRow, to: InboundCapStatus): AppError {
  const said: Record<InboundCapStatus, string> = {
    pending: 'is still pending',
    relayed: `was already relayed (alert ${row.alert_id}) by ${row.handled_by}`,
    dismissed: `was dismissed by ${row.handled_by}: ${row.dismiss_reason}`,
    expired: 'has expired',
  };
  const verb = to === 'relayed' ? 'relay' : to === 'dismissed' ? 'dismiss' : `mark ${to}`;
  return new AppError(
    canTransition(row.status, to) ? 'conflict' : 'invalid_transition',
    `This CAP message ${said[row.status]}; there is nothing to ${verb}.`,
    { status: row.status, alertId: row.alert_id },
  );
}
