import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeToken } from '../../test/support/operators.js';
import { fullAccessPrincipal } from '../../test/support/principals.js';
import { noRequest } from '../platform/actor.js';
import type { AlertKind } from './alerts.tables.js';
import { sendFollowUp } from './follow-up.js';
import { alertContentFor, loadMessage } from './message-content.js';
import { previewAllClear } from './preview-all-clear.js';
import { maxSmsSegments, renderSms } from './rendering/sms.js';
import { sendAlert } from './send-alert.js';
import { listTemplates } from './templates.js';

let sys: TestSystem;
const sender = fullAccessPrincipal('all-clear tests');
beforeAll(async () => {
  sys = await startTestSystem({ serve: true, work: false });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

async function sendOne(kind: AlertKind, hazard: string): Promise<string> {
  const template = (await listTemplates(sys.ctx.db)).find((t) => t.hazard === hazard)!;
  const { alertId } = await sendAlert(sys.ctx, sender, {
    templateId: template.id,
    kind,
    where: 'Building W20 (Student Center)',
    audience: { everyone: true },
    audienceReason: 'all-clear wording test',
    channels: ['sms', 'email', 'public_page'],
    record:
      kind === 'emergency'
        ? {
            confirmedBy: 'Sgt. Test',
            confirmationSource: 'officer on scene',
            confirmedAt: sys.ctx.clock.now(),
          }
        : {},
    request: noRequest,
  });
  return alertId;
}

/** The SMS of the all-clear as sent, in each language it was written in. */
async function sentAllClearSms(alertId: string) {
  const { messageId } = await sendFollowUp(sys.ctx, sender, alertId, {
    type: 'all_clear',
    request: noRequest,
  });
  const message = await loadMessage(sys.ctx.db, messageId);
  return Object.keys(message.content).map((lang) => ({
    lang,
    ...renderSms(alertContentFor(sys.ctx, message, lang)),
  }));
}

const allClearCount = (text: string) => (text.match(/all clear/giu) ?? []).length;

describe('the all-clear’s words', () => {
  it.each([
    ['test', 'test', 'MIT Alert: TEST - The test is over.', 'MIT Alert: PRUEBA - La prueba ha terminado.'],
    [
      'exercise',
      'test',
      'MIT Alert: EXERCISE - The exercise is over.',
      'MIT Alert: SIMULACRO - El simulacro ha terminado.',
    ],
    [
      'emergency',
      'shelter_in_place',
      'MIT Alert: ALL CLEAR - The emergency is over.',
      'MIT Alert: FIN DE LA ALERTA - La emergencia ha terminado.',
    ],
  ] as const)(
    'a %s’s all-clear says so once, keeps the STOP notice, in English and Spanish, as previewed',
    async (kind, hazard, english, spanish) => {
      const alertId = await sendOne(kind, hazard);
      const preview = await previewAllClear(sys.ctx, sender, alertId, {});
      const rendered = await sentAllClearSms(alertId);
      for (const one of rendered) expect(one.encoding.segments).toBeLessThanOrEqual(maxSmsSegments);
      const sms = Object.fromEntries(rendered.map((one) => [one.lang, one.text]));
      expect(sms.en!.startsWith(english), sms.en).toBe(true);
      expect(sms.es!.startsWith(spanish), sms.es).toBe(true);
      expect(sms.en).toMatch(/Reply STOP to opt out\.$/);
      expect(sms.es).toMatch(/Responda STOP para darse de baja\.$/);
      expect(allClearCount(sms.en!)).toBe(kind === 'emergency' ? 1 : 0);
      if (kind !== 'emergency') {
        expect(sms.en).not.toMatch(/emergency is over/iu);
        expect(sms.es).not.toMatch(/emergencia ha terminado/iu);
      }
      expect(Object.fromEntries(preview.languages.map((l) => [l.language, l.sms.text]))).toEqual(sms);
    },
  );

  it('lets the operator’s words replace the drill’s in the primary language', async () => {
    const alertId = await sendOne('test', 'test');
    const preview = await previewAllClear(sys.ctx, sender, alertId, {
      actions: 'Thank you for taking part.',
    });
    const english = preview.languages.find((l) => l.primary)!;
    expect(english.what).toBe('The test is over.');
    expect(english.actions).toBe('Thank you for taking part.');
    expect(english.sms.segments).toBeLessThanOrEqual(maxSmsSegments);
    // Spanish as the send words it: the operator wrote no Spanish, so it says the details are in English.
    const spanish = preview.languages.find((l) => l.language === 'es')!;
    expect(spanish.what).toBe(`${sys.ctx.profile.alerts.detailsInPrimaryLanguage.es} The test is over.`);
    expect(spanish.actions).toBe('Thank you for taking part.');
    const written = await previewAllClear(sys.ctx, sender, alertId, {
      actions: 'Thank you for taking part.',
      translations: { es: { actions: 'Gracias por participar.' } },
    });
    expect(written.languages.find((l) => l.language === 'es')).toMatchObject({
      what: 'La prueba ha terminado.',
      actions: 'Gracias por participar.',
    });
  });

  it('previews over HTTP for a caller who may send the kind, and refuses one who may not', async () => {
    const alertId = await sendOne('test', 'test');
    const url = `/api/v1/alerts/${alertId}/all-clear/preview`;
    const sender = await makeToken(sys.ctx, ['alerts.read', 'alerts.send.test']);
    const reader = await makeToken(sys.ctx, ['alerts.read']);
    const ok = await sys.app!.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${sender}` },
      payload: {},
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().languages[0]).toMatchObject({ language: 'en', what: 'The test is over.' });
    expect(ok.json().cap.xml).toContain('<headline>MIT Alert: TEST - The test is over.</headline>');
    const refused = await sys.app!.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${reader}` },
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
  });
});
