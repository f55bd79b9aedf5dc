import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { noRequest, systemActor } from '../platform/actor.js';
import { generateDemoCampus } from '../directory/demo/generate-demo-campus.js';
import type { TokenPrincipal } from '../identity/principal.js';
import { closeAlert, sendFollowUp } from './follow-up.js';
import { sendAlert } from './send-alert.js';
import { listTemplates } from './templates.js';
import { fullAccessPrincipal } from '../../test/support/principals.js';

let sys: TestSystem;
const sender: TokenPrincipal = fullAccessPrincipal('sender');
beforeAll(async () => {
  sys = await startTestSystem({ work: true, serve: false });
  await generateDemoCampus(sys.ctx, systemActor, { people: 200 });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const status = (id: string) =>
  sys.ctx.db.selectFrom('alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow();
async function sentState(id: string) {
  for (let i = 0; i < 200; i += 1) {
    if ((await status(id)).status === 'sent') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('alert never reached sent');
}

/** A test alert by email to the affiliates, once it is sent. */
async function sentTestToAffiliates(): Promise<string> {
  const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === 'test')!;
  const { alertId } = await sendAlert(sys.ctx, sender, {
    templateId: template.id,
    kind: 'test',
    where: 'Campus',
    audience: { affiliations: ['affiliate'] },
    audienceReason: 'Test',
    channels: ['email'],
    record: {},
    request: noRequest,
  });
  await sentState(alertId);
  return alertId;
}

describe('updates, the all-clear and closing', () => {
  it('sends an update and the all-clear to the same audience, then closes', async () => {
    const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === 'shelter_in_place')!;
    const { alertId } = await sendAlert(sys.ctx, sender, {
      templateId: template.id,
      kind: 'test',
      where: 'Building W20',
      audience: { locationCodes: ['W20'] },
      audienceReason: 'Drill',
      channels: ['sms'],
      record: {},
      request: noRequest,
    });
    await sentState(alertId);
    await expect(closeAlert(sys.ctx, sender, alertId, { request: noRequest })).rejects.toThrow(
      /Send the all-clear first/,
    );
    const update = await sendFollowUp(sys.ctx, sender, alertId, {
      type: 'update',
      actions: 'Stay inside; police are clearing the building.',
      request: noRequest,
    });
    expect(update.sequence).toBe(1);
    await sentState(alertId);
    const allClear = await sendFollowUp(sys.ctx, sender, alertId, { type: 'all_clear', request: noRequest });
    await sentState(alertId);
    const perMessage = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['message_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('alert_id', '=', alertId)
      .groupBy('message_id')
      .execute();
    expect(perMessage).toHaveLength(3);
    expect(new Set(perMessage.map((m) => m.n)).size).toBe(1);
    const outbox = await sys.ctx.db
      .selectFrom('outbox_messages as o')
      .innerJoin('deliveries as d', 'd.id', 'o.delivery_id')
      .select('o.body')
      .where('d.message_id', '=', allClear.messageId)
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(outbox.body).toMatch(/^MIT Alert: TEST - The test is over\. /);
    await closeAlert(sys.ctx, sender, alertId, { request: noRequest });
    expect((await status(alertId)).status).toBe('closed');
    await expect(
      sendFollowUp(sys.ctx, sender, alertId, { type: 'update', what: 'x', request: noRequest }),
    ).rejects.toThrow(/closed/);
  });

  it('closes without an all-clear only with a recorded reason', async () => {
    const alertId = await sentTestToAffiliates();
    await closeAlert(sys.ctx, sender, alertId, {
      reason: 'Routine test; nothing to clear',
      request: noRequest,
    });
    const alert = await sys.ctx.db
      .selectFrom('alerts')
      .select(['status', 'close_reason'])
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(alert).toEqual({ status: 'closed', close_reason: 'Routine test; nothing to clear' });
  });

  it('refuses to close for a caller who may send the kind but lacks alerts.close', async () => {
    const alertId = await sentTestToAffiliates();
    const noClose: TokenPrincipal = {
      ...sender,
      permissions: new Set([...sender.permissions].filter((p) => p !== 'alerts.close')),
    };
    await expect(closeAlert(sys.ctx, noClose, alertId, { reason: 'x', request: noRequest })).rejects.toThrow(
      /alerts\.close/,
    );
    expect((await status(alertId)).status).toBe('sent');
  });

  describe('languages the operator did not write', () => {
    const esTemplateActions = 'Entre ahora, cierre puertas y ventanas';
    /** What the outbox holds per channel for the message's Spanish deliveries. */
    async function spanishOutbox(messageId: string) {
      return sys.ctx.db
        .selectFrom('outbox_messages as o')
        .innerJoin('deliveries as d', 'd.id', 'o.delivery_id')
        .select(['o.channel', 'o.body'])
        .where('d.message_id', '=', messageId)
        .where('d.language', '=', 'es')
        .execute();
    }
    async function sentShelterToEveryone(): Promise<string> {
      await sys.ctx.db
        .updateTable('people')
        .set({ preferred_language: 'es' })
        .where('id', 'in', (eb) => eb.selectFrom('people').select('id').orderBy('id').limit(20))
        .execute();
      const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === 'shelter_in_place')!;
      const { alertId } = await sendAlert(sys.ctx, sender, {
        templateId: template.id,
        kind: 'test',
        where: 'Building W20',
        audience: { everyone: true },
        audienceReason: 'Drill',
        channels: ['sms', 'email'],
        record: {},
        request: noRequest,
      });
      await sentState(alertId);
      return alertId;
    }

    it('an update written in English only says in Spanish that the details are in English, never the template’s Spanish', async () => {
      const alertId = await sentShelterToEveryone();
      const update = await sendFollowUp(sys.ctx, sender, alertId, {
        type: 'update',
        actions: 'Evacuate now by the nearest exit.',
        request: noRequest,
      });
      await sentState(alertId);
      const spanish = await spanishOutbox(update.messageId);
      expect(spanish.length).toBeGreaterThan(0);
      for (const m of spanish) {
        expect(m.body).not.toContain(esTemplateActions);
        expect(m.body).toContain('detalles están en inglés');
        expect(m.body).toContain('Evacuate now by the nearest exit.');
      }
      const stored = await sys.ctx.db
        .selectFrom('alert_messages')
        .select('content')
        .where('id', '=', update.messageId)
        .executeTakeFirstOrThrow();
      expect(stored.content.es!.actions).toBe('Evacuate now by the nearest exit.');
    });

    it('an update written in Spanish too sends the Spanish words', async () => {
      const alertId = await sentShelterToEveryone();
      const update = await sendFollowUp(sys.ctx, sender, alertId, {
        type: 'update',
        actions: 'Evacuate now by the nearest exit.',
        translations: { es: { actions: 'Evacúe ahora por la salida más cercana.' } },
        request: noRequest,
      });
      await sentState(alertId);
      const spanish = await spanishOutbox(update.messageId);
      expect(spanish.length).toBeGreaterThan(0);
      for (const m of spanish) {
        expect(m.body).toContain('Evacúe ahora por la salida más cercana.');
        expect(m.body).not.toContain(esTemplateActions);
        expect(m.body).not.toContain('detalles están en inglés');
      }
    });

    it('an all-clear with English words only does not carry the all-clear template’s Spanish', async () => {
      const alertId = await sentShelterToEveryone();
      const allClear = await sendFollowUp(sys.ctx, sender, alertId, {
        type: 'all_clear',
        actions: 'Resume classes at noon.',
        request: noRequest,
      });
      await sentState(alertId);
      const spanish = await spanishOutbox(allClear.messageId);
      expect(spanish.length).toBeGreaterThan(0);
      for (const m of spanish) {
        expect(m.body).toContain('detalles están en inglés');
        expect(m.body).toContain('Resume classes at noon.');
      }
    });

    it('refuses translations into a language the profile does not declare, naming the field', async () => {
      const alertId = await sentTestToAffiliates();
      await expect(
        sendFollowUp(sys.ctx, sender, alertId, {
          type: 'update',
          actions: 'Stay put.',
          translations: { fr: { actions: 'Restez.' } },
          request: noRequest,
        }),
      ).rejects.toMatchObject({ details: { field: 'translations.fr' } });
    });
  });
});
