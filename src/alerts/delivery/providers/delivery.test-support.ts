import { sql } from 'kysely';
import type { TestSystem } from '../../../../test/support/system.js';
import { generateDemoCampus } from '../../../directory/demo/generate-demo-campus.js';
import type { TokenPrincipal } from '../../../identity/principal.js';
import { noRequest, systemActor } from '../../../platform/actor.js';
import { fanOutMessage } from '../../fan-out.js';
import { sendAlert } from '../../send-alert.js';
import { listTemplates } from '../../templates.js';
import type { DeliveryChannel, OutgoingMessage } from '../provider.js';
import { fullAccessPrincipal } from '../../../../test/support/principals.js';

const sender: TokenPrincipal = fullAccessPrincipal('provider tests');

/**
 * A test alert to a small demo campus, fanned out but not dispatched: its deliveries of `channel`
 * are left in `sending`, as a worker that claimed them would leave them, and returned as a batch.
 */
export async function claimedDeliveries(
  sys: TestSystem,
  channel: DeliveryChannel,
  people = 12,
): Promise<{ alertId: string; messageId: string; batch: OutgoingMessage[] }> {
  const existing = await sys.ctx.db.selectFrom('people').select('id').limit(1).execute();
  if (existing.length === 0) await generateDemoCampus(sys.ctx, systemActor, { people });
  const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === 'shelter_in_place')!;
  const { alertId, messageId } = await sendAlert(sys.ctx, sender, {
    templateId: template.id,
    kind: 'test',
    where: 'Building W20',
    audience: { everyone: true },
    audienceReason: 'Provider test',
    channels: [channel],
    record: {},
    request: noRequest,
  });
  await fanOutMessage(sys.ctx, messageId, 10, async () => {});
  const rows = await sql<{ id: string; address: string; language: string; person_id: string | null }>`
    update deliveries set status = 'sending', sending_at = now(), attempts = 1
    where message_id = ${messageId} and channel = ${channel} and status = 'queued'
    returning id, address, language, person_id`.execute(sys.ctx.db);
  const batch = rows.rows.map((d) => ({
    deliveryId: d.id,
    alertId,
    messageId,
    channel,
    address: d.address,
    language: d.language,
    personId: d.person_id,
    attempt: 1,
    acknowledgeUrl: null,
    unsubscribeUrl: null,
  }));
  return { alertId, messageId, batch };
}

/** The status, error code and error of each delivery of a message, by id. */
export async function deliveryStates(sys: TestSystem, messageId: string) {
  const rows = await sys.ctx.db
    .selectFrom('deliveries')
    .select([
      'id',
      'status',
      'error_code',
      'last_error',
      'delivered_at',
      'next_attempt_at',
      'provider_message_id',
    ])
    .where('message_id', '=', messageId)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
