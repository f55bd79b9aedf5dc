import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { sendAlert } from '../send-alert.js';
import { listTemplates } from '../templates.js';
import type { TokenPrincipal } from '../../identity/principal.js';
import { noRequest } from '../../platform/actor.js';
import { codeIn, keptMessage, postRegistration } from './registration.test-support.js';
import { fullAccessPrincipal } from '../../../test/support/principals.js';

let sys: TestSystem;
const sender: TokenPrincipal = fullAccessPrincipal('sender');
beforeAll(async () => {
  sys = await startTestSystem({ work: true });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

async function deliveriesTo(alertId: string, address: string, settled: (n: number) => boolean) {
  for (let i = 0; i < 150; i += 1) {
    const rows = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['status', 'channel', 'language'])
      .where('alert_id', '=', alertId)
      .where('address', '=', address)
      .execute();
    if (settled(rows.length)) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`deliveries to ${address} never settled`);
}

describe('alerts to the extended community', () => {
  it('reach a verified registrant and never an address still waiting for its link', async () => {
    const registration = await postRegistration(sys.app!, {
      name: 'Sam Neighbour',
      phone: '+1 617 555 0177',
      email: 'waiting@example.org',
      language: 'es',
      consent: true,
    });
    expect(registration.statusCode).toBe(202);
    const { registrationId } = registration.json();
    const sms = await keptMessage(sys.ctx.db, registrationId, 'sms');
    const verified = await sys.app!.inject({
      method: 'POST',
      url: `/api/v1/registrations/${registrationId}/verify-sms`,
      payload: { code: codeIn(sms.body) },
    });
    expect(verified.statusCode).toBe(200);

    const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === 'shelter_in_place')!;
    const { alertId } = await sendAlert(sys.ctx, sender, {
      templateId: template.id,
      kind: 'test',
      where: 'Building W20',
      audience: { affiliations: ['extended'] },
      audienceReason: 'Test of the extended community',
      channels: ['sms', 'email'],
      record: {},
      request: noRequest,
    });
    const toPhone = await deliveriesTo(alertId, '+16175550177', (n) => n > 0);
    expect(toPhone).toEqual([expect.objectContaining({ channel: 'sms', language: 'es' })]);
    expect(toPhone[0]!.status).not.toBe('suppressed');
    const fannedOut = await sys.ctx.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('alert_id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(Number(fannedOut.n)).toBeGreaterThan(0);
    expect(await deliveriesTo(alertId, 'waiting@example.org', () => true)).toEqual([]);
  });
});
