import { freePort } from '../../test/support/ports.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import {
  consoleContext,
  consoleReflowProblems,
  signInToConsole,
  startConsoleBrowser,
} from '../../test/support/console.js';
import { makeOperator, makeToken } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { nwsCap } from '../alerts/inbound-cap/inbound-cap.test-support.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';

// The console's system administration screens: templates, providers, outbox, operators, audit
// log, inbound CAP; each checked with axe at phone and desktop width and for sideways scrolling at 320 px.
const artefacts = 'test-artifacts/console/system';
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;
let deadFeed: string;

beforeAll(async () => {
  if (browserMissing) return;
  // Workers deliver the relayed alert, so the outbox has messages to read. They also poll a CAP
  // feed on a loopback port where nothing listens, which the CAP screen must show as failing.
  deadFeed = `http://127.0.0.1:${await freePort()}/nws.atom`;
  ({ sys, browser, close } = await startConsoleBrowser({
    artefacts,
    work: true,
    env: { TOCSIN_CAP_FEEDS: deadFeed, TOCSIN_CAP_FEED_POLL_SECONDS: '15' },
  }));
});
afterAll(() => close?.());

/** axe at phone and desktop width with a screenshot of each, and no sideways scrolling at 320 px. */
async function checkScreen(page: Page, name: string): Promise<void> {
  for (const [label, viewport] of [
    ['phone', viewports.phone],
    ['desktop', viewports.desktop],
  ] as const) {
    await page.setViewportSize(viewport);
    expect(await axeViolations(page), `${name} at ${label}`).toEqual([]);
    await page.screenshot({ path: `${artefacts}/${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize(viewports.zoom400);
  // Boxes that scroll on their own (a table's) are fine.
  expect(await consoleReflowProblems(page, '.table-scroll'), `${name} at 320 px`).toEqual([]);
  await page.setViewportSize(viewports.desktop);
}

const focusInDialog = "Boolean(document.activeElement?.closest('[role=dialog]'))";

const menuLinks = (page: Page) =>
  page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();

describe.skipIf(browserMissing)('system administration in Chromium', () => {
  it('lets an emergency manager save a template version and relay an inbound CAP message', async () => {
    const manager = await makeOperator(sys.ctx, ['emergency_management']);
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, manager);

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await checkScreen(page, 'templates');
    await page.getByRole('link', { name: 'Shelter in place' }).click();
    await page.getByRole('heading', { name: 'Version 1' }).waitFor();

    // The API's validation names the field; the console shows it beside that field.
    const what = page.getByLabel('What (English (en))');
    await what.fill('');
    await page.getByRole('button', { name: 'Save version 2' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Not saved/);
    await expect(page.getByText('What (English (en)) cannot be empty.').isVisible()).resolves.toBe(true);
    await expect(what.getAttribute('aria-invalid')).resolves.toBe('true');

    await what.fill('Shelter in place now.');
    await page
      .getByLabel('Actions (English (en))')
      .fill('Go indoors now, close doors and windows, and wait for the all-clear.');
    await page.getByRole('button', { name: 'Save version 2' }).click();
    await page.getByText('Version 2 saved.').waitFor();
    await page.getByRole('heading', { name: 'Version 2', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Changes from version 1' }).waitFor();
    await expect(page.locator('.diff-text ins').first().textContent()).resolves.toMatch(/now\./);
    const versions = page.getByRole('region', { name: 'Versions of this template, newest first' });
    await expect(versions.getByRole('row').nth(1).textContent()).resolves.toMatch(/Version 2 \(shown\)/);
    await versions.getByRole('button', { name: 'Version 1' }).click();
    await page.getByRole('heading', { name: 'Version 1', exact: true }).waitFor();
    await checkScreen(page, 'template');

    // The manager reads the audit log but may not verify it (audit.verify): no verify part.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('region', { name: 'Audit entries, newest first' }).waitFor();
    await expect(page.getByRole('button', { name: 'Verify the chain' }).count()).resolves.toBe(0);

    // An outside system posts a CAP alert; the manager relays it in one action after a confirm.
    const submitter = await makeToken(sys.ctx, ['inbound_cap.submit']);
    const posted = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/cap/inbound',
      headers: { authorization: `Bearer ${submitter}`, 'content-type': 'application/cap+xml' },
      payload: nwsCap(),
    });
    expect(posted.statusCode, posted.body).toBe(202);
    const capId = posted.json().id as string;
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Inbound CAP' })
      .click();
    const pending = page.getByRole('region', { name: 'Pending CAP messages, newest first' });
    await expect(pending.getByRole('row').nth(1).textContent()).resolves.toMatch(
      /Tornado Warning.*Immediate, Extreme, Observed.*Middlesex, MA; Suffolk, MA/,
    );
    const feed = page.getByRole('region', { name: 'CAP feeds' });
    for (let i = 0; i < 40 && !(await feed.textContent())?.includes('Failing'); i += 1) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await feed.waitFor();
    }
    await expect(feed.getByRole('row').nth(1).textContent()).resolves.toMatch(
      new RegExp(`${deadFeed.replace(/[.]/g, '\\.')}Failing.*CAP from this feed is not arriving`),
    );
    await checkScreen(page, 'cap-queue');
    await pending.getByRole('link', { name: 'Tornado Warning' }).click();
    await page.getByRole('button', { name: 'Relay as a Tocsin alert…' }).waitFor();
    await checkScreen(page, 'cap-message');
    await page.getByRole('button', { name: 'Relay as a Tocsin alert…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Relay this CAP message?' });
    await dialog.getByText('Severe weather').waitFor();
    await expect(dialog.textContent()).resolves.toMatch(
      /Emergency notification.*Severe weather.*Tornado Warning issued/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/cap-relay-confirm-desktop.png` });
    await dialog.getByRole('button', { name: 'Relay now' }).click();
    await page.waitForURL(/\/console\/alerts\/[0-9a-f-]{36}$/);
    const alertId = page.url().split('/').at(-1)!;
    const relayed = await sys.ctx.db
      .selectFrom('inbound_cap')
      .select(['status', 'alert_id'])
      .where('id', '=', capId)
      .executeTakeFirstOrThrow();
    expect(relayed).toEqual({ status: 'relayed', alert_id: alertId });
    expect(offsite).toEqual([]);
    await context.close();
  }, 120_000);

  it('lets an administrator create an operator, see the one-time secret once, change roles and disable them', async () => {
    const admin = await makeOperator(sys.ctx, ['administrator']);
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, admin);
    const menu = await menuLinks(page);
    for (const entry of ['Providers', 'Outbox', 'Operators', 'Audit log']) expect(menu).toContain(entry);

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Operators' }).click();
    await page.getByRole('button', { name: 'Create an operator' }).click();
    await page.getByLabel('Username', { exact: true }).fill('new.dispatcher');
    await page.getByLabel('Full name', { exact: true }).fill('New Dispatcher');
    await page.getByLabel('(emergency_management)').check();
    await page.getByRole('button', { name: 'Create operator…' }).click();
    const confirmCreate = page.getByRole('dialog', { name: 'Create this operator?' });
    await expect(confirmCreate.textContent()).resolves.toMatch(/New Dispatcher.*MIT Emergency Management/);
    await confirmCreate.getByRole('button', { name: 'Create operator' }).click();
    const secret = await page.getByTestId('one-time-secret').textContent();
    expect(secret).toMatch(/^[a-z2-9]{6}(-[a-z2-9]{6}){3}$/);
    await checkScreen(page, 'operators');
    await page.getByRole('button', { name: 'I have handed it over: hide it' }).click();
    await expect(page.getByTestId('one-time-secret').count()).resolves.toBe(0);
    await page.reload();
    await page.getByRole('link', { name: 'New Dispatcher' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    const row = page.getByRole('row', { name: /New Dispatcher/ });
    await expect(row.textContent()).resolves.toMatch(
      /MIT Emergency Management.*Not enrolled.*Must choose a password.*Never/,
    );

    await page.getByRole('link', { name: 'New Dispatcher' }).click();
    await page.getByRole('heading', { name: 'New Dispatcher', level: 1 }).waitFor();
    await page.getByLabel('(emergency_management)').uncheck();
    await page.getByLabel('(police_dispatcher)').check();
    await page.getByRole('button', { name: 'Change roles…' }).click();
    const confirmRoles = page.getByRole('dialog', { name: /Change the roles/ });
    await expect(confirmRoles.textContent()).resolves.toMatch(
      /Added: MIT Police.*Removed: MIT Emergency Management/,
    );
    await confirmRoles.getByRole('button', { name: 'Change roles' }).click();
    await page.getByText('Roles of New Dispatcher changed to MIT Police.').waitFor();
    const created = await sys.ctx.db
      .selectFrom('operators')
      .select('id')
      .where('username', '=', 'new.dispatcher')
      .executeTakeFirstOrThrow();
    const roles = await sys.ctx.db
      .selectFrom('operator_roles')
      .select('role')
      .where('operator_id', '=', created.id)
      .execute();
    expect(roles.map((r) => r.role)).toEqual(['police_dispatcher']);

    // Keyboard only: the confirm step takes focus, keeps Tab inside, and Escape cancels it.
    await page.getByRole('button', { name: 'End sessions…' }).focus();
    await page.keyboard.press('Enter');
    const endSessions = page.getByRole('dialog', { name: /Sign New Dispatcher out everywhere/ });
    await expect(page.evaluate<boolean>(focusInDialog)).resolves.toBe(true);
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
    await expect(page.evaluate<boolean>(focusInDialog)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await endSessions.waitFor({ state: 'detached' });
    await expect(page.evaluate<string>('document.activeElement?.textContent')).resolves.toBe('End sessions…');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string>('document.activeElement?.textContent')).resolves.toBe('End sessions');
    await page.keyboard.press('Enter');
    await page.getByText('Ended 0 sessions of New Dispatcher.').waitFor();

    await page.getByRole('button', { name: 'Disable…' }).click();
    const confirmDisable = page.getByRole('dialog', { name: 'Disable New Dispatcher?' });
    expect(await axeViolations(page)).toEqual([]);
    await confirmDisable.getByRole('button', { name: 'Disable operator' }).click();
    await page.getByText('New Dispatcher is disabled and signed out everywhere.').waitFor();
    await page.getByRole('button', { name: 'Enable…' }).waitFor();
    const disabled = await sys.ctx.db
      .selectFrom('operators')
      .select('disabled_at')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(disabled.disabled_at).not.toBeNull();
    await page.getByRole('button', { name: 'Reset password…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
    await expect(page.getByTestId('one-time-secret').textContent()).resolves.toMatch(/^[a-z2-9-]{27}$/);
    await checkScreen(page, 'operator');

    // Nobody changes their own roles: the console offers no control for it (the API refuses it too).
    await page.goto(`${sys.url}/console/operators/${admin.id}`);
    await page.getByText('You cannot change your own roles. Ask another administrator.').waitFor();
    expect(await page.getByLabel('(administrator)').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Change roles…' }).count()).toBe(0);
    expect(offsite).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows an administrator providers with circuit states, the outbox and the audit log with its verification', async () => {
    const admin = await makeOperator(sys.ctx, ['administrator']);
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, admin);
    await sys.ctx.db
      .insertInto('provider_health')
      .values({
        provider: 'outbox',
        circuit: 'open',
        consecutive_failures: 20,
        last_error: 'disk full',
        opened_at: new Date(),
      })
      .onConflict((oc) => oc.column('provider').doNothing())
      .execute();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Providers' }).click();
    const order = page.getByRole('region', { name: 'Providers of each channel in failover order' });
    const sms = order.getByRole('row', { name: /^SMS/ });
    await expect(sms.textContent()).resolves.toMatch(/outbox\W+Open: not sending/);
    await expect(order.getByRole('row', { name: /^Public emergency page/ }).textContent()).resolves.toMatch(
      /public-site\W+Closed: sending/,
    );
    const outbox = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^outbox/ }) });
    await expect(outbox.textContent()).resolves.toMatch(
      /Open: not sending.*Failures in a row at the last change20.*Probe allowed.*Last errordisk full/,
    );
    await checkScreen(page, 'providers');
    // The screen refreshes by itself: a worker's probe succeeded and closed the circuit.
    await sys.ctx.db
      .updateTable('provider_health')
      .set({ circuit: 'closed', consecutive_failures: 0, opened_at: null, updated_at: new Date() })
      .where('provider', '=', 'outbox')
      .execute();
    await sms.getByText('Closed: sending').waitFor({ timeout: 8000 });

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Outbox' }).click();
    await page.getByLabel('Channel').selectOption('signage');
    // The workers deliver the relayed alert's signage message to the outbox within moments.
    for (let i = 0; i < 30 && (await page.locator('.message-list details').count()) === 0; i += 1) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    const message = page.locator('.message-list details').first();
    await message.locator('summary').click();
    await expect(message.textContent()).resolves.toMatch(/signage.*Tornado Warning/s);
    await checkScreen(page, 'outbox');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText('The chain verifies: no row was edited, removed, inserted or reordered.').waitFor();
    await expect(
      page
        .getByText(/^Rows checked/)
        .locator('..')
        .textContent(),
    ).resolves.toMatch(/\d+ \(up to number \d+\)/);
    await page.getByLabel('Action').fill('operator.create');
    await page.getByRole('button', { name: 'Show entries' }).click();
    const entries = page.getByRole('region', { name: 'Audit entries, newest first' });
    await expect
      .poll(async () => new Set(await entries.locator('tbody tr td:nth-child(3)').allTextContents()))
      .toEqual(new Set(['operator.create']));
    await entries
      .getByRole('button', { name: /^Details/ })
      .first()
      .click();
    await expect(entries.locator('.entry-details').textContent()).resolves.toMatch(/After.*username/s);
    await checkScreen(page, 'audit');
    await context.close();
  }, 120_000);

  it('shows a viewer none of these screens: no menu entries and "not available" on their addresses', async () => {
    const viewer = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, viewer);
    const menu = await menuLinks(page);
    for (const entry of ['Providers', 'Outbox', 'Operators', 'Audit log', 'Inbound CAP'])
      expect(menu).not.toContain(entry);
    // A viewer reads templates (alerts.read) but cannot save versions (templates.manage).
    expect(menu).toContain('Templates');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('link', { name: 'Shelter in place' }).click();
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Save a new version' }).count()).resolves.toBe(0);
    for (const path of ['providers', 'outbox', 'operators', 'audit', 'cap']) {
      await page.goto(`${sys.url}/console/${path}`);
      await page.getByRole('heading', { name: 'Not available to your roles' }).waitFor();
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/not-available-desktop.png` });
    await context.close();
  }, 60_000);
});
