import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchChromium } from '../../../test/support/browser.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { codeIn, keptMessage, linkPathIn } from './registration.test-support.js';

let sys: TestSystem;
let browser: Browser;
const artefacts = 'test-artifacts/self-registration';

/**
 * axe needs JavaScript, and the pages are walked with JavaScript off: check the page's HTML in a
 * second page that has it (the pages have no scripts and inline styles, so they render the same).
 */
async function noViolations(page: Page) {
  const context = await browser.newContext();
  const checker = await context.newPage();
  try {
    await checker.setContent(await page.content());
    const result = await new AxeBuilder({ page: checker })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  } finally {
    await context.close();
  }
}

describe.skipIf(browserMissing)('self-registration in a browser without JavaScript', () => {
  beforeAll(async () => {
    sys = await startTestSystem({ work: true });
    browser = await launchChromium();
    mkdirSync(artefacts, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it(
    'registers a mobile number, shows errors next to fields, and confirms the texted code',
    { timeout: 60_000 },
    async () => {
      const context = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      await page.goto(`${sys.url}/register`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await noViolations(page);
      await page.screenshot({ path: `${artefacts}/register-phone.png`, fullPage: true });

      await page.getByLabel('Mobile number').fill('call me maybe');
      await page.getByRole('button', { name: 'Register' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Please correct the following:');
      await expect(page.locator('#phone-error').textContent()).resolves.toContain('Enter a mobile number');
      expect(await page.getAttribute('#phone', 'aria-describedby')).toBe('phone-hint phone-error');
      expect(await page.getAttribute('#name', 'aria-invalid')).toBe('true');
      await noViolations(page);
      await page.screenshot({ path: `${artefacts}/register-errors.png`, fullPage: true });

      await page.getByLabel('Your name').fill('Robin Neighbour');
      await page.getByLabel('Mobile number').fill('617-555-0188');
      await page.getByLabel(/I agree to receive MIT Alert/).check();
      await page.getByRole('button', { name: 'Register' }).click();
      await page.waitForURL(/\/register\/[0-9a-f-]{36}\?lang=en$/);
      await expect(page.getByText('We sent a 6-digit code to …0188.')).toBeTruthy();
      await noViolations(page);
      const registrationId = /\/register\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      const code = codeIn((await keptMessage(sys.ctx.db, registrationId, 'sms')).body);

      await page.getByLabel('Code from the text message').fill('000000' === code ? '111111' : '000000');
      await page.getByRole('button', { name: 'Confirm my number' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('#code-error').textContent()).resolves.toContain(
        'That code is not right. 4 attempts left.',
      );
      await page.getByLabel('Code from the text message').fill(code);
      await page.getByRole('button', { name: 'Confirm my number' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('.done').first().textContent()).resolves.toContain('…0188 is confirmed');
      await noViolations(page);
      await page.screenshot({ path: `${artefacts}/registered.png`, fullPage: true });
      await context.close();
    },
  );

  it(
    'works in Spanish, and confirms an email address only when the button is pressed',
    { timeout: 60_000 },
    async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'es-ES' });
      const page = await context.newPage();
      await page.goto(`${sys.url}/register`);
      expect(await page.getAttribute('html', 'lang')).toBe('es');
      await page.getByLabel('Su nombre').fill('Lucía Vecina');
      await page.getByLabel('Correo electrónico').fill('lucia@example.org');
      await page.getByLabel('Idioma de las alertas').selectOption('es');
      await page.getByRole('button', { name: 'Registrarme' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('#consent-error').textContent()).resolves.toContain('Marque la casilla');
      await noViolations(page);
      await page.getByLabel(/Acepto recibir/).check();
      await page.getByRole('button', { name: 'Registrarme' }).click();
      await page.waitForURL(/\/register\/[0-9a-f-]{36}\?lang=es$/);
      await noViolations(page);
      const registrationId = /\/register\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      const email = await keptMessage(sys.ctx.db, registrationId, 'email');
      expect(email.subject).toBe('MIT Alert: confirme su dirección de correo');

      await page.goto(`${sys.url}${linkPathIn(email.body)}`);
      await noViolations(page);
      const waiting = await sys.ctx.db
        .selectFrom('registration_contacts')
        .select('status')
        .where('registration_id', '=', registrationId)
        .executeTakeFirstOrThrow();
      expect(waiting.status).toBe('pending');
      await page.getByRole('button', { name: 'Confirmar' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('.done').textContent()).resolves.toContain('está confirmado');
      await page.screenshot({ path: `${artefacts}/email-confirmed-es.png`, fullPage: true });
      await context.close();
    },
  );
});
