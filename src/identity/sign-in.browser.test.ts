import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchChromium } from '../../test/support/browser.js';
import { totpCode } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';

let sys: TestSystem;
let browser: Browser;
const artefacts = 'test-artifacts/sign-in';

describe.skipIf(browserMissing)('the first administrator in a real browser', () => {
  beforeAll(async () => {
    sys = await startTestSystem();
    browser = await launchChromium();
    mkdirSync(artefacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it(
    'signs in with the one-time secret, chooses a password, enrols MFA and opens the API docs',
    { timeout: 60_000 },
    async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const offsite: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(sys.url!) && !r.url().startsWith('data:')) offsite.push(r.url());
      });
      await page.goto(`${sys.url}/login`);
      expect(
        (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze())
          .violations,
      ).toEqual([]);
      await page.screenshot({ path: `${artefacts}/login-phone.png`, fullPage: true });
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password or one-time secret').fill(sys.firstAdministrator!.oneTimeSecret);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.waitForLoadState('load');
      if (!page.url().endsWith('/login/password'))
        throw new Error(`at ${page.url()}: ${(await page.content()).slice(0, 600)}`);
      await page.getByLabel('New password', { exact: true }).fill('a long and new password');
      await page.getByLabel('New password again').fill('a long and new password');
      await page.getByRole('button', { name: 'Save password' }).click();

      await page.waitForURL('**/login/mfa/enrol');
      expect(
        (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze())
          .violations,
      ).toEqual([]);
      await page.screenshot({ path: `${artefacts}/mfa-enrol-phone.png`, fullPage: true });
      const secret = (await page.locator('code').textContent())!;
      await page.getByLabel('6-digit code').fill(totpCode(secret));
      await page.getByRole('button', { name: 'Confirm' }).click();

      await page.waitForURL('**/console/');
      await page.goto(`${sys.url}/account`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
        'Signed in as Tocsin administrator',
      );
      await page.getByRole('link', { name: 'API documentation' }).click();
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 15_000 });
      await expect(page.locator('.swagger-ui .info .title').textContent()).resolves.toContain('Tocsin API');
      await page.screenshot({ path: `${artefacts}/api-docs-phone.png` });
      expect(offsite).toEqual([]);
      await context.close();
    },
  );
});
