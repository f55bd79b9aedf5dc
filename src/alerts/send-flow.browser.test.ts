import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import {
  consoleContext,
  consoleReflowProblems as reflowProblems,
  signInAgainInDialog,
  signInToConsole,
  startConsoleBrowser,
} from '../../test/support/console.js';
import { makeOperator, signedInAs, type TestOperator } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';

const artefacts = 'test-artifacts/console/send';
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts, work: true, demoPeople: 300 }));
}, 120_000);
afterAll(() => close?.());

const alertPath = /\/console\/alerts\/([0-9a-f-]{36})$/;

/** The alert as the database holds it, with its test-register row. */
async function storedAlert(id: string) {
  const alert = await sys.ctx.db
    .selectFrom('alerts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const test = await sys.ctx.db
    .selectFrom('emergency_tests')
    .selectAll()
    .where('alert_id', '=', id)
    .executeTakeFirst();
  return { alert, test };
}

/** Wait until the workers have fanned the alert out to deliveries. */
async function deliveriesOf(id: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < 100 && n === 0; i += 1) {
    const row = await sys.ctx.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('alert_id', '=', id)
      .executeTakeFirstOrThrow();
    n = Number(row.n);
    if (n === 0) await new Promise((r) => setTimeout(r, 100));
  }
  return n;
}

async function expectStoredTestForW20(id: string, op: TestOperator) {
  const { alert, test } = await storedAlert(id);
  expect(alert).toMatchObject({
    kind: 'test',
    hazard: 'shelter_in_place',
    audience: { locationCodes: ['W20'] },
    confirmed_by: `Operator ${op.username}`,
    confirmation_source: 'Scheduled test',
    delay_reason: null,
  });
  expect(alert.audience_reason).toContain('W20');
  expect(Math.abs(alert.confirmed_at!.getTime() - Date.now())).toBeLessThan(5 * 60_000);
  expect(alert.channels).toEqual(sys.ctx.profile.alerts.channels);
  expect(test).toMatchObject({ announced: true });
  expect(await deliveriesOf(id)).toBeGreaterThan(0);
}

/**
 * A fresh context signed in as `op` (each test has its own operator: a TOTP code works once) on the
 * start page; Playwright gives up before the test's own timeout, naming what it waited for.
 */
async function openConsole(viewport: { width: number; height: number }) {
  const op = await makeOperator(sys.ctx, ['police_dispatcher']);
  const opened = await consoleContext(browser, sys.url!, viewport);
  opened.page.setDefaultTimeout(10_000);
  await signInToConsole(opened.page, sys.url!, op);
  await opened.page.getByRole('link', { name: 'Shelter in place', exact: true }).waitFor();
  return { ...opened, op };
}

/** A datetime-local value (the browser runs in this process's time zone). */
function localDateTime(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** Press Tab until the focused element's text matches (keyboard only), failing after `max` presses. */
async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const text =
      (await page
        .locator(':focus')
        .textContent()
        .catch(() => '')) ?? '';
    if (name.test(text.trim())) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

describe.skipIf(browserMissing)('the send flow in Chromium', () => {
  it('sends a test shelter-in-place for W20 in 6 interactions and under 60 s, on a phone', async () => {
    const { context, page, offsite, op } = await openConsole(viewports.phone);

    let interactions = 0;
    const act = (action: () => Promise<void>) => {
      interactions += 1;
      return action();
    };
    const started = Date.now();
    await act(() => page.getByRole('link', { name: 'Shelter in place', exact: true }).click());
    await act(() => page.getByRole('radio', { name: /^Test\b/ }).check());
    const search = page.getByRole('combobox', { name: /Who receives it/ });
    await act(() => search.fill('W20'));
    await act(() => search.press('Enter'));
    await act(() => page.getByRole('button', { name: 'Review before sending' }).click());
    await act(() => page.getByRole('button', { name: 'Send test alert now' }).click());
    await page.waitForURL(alertPath);
    const elapsed = Date.now() - started;

    expect(interactions).toBeLessThanOrEqual(6);
    expect(elapsed).toBeLessThan(60_000);
    console.log(`send flow: ${interactions} interactions, ${elapsed} ms`);
    await expectStoredTestForW20(alertPath.exec(page.url())![1]!, op);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(offsite).toEqual([]);
    await context.close();
  });

  it('sends the same alert with the keyboard alone', async () => {
    const { context, page, op } = await openConsole(viewports.desktop);
    // The filter box has the focus: type, Enter opens the first match.
    await page.keyboard.type('shelter');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Shelter in place' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('value')).toBe('emergency');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: /^Test\b/ }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('role')).toBe('combobox');
    await page.keyboard.type('W20');
    await page.getByRole('option', { name: /W20/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /^Remove Building W20/ }).waitFor();
    await tabTo(page, /^Review before sending$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Review and send' }).waitFor();
    await tabTo(page, /^Send test alert now$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(alertPath);
    await expectStoredTestForW20(alertPath.exec(page.url())![1]!, op);
    await context.close();
  });

  for (const [name, viewport] of [
    ['phone', viewports.phone],
    ['desktop', viewports.desktop],
  ] as const) {
    it(`passes axe on the start page, compose (previews, UCS-2 warning) and review at ${name} width`, async () => {
      const { context, page } = await openConsole(viewport);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${artefacts}/start-${name}.png`, fullPage: true });

      await page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
      const search = page.getByRole('combobox', { name: /Who receives it/ });
      await search.fill('W2');
      await page.getByRole('option', { name: /W20/ }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('option', { name: /W20/ }).click();
      // "Refúgiese": the Spanish SMS needs UCS-2, and the warning names the character.
      const warning = page.getByText(/UCS-2:.*“ú”/);
      await warning.waitFor();
      expect(await warning.isVisible()).toBe(true);
      await page
        .getByText(/^\d+ (person|people)$/)
        .first()
        .waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${artefacts}/compose-${name}.png`, fullPage: true });

      await page.getByRole('button', { name: 'Review before sending' }).click();
      // An emergency is the default, and its source of confirmation is never filled in for you.
      const summary = page.getByRole('alert').filter({ hasText: 'Fix these before sending' });
      await summary.waitFor();
      expect(await summary.textContent()).toMatch(
        /Source of confirmation: Say how the emergency was confirmed/,
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${artefacts}/compose-errors-${name}.png`, fullPage: true });
      await page.getByLabel('Source of confirmation').fill('MIT Police officer on scene');
      await page.getByRole('button', { name: 'Review before sending' }).click();
      await page.getByRole('heading', { level: 1, name: 'Review and send' }).waitFor();
      await page
        .getByText(/UCS-2:/)
        .first()
        .waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${artefacts}/review-${name}.png`, fullPage: true });
      await page.getByRole('button', { name: 'Back to edit' }).click();
      await page.getByRole('button', { name: 'Discard this draft' }).click();
      await page.getByRole('button', { name: 'Yes, discard it' }).click();
      await page.getByRole('heading', { level: 1, name: 'Send an alert' }).waitFor();
      await context.close();
      // Five axe runs over a page with every language's words took 30 s on a loaded machine.
    }, 60_000);
  }

  it('fits 320 px without sideways scrolling on every step', async () => {
    const { context, page } = await openConsole(viewports.zoom400);
    expect(await reflowProblems(page)).toEqual([]);
    await page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
    await page.getByRole('radio', { name: /^Test\b/ }).check();
    await page.getByRole('combobox', { name: /Who receives it/ }).fill('W20');
    await page.getByRole('combobox', { name: /Who receives it/ }).press('Enter');
    await page
      .getByText(/UCS-2:/)
      .first()
      .waitFor();
    for (const summary of await page.locator('summary').all()) await summary.click();
    expect(await reflowProblems(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/compose-320.png`, fullPage: true });
    await page.getByRole('button', { name: 'Review before sending' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review and send' }).waitFor();
    expect(await reflowProblems(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/review-320.png`, fullPage: true });
    await context.close();
  });

  it('keeps the draft through a reload, a failed send and a new sign-in, shows the API’s message at its field, and sends once', async () => {
    const { context, page, op } = await openConsole(viewports.desktop);
    await page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
    const search = page.getByRole('combobox', { name: /Who receives it/ });
    await search.fill('W20');
    await search.press('Enter');
    await page.getByRole('button', { name: /^Remove Building W20/ }).waitFor();
    await page.getByLabel('What is happening').fill('Gas leak reported near the Student Center.');
    // The Spanish words are the template's: changed English marks them for review, and until then
    // Spanish readers are told the details are in English (the preview shows it).
    const spanishReview = page.locator('#es-review');
    await spanishReview.waitFor();
    expect(await spanishReview.textContent()).toMatch(/Needs review.*Los detalles están en inglés\./);
    const spanishSms = page.locator('[aria-label="Spanish previews"] .sms-bubble');
    await expect.poll(() => spanishSms.textContent()).toMatch(/Los detalles están en inglés\. Gas/);
    await page.getByLabel('What, in Spanish').fill('Fuga de gas cerca del Student Center.');
    await spanishReview.waitFor({ state: 'detached' });
    await expect.poll(() => spanishSms.textContent()).toMatch(/Fuga de gas cerca del Student Center/);
    // Confirmed 20 minutes ago: past MIT's 15, so the record needs the reason for waiting.
    await page.getByLabel('Confirmed at').fill(localDateTime(new Date(Date.now() - 20 * 60_000)));
    await page.getByLabel('Reason for waiting').waitFor();
    await page.getByRole('button', { name: 'Review before sending' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Fix these before sending' });
    await summary.waitFor();
    await expect.poll(() => summary.textContent()).toMatch(/Who decided to wait/);
    expect(await summary.textContent()).toMatch(/Source of confirmation.*Reason for waiting/);
    await page.getByLabel('Source of confirmation').fill('MIT Police officer on scene');
    await page.getByLabel('Reason for waiting').selectOption('contain');
    await page.getByLabel('Who decided to wait').fill('Chief of Police');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Shelter in place' }).waitFor();
    expect(await page.getByLabel('What is happening').inputValue()).toBe(
      'Gas leak reported near the Student Center.',
    );
    expect(await page.getByLabel('Source of confirmation').inputValue()).toBe('MIT Police officer on scene');
    expect(await page.getByLabel('Reason for waiting').inputValue()).toBe('contain');
    expect(await page.getByLabel('Who decided to wait').inputValue()).toBe('Chief of Police');
    expect(await page.getByLabel('What, in Spanish').inputValue()).toBe(
      'Fuga de gas cerca del Student Center.',
    );
    await page.getByRole('button', { name: /^Remove Building W20/ }).waitFor();

    await page.getByRole('button', { name: 'Review before sending' }).click();
    const send = page.getByRole('button', { name: 'Send emergency alert now' });
    await send.waitFor();
    // The review shows every language's words.
    expect(await page.getByRole('region', { name: 'Spanish words' }).textContent()).toMatch(
      /What\s*Fuga de gas cerca del Student Center\.\s*Where\s*Building W20/,
    );
    // The directory changes while the operator reviews: W20 is renamed.
    await sys.ctx.db.updateTable('locations').set({ code: 'W20X' }).where('code', '=', 'W20').execute();
    await send.dblclick();
    const atField = page.locator('#where-search-error');
    await atField.waitFor();
    expect(await atField.textContent()).toMatch(/Unknown building or zone code\(s\): W20/);
    expect(await page.getByLabel('What is happening').inputValue()).toBe(
      'Gas leak reported near the Student Center.',
    );
    expect(await page.getByLabel('Reason for waiting').inputValue()).toBe('contain');
    const mine = () =>
      sys.ctx.db
        .selectFrom('alerts')
        .selectAll()
        .where('confirmed_by', '=', `Operator ${op.username}`)
        .execute();
    expect(await mine()).toHaveLength(0);

    await sys.ctx.db.updateTable('locations').set({ code: 'W20' }).where('code', '=', 'W20X').execute();

    // The session ends meanwhile: signing in again in place keeps every field.
    await sys.ctx.db.deleteFrom('sessions').where('operator_id', '=', op.id).execute();
    await page.getByRole('button', { name: 'Review before sending' }).click();
    await signInAgainInDialog(page, op);
    expect(await page.getByLabel('What is happening').inputValue()).toBe(
      'Gas leak reported near the Student Center.',
    );
    expect(await page.getByLabel('Who decided to wait').inputValue()).toBe('Chief of Police');

    await page.getByRole('button', { name: 'Review before sending' }).click();
    await send.dblclick();
    await page.waitForURL(alertPath);
    const sent = await mine();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'emergency',
      audience: { locationCodes: ['W20'] },
      confirmation_source: 'MIT Police officer on scene',
      delay_reason: 'contain',
      delay_decided_by: 'Chief of Police',
    });
    const message = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('content')
      .where('alert_id', '=', sent[0]!.id)
      .executeTakeFirstOrThrow();
    const content = message.content as Record<string, { what: string; actions: string }>;
    expect(content.en!.what).toBe('Gas leak reported near the Student Center.');
    expect(content.es!.what).toBe('Fuga de gas cerca del Student Center.');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await context.close();
  });

  it('sends a test for W20 in English and Spanish, updates it with other actions in both, and each language gets its own words', async () => {
    // Three people in W20 read Spanish.
    const w20 = await sys.ctx.db
      .selectFrom('locations')
      .select('id')
      .where('code', '=', 'W20')
      .executeTakeFirstOrThrow();
    await sys.ctx.db
      .updateTable('people')
      .set({ preferred_language: 'es' })
      .where(
        'id',
        'in',
        sys.ctx.db.selectFrom('people').select('id').where('home_building_id', '=', w20.id).limit(3),
      )
      .execute();
    const { context, page } = await openConsole(viewports.desktop);
    await page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
    await page.getByRole('radio', { name: /^Test\b/ }).check();
    const search = page.getByRole('combobox', { name: /Who receives it/ });
    await search.fill('W20');
    await search.press('Enter');
    await page.getByRole('button', { name: /^Remove Building W20/ }).waitFor();
    await page.getByLabel('What is happening').fill('Test of the shelter-in-place alert.');
    await page.getByLabel('What, in Spanish').fill('Prueba de la alerta de refugio.');
    await page.getByLabel('Where, in Spanish').fill('Edificio W20 (Stratton)');
    await page.getByRole('button', { name: 'Review before sending' }).click();
    await page.getByRole('button', { name: 'Send test alert now' }).click();
    await page.waitForURL(alertPath);
    const alertId = alertPath.exec(page.url())![1]!;

    // The update: other actions in English and in Spanish; the form starts empty in Spanish.
    expect(await page.getByLabel('Actions, in Spanish').inputValue()).toBe('');
    expect(await page.locator('#al-fu-es-hint').textContent()).toMatch(
      /Left empty, Spanish readers are told “Los detalles están en inglés\.”/,
    );
    await page.getByLabel('Actions', { exact: true }).fill('Leave by the east exit.');
    await page.getByLabel('Actions, in Spanish').fill('Salga por la salida este.');
    await page.getByRole('button', { name: 'Review the update' }).click();
    expect(await page.getByRole('definition').filter({ hasText: 'Salga por la salida este.' }).count()).toBe(
      1,
    );
    await page.getByRole('button', { name: 'Send the update now' }).click();
    await page.getByRole('status').filter({ hasText: 'Update 1 sent.' }).waitFor();

    // Both languages in the outbox, as an integrator reads it.
    const manager = await signedInAs(sys, ['emergency_management']);
    const spanishDeliveries = await sys.ctx.db
      .selectFrom('deliveries')
      .select('id')
      .where('alert_id', '=', alertId)
      .where('channel', '=', 'sms')
      .where('language', '=', 'es')
      .execute();
    expect(spanishDeliveries.length).toBeGreaterThan(0);
    const spanishIds = new Set(spanishDeliveries.map((d) => d.id));
    const outbox = async () => {
      const r = await sys.app!.inject({
        method: 'GET',
        url: '/api/v1/outbox?channel=sms&limit=500',
        headers: manager.headers,
      });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().messages as { deliveryId: string; body: string }[]).filter((m) =>
        /east exit|salida este/.test(m.body),
      );
    };
    await expect.poll(async () => (await outbox()).some((m) => spanishIds.has(m.deliveryId))).toBe(true);
    const updates = await outbox();
    for (const m of updates) {
      if (spanishIds.has(m.deliveryId)) {
        expect(m.body).toMatch(
          /Prueba de la alerta de refugio\..*Edificio W20 \(Stratton\).*Salga por la salida este\./,
        );
        expect(m.body).not.toMatch(/east exit|Go indoors/);
      } else expect(m.body).toMatch(/Test of the shelter-in-place alert\..*Leave by the east exit\./);
    }
    // And on the public page in Spanish: the alert's Spanish title and the update's Spanish actions.
    const spanishPage = async () => (await fetch(`${sys.url}/?lang=es`)).text();
    await expect.poll(spanishPage, { timeout: 10_000 }).toContain('Salga por la salida este.');
    expect(await spanishPage()).toMatch(/Prueba de la alerta de refugio<\/h2>/);
    await context.close();
  });

  it('tells an operator who may not send why, instead of the templates', async () => {
    const viewer = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const { context, page } = await consoleContext(browser, sys.url!, viewports.phone);
    page.setDefaultTimeout(10_000);
    await signInToConsole(page, sys.url!, viewer);
    await page.getByRole('heading', { level: 1, name: 'Sending alerts is not part of your roles' }).waitFor();
    expect(await page.getByRole('link', { name: 'Shelter in place' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/no-permission-phone.png`, fullPage: true });
    await context.close();
  });
});
