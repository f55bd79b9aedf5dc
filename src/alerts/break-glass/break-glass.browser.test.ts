import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../../test/support/browser.js';
import { consoleContext, startConsoleBrowser } from '../../../test/support/console.js';
import { makeOperator, totpCode, type TestOperator } from '../../../test/support/operators.js';
import type { TestSystem } from '../../../test/support/system.js';
import { axeViolations, reflowProblems, viewports } from '../../public/public-browser.test-support.js';

const artefacts = 'test-artifacts/console/break-glass';
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts, work: true, demoPeople: 300 }));
}, 120_000);
afterAll(() => close?.());

/**
 * At a phone's width, at 200% zoom and on a desktop: no axe violation, nothing off the edge; a
 * screenshot of each. axe runs on timers, which do not fire in a page without JavaScript, so it
 * checks the same document in a page that has it (the pages have no scripts: it renders the same).
 */
async function checkEveryWidth(page: Page, name: string): Promise<void> {
  const checker = await checkerPage();
  await checker.setContent(await page.content());
  for (const [width, viewport] of [
    ['phone', viewports.phone],
    ['zoom200', viewports.zoom200],
    ['desktop', viewports.desktop],
  ] as const) {
    await page.setViewportSize(viewport);
    await checker.setViewportSize(viewport);
    expect(await axeViolations(checker), `${name} at ${width}`).toEqual([]);
    expect(await reflowProblems(page), `${name} at ${width}`).toEqual([]);
    if (width !== 'zoom200')
      await page.screenshot({ path: `${artefacts}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(viewports.phone);
}

let checkerContext: BrowserContext | null = null;
async function checkerPage(): Promise<Page> {
  checkerContext ??= await browser.newContext({ javaScriptEnabled: true });
  return checkerContext.pages()[0] ?? checkerContext.newPage();
}

/** Press Refresh until the page says every channel is done (the page never changes by itself). */
async function refreshUntilDone(page: Page): Promise<void> {
  for (let i = 0; i < 120; i += 1) {
    const state = await page.locator('dd').first().textContent();
    if (state === 'Sent: every channel is done') return;
    await page.waitForTimeout(500);
    await page.getByRole('link', { name: 'Refresh' }).click();
    await page.waitForLoadState('load');
  }
  throw new Error(`the alert did not finish: ${await page.locator('main').textContent()}`);
}

/** Sign in with the plain pages (password, then the TOTP code of `at`) and land on the send form. */
async function signInPlain(page: Page, op: TestOperator, at = new Date()): Promise<void> {
  await page.getByLabel('Username').fill(op.username);
  await page.getByLabel('Password or one-time secret').fill(op.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/login/mfa?next=/send');
  await page.getByLabel('6-digit code from your authenticator app').fill(totpCode(op.totpSecret!, at));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${sys.url}/send`);
}

describe.skipIf(browserMissing)('the plain send form in Chromium with JavaScript disabled', () => {
  it(
    'signs in from the sign-in page’s link, sends a test alert to W20, follows it to done and sends the all-clear',
    { timeout: 180_000 },
    async () => {
      const op = await makeOperator(sys.ctx, ['emergency_management']);
      const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.phone, {
        javaScriptEnabled: false,
      });
      page.setDefaultTimeout(20_000);
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(r.url());
      });

      await page.goto(`${sys.url}/login`);
      await page
        .getByRole('link', { name: 'Console not loading? Send an alert with the plain form' })
        .click();
      await page.waitForURL('**/login?next=/send');
      await signInPlain(page, op);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Send an alert');
      await checkEveryWidth(page, 'send');

      // Pressed before anything is filled in: nothing is sent, every problem is named.
      await page.getByRole('button', { name: 'Send alert now' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
        'The alert was not sent.',
      );
      await checkEveryWidth(page, 'send-errors');
      await page.getByRole('link', { name: 'Choose a template.' }).click();
      expect(page.url()).toMatch(/#templateId$/);

      await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Shelter in place' });
      await page.getByRole('radio', { name: /^Test/ }).check();
      await page.getByLabel('Where', { exact: true }).fill('Building W20, the Student Center');
      await page.getByRole('radio', { name: 'People in buildings or zones' }).check();
      await page.getByLabel('Building and zone codes').fill('W20');
      await page.getByRole('button', { name: 'Send alert now' }).click();
      await page.waitForURL(/\/send\/alerts\/[0-9a-f-]{36}\?done=sent$/);
      const alertId = /alerts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      await expect(page.getByRole('status').textContent()).resolves.toContain('The alert is on its way.');
      await checkEveryWidth(page, 'status');

      await refreshUntilDone(page);
      const states = await page.locator('tbody td.state').allTextContents();
      expect(states.length).toBe(sys.ctx.profile.alerts.channels.length);
      expect(new Set(states)).toEqual(new Set(['Done']));
      await expect(page.locator('tbody').textContent()).resolves.toMatch(/\d+ delivered/);
      await page.screenshot({ path: `${artefacts}/status-done-phone.png`, fullPage: true });

      await page.getByRole('button', { name: 'Send the all-clear' }).click();
      await page.waitForURL(`**/send/alerts/${alertId}?done=all_clear`);
      await expect(page.getByRole('status').textContent()).resolves.toContain('The all-clear is on its way.');
      await refreshUntilDone(page);
      await expect(page.getByRole('heading', { name: /^All-clear,/ }).count()).resolves.toBe(1);
      await page.screenshot({ path: `${artefacts}/all-clear-phone.png`, fullPage: true });

      const alert = await sys.ctx.db
        .selectFrom('alerts')
        .selectAll()
        .where('id', '=', alertId)
        .executeTakeFirstOrThrow();
      expect(alert).toMatchObject({
        kind: 'test',
        audience: { locationCodes: ['W20'] },
        sent_by: op.username,
      });
      const messages = await sys.ctx.db
        .selectFrom('alert_messages')
        .select('message_type')
        .where('alert_id', '=', alertId)
        .orderBy('sequence')
        .execute();
      expect(messages.map((m) => m.message_type)).toEqual(['alert', 'all_clear']);
      expect(scripts).toEqual([]);
      expect(offsite).toEqual([]);
      await context.close();
      await checkerContext?.close();
      checkerContext = null;
    },
  );

  it(
    'keeps the form when the session ends before Send: sign in in a new tab, bring the form back, send',
    { timeout: 120_000 },
    async () => {
      const op = await makeOperator(sys.ctx, ['police_dispatcher']);
      const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.phone, {
        javaScriptEnabled: false,
      });
      page.setDefaultTimeout(20_000);
      await page.goto(`${sys.url}/login?next=/send`);
      await signInPlain(page, op);
      const what = 'Drill: a gas smell reported at W20, "evacuate" & wait outside';
      await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Shelter in place' });
      await page.getByRole('radio', { name: /^Test/ }).check();
      await page.getByLabel('Where', { exact: true }).fill('Building W20, the Student Center');
      await page.getByRole('radio', { name: 'People in buildings or zones' }).check();
      await page.getByLabel('Building and zone codes').fill('W20');
      await page.getByLabel('What happened (optional)').fill(what);

      // The session ends while the form is open (idle timeout, an administrator).
      await sys.ctx.db.deleteFrom('sessions').where('operator_id', '=', op.id).execute();
      await page.getByRole('button', { name: 'Send alert now' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
        'Nothing was sent: your session ended before you pressed the button.',
      );
      await expect(page.locator('main').textContent()).resolves.toContain(what);
      await checkEveryWidth(page, 'kept-form');

      const [tab] = await Promise.all([
        context.waitForEvent('page'),
        page.getByRole('link', { name: 'Sign in in a new tab' }).click(),
      ]);
      await tab.waitForURL('**/login?next=/send');
      await signInPlain(tab, op, new Date(Date.now() + 30_000));
      await tab.close();

      await page.getByRole('button', { name: 'Bring back my form' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
        'this form was filled in before your latest sign-in',
      );
      await expect(page.getByLabel('What happened (optional)').inputValue()).resolves.toBe(what);
      await expect(page.getByLabel('Building and zone codes').inputValue()).resolves.toBe('W20');
      await expect(page.getByRole('radio', { name: /^Test/ }).isChecked()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Send alert now' }).click();
      await page.waitForURL(/\/send\/alerts\/[0-9a-f-]{36}\?done=sent$/);
      const alertId = /alerts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      const message = await sys.ctx.db
        .selectFrom('alert_messages')
        .select('content')
        .where('alert_id', '=', alertId)
        .executeTakeFirstOrThrow();
      expect(message.content.en?.what).toBe(what);
      expect(offsite).toEqual([]);
      await context.close();
    },
  );
});
