import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import {
  consoleContext,
  signInAgainInDialog,
  signInToConsole,
  startConsoleBrowser,
} from '../../test/support/console.js';
import { makeOperator, totpCode } from '../../test/support/operators.js';
import { createOperator } from '../identity/create-operator.js';
import { noRequest, systemActor } from '../platform/actor.js';
import type { TestSystem } from '../../test/support/system.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';

const artefacts = 'test-artifacts/console';
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts }));
});
afterAll(() => close?.());

describe.skipIf(browserMissing)('the console in Chromium: signing in', () => {
  it('signs in with password and TOTP and shows only the menu the roles allow', async () => {
    const dispatcher = await makeOperator(sys.ctx, ['police_dispatcher']);
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.phone);
    await page.goto(`${sys.url}/console/`);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/sign-in-phone.png`, fullPage: true });
    await signInToConsole(page, sys.url!, dispatcher);
    await page.getByRole('button', { name: 'Menu' }).click();
    const menu = await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
    expect(menu).toContain('Send an alert');
    expect(menu).toContain('Alerts');
    expect(menu).not.toContain('Operators');
    expect(menu).not.toContain('Audit log');
    expect(offsite).toEqual([]);
    await context.close();
  });

  it('tells an administrator without sending roles what they can do and who grants a sending role', async () => {
    const admin = await makeOperator(sys.ctx, ['administrator']);
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, admin);
    await page.getByRole('heading', { level: 1, name: 'You administer Tocsin' }).waitFor();
    const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(main).not.toContain('ask a Tocsin administrator');
    expect(main).toContain('Nobody may change their own roles');
    expect(main).toContain('another administrator grants you a sending role');
    await page.locator('main').getByRole('link', { name: 'Operators' }).waitFor();
    await page.locator('main').getByRole('link', { name: 'Audit log' }).waitFor();
    // The institution's colours from the profile (MIT red), the system's fonts, the favicon Tocsin serves.
    await expect(
      page.evaluate('getComputedStyle(document.querySelector("header.top")).backgroundColor'),
    ).resolves.toBe('rgb(163, 31, 52)');
    await expect(page.evaluate('getComputedStyle(document.body).fontFamily')).resolves.toMatch(/^system-ui/);
    await expect(page.locator('link[rel="icon"]').getAttribute('href')).resolves.toBe('/favicon.svg');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('takes a new operator from the one-time secret through a new password and MFA enrolment to the start page', async () => {
    const { oneTimeSecret } = await createOperator(sys.ctx, systemActor, {
      username: 'new-manager',
      displayName: 'New emergency manager',
      roles: ['emergency_management'],
      request: noRequest,
    });
    const { context, page } = await consoleContext(browser, sys.url!, viewports.phone);
    await page.goto(`${sys.url}/console/`);
    await page.getByLabel('Username').fill('new-manager');
    await page.getByLabel('Password').fill(oneTimeSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password').fill('a long new password for the console');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/mfa-enrol-phone.png`, fullPage: true });
    const secret = (await page.locator('.sign-in code').textContent())!;
    await page.getByLabel('6-digit code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('link', { name: 'Shelter in place', exact: true }).waitFor();
    const operator = await sys.ctx.db
      .selectFrom('operators')
      .select(['must_change_password', 'totp_enrolled_at'])
      .where('username', '=', 'new-manager')
      .executeTakeFirstOrThrow();
    expect(operator.must_change_password).toBe(false);
    expect(operator.totp_enrolled_at).not.toBeNull();
    await context.close();
  });

  it('says what was wrong with a bad password and with a bad code, in words', async () => {
    const op = await makeOperator(sys.ctx, ['emergency_management']);
    const { context, page } = await consoleContext(browser, sys.url!);
    await page.goto(`${sys.url}/console/`);
    await page.getByLabel('Username').fill(op.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/username or password/i);
    await page.getByLabel('Password').fill(op.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('6-digit code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/code/i);
    await page.getByLabel('6-digit code from your authenticator app').fill(totpCode(op.totpSecret!));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await context.close();
  });

  it('asks to sign in again in place when the session ends, keeping what was on screen', async () => {
    const op = await makeOperator(sys.ctx, ['emergency_management']);
    const { context, page } = await consoleContext(browser, sys.url!);
    // A step that hangs fails with its locator (and the page's own error text, below) well
    // before the test's time runs out; once, under a whole CI run's load, it only timed out.
    page.setDefaultTimeout(20_000);
    await signInToConsole(page, sys.url!, op);
    // Wait until the history has loaded: a request still in flight when the session ends would
    // (rightly) open the dialog before the click below, leaving the link inert (seen under load).
    await page.getByRole('link', { name: 'Alerts' }).first().click();
    await page.getByText('No alerts have been sent yet.').waitFor();
    // The session ends on the server (an administrator, the idle timer, the absolute limit).
    await sys.ctx.db.deleteFrom('sessions').where('operator_id', '=', op.id).execute();
    // The start page asks the API for the templates, which answers 401.
    await page.getByRole('link', { name: 'Send an alert' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.getByRole('heading').textContent()).resolves.toBe('Sign in again to continue');
    expect(await axeViolations(page)).toEqual([]);
    await signInAgainInDialog(page, op);
    // The templates that failed to load while signed out load now, on the same page.
    await page.getByRole('link', { name: 'Shelter in place', exact: true }).waitFor();
    expect(page.url()).toBe(`${sys.url}/console/`);
    await context.close();
  }, 60_000);
});
