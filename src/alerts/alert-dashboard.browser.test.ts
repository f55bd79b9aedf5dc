import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import {
  consoleContext,
  consoleReflowProblems,
  signInToConsole,
  startConsoleBrowser,
} from '../../test/support/console.js';
import { makeOperator, signedInAs, type SignedIn, type TestOperator } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { templateIdsFor } from '../../test/support/templates.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';

const artefacts = 'test-artifacts/console/alerts';
let sys: TestSystem;
let browser: Browser;
let manager: TestOperator;
let viewer: TestOperator;
let sender: SignedIn;
let shelter: string;
let firstAlert: string;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts, work: true, demoPeople: 300 }));
  manager = await makeOperator(sys.ctx, ['emergency_management']);
  viewer = await makeOperator(sys.ctx, ['viewer']);
  sender = await signedInAs(sys, ['police_dispatcher']);
  [shelter] = await templateIdsFor(sys, sender.headers, 'shelter_in_place');
}, 120_000);
afterAll(() => close?.());

/** A test shelter-in-place to the whole demo campus by SMS, email and voice, asking for answers. */
async function sendTestAlert(what: string): Promise<string> {
  const r = await sys.app!.inject({
    method: 'POST',
    url: '/api/v1/alerts',
    headers: sender.headers,
    payload: {
      templateId: shelter,
      kind: 'test',
      what,
      where: 'Building W20, the Student Center',
      audience: { everyone: true },
      audienceReason: 'Dashboard browser test',
      channels: ['sms', 'email', 'voice'],
      acknowledgementRequested: true,
    },
  });
  expect(r.statusCode, r.body).toBe(202);
  return r.json().alertId as string;
}

/** Answers from two people who received the alert: one safe, one needing help. */
async function answer(alertId: string): Promise<string> {
  const people = await sys.ctx.db
    .selectFrom('deliveries')
    .innerJoin('people', 'people.id', 'deliveries.person_id')
    .select(['people.id', 'people.display_name'])
    .where('deliveries.alert_id', '=', alertId)
    .where('deliveries.channel', '=', 'sms')
    .limit(2)
    .execute();
  await sys.ctx.db
    .insertInto('acknowledgements')
    .values([
      { alert_id: alertId, person_id: people[0]!.id, response: 'safe', channel: 'sms' },
      { alert_id: alertId, person_id: people[1]!.id, response: 'need_help', channel: 'sms' },
    ])
    .execute();
  return people[1]!.display_name;
}

/** Put `n` delivered SMS back to a retry `afterMs` away, as after a carrier timeout: the alert is sending again. */
async function retryLater(alertId: string, n: number, afterMs: number): Promise<void> {
  const ids = await sys.ctx.db
    .selectFrom('deliveries')
    .select('id')
    .where('alert_id', '=', alertId)
    .where('channel', '=', 'sms')
    .where('status', '=', 'delivered')
    .limit(n)
    .execute();
  await sys.ctx.db
    .updateTable('deliveries')
    .set({
      status: 'temporary_failure',
      error_code: 'Carrier timeout',
      last_error: 'Carrier timeout: no answer in 10 s',
      next_attempt_at: new Date(Date.now() + afterMs),
    })
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  await sys.ctx.db.updateTable('alerts').set({ status: 'sending' }).where('id', '=', alertId).execute();
}

/** `n` copies of an alert with its first message, an hour apart and older than it, for paging. */
async function copyAlert(alertId: string, n: number): Promise<void> {
  await sql`
    with copies as (
      insert into alerts (campus_id, kind, status, hazard, template_id, template_version, audience,
        audience_reason, channels, initiated_at, created_by, sent_by, closed_at, close_reason, created_at)
      select campus_id, kind, status, hazard, template_id, template_version, audience, audience_reason,
        channels, created_at - g * interval '1 hour', created_by, sent_by, closed_at, close_reason,
        created_at - g * interval '1 hour'
      from alerts cross join generate_series(1, ${n}) g where id = ${alertId}
      returning id, template_id, created_at)
    insert into alert_messages (alert_id, sequence, message_type, template_id, template_version, content, created_by)
    select c.id, 0, 'alert', c.template_id, m.template_version, m.content, m.created_by
    from copies c, alert_messages m where m.alert_id = ${alertId} and m.sequence = 0`.execute(sys.ctx.db);
}

const totalText = (page: Page) => page.locator('#al-total-text').textContent();

/** Read the overall percentage until it says 100 %, noting every value the page showed. */
async function watchToCompletion(page: Page, timeoutMs = 60_000): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = (await page.locator('#al-total-text').count()) ? await totalText(page) : null;
    if (text && seen.at(-1) !== text) seen.push(text);
    if (text?.includes('100%')) return seen;
    await page.waitForTimeout(100);
  }
  throw new Error(`never reached 100%: ${seen.join(' | ')}`);
}

/** Wait until every channel card of the page says 100 % and the status is Sent. */
async function waitUntilSent(page: Page): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const percents = await page.locator('.al-percent strong').allTextContents();
    const status = await page.locator('.al-status').textContent();
    if (status === 'Sent' && percents.length > 0 && percents.every((p) => p === '100%')) return;
    await page.waitForTimeout(200);
  }
  throw new Error('the alert never showed every channel at 100% and the status Sent');
}

/** What does not fit 320 px, leaving out what is off-screen on purpose (the skip link, screen-reader text). */
async function overflowAt320(page: Page): Promise<string[]> {
  await page.setViewportSize(viewports.zoom400);
  const problems = await consoleReflowProblems(page);
  await page.setViewportSize(viewports.phone);
  return problems;
}

/** Whether the first element matching a CSS selector has focus. */
const hasFocus = (page: Page, selector: string) =>
  page.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`);

/** The text of the element with focus. */
const focusedText = (page: Page) =>
  page.evaluate<string | null>('document.activeElement?.textContent ?? null');

describe.skipIf(browserMissing)('the alert dashboard and history in Chromium', () => {
  it('follows an alert live to 100 %, sends an update and the all-clear from the dashboard, closes it, and finds it in the history', async () => {
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, manager);
    firstAlert = await sendTestAlert('Dashboard drill one');
    await page.goto(`${sys.url}/console/alerts/${firstAlert}`);
    await page.getByRole('heading', { level: 1, name: /Shelter in place/ }).waitFor();
    await expect(page.locator('.al-drill').textContent()).resolves.toMatch(/^TEST: /);
    // It climbs on its own, over the stream, without a reload (how far it got before the page
    // opened depends on the machine; the retries below make the climb certain).
    await watchToCompletion(page);
    await expect(page.locator('.al-connection').textContent()).resolves.toBe('Live');
    await waitUntilSent(page);
    expect(await axeViolations(page)).toEqual([]);
    // The update and all-clear controls are in sight at 1280×800 without scrolling.
    for (const control of [
      page.getByRole('heading', { name: 'Send an update or the all-clear' }),
      page.getByRole('radio', { name: 'The all-clear' }),
      page.getByLabel('What', { exact: true }),
    ]) {
      const box = await control.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewports.desktop.height);
    }
    // Channels in the campus's order (SMS, voice, email), not alphabetical.
    await expect(page.locator('.al-channel h4').allTextContents()).resolves.toEqual([
      'SMS',
      'Voice calls',
      'Email',
    ]);
    // This system has only the outbox: nothing it stored counts as delivered.
    const sms = page.locator('.al-channel').first();
    await expect(
      sms
        .locator('dt', { hasText: /^Delivered$/ })
        .locator('+ dd')
        .textContent(),
    ).resolves.toBe('0');
    await expect(
      sms.locator('dt', { hasText: 'In the outbox (not sent to a network)' }).locator('+ dd').textContent(),
    ).resolves.toMatch(/^[1-9]/);
    // Times carry their date and the campus's zone (America/New_York in the MIT profile).
    await expect(page.getByRole('heading', { name: /^Alert, sent / }).textContent()).resolves.toMatch(
      /^Alert, sent (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} E[SD]T$/,
    );

    // Carrier timeouts: 40 SMS wait 6 s for a retry, the alert is sending again; the sweeper and
    // the worker retry them and the page climbs back to 100 % by itself.
    // The operator is typing an update meanwhile: live figures never take the focus away.
    await page.getByLabel('What', { exact: true }).focus();
    await retryLater(firstAlert, 40, 6000);
    await page.getByText('40 (40 retrying)').first().waitFor({ timeout: 20_000 });
    const sending = (await totalText(page)) ?? '';
    expect(sending).not.toMatch(/100%/);
    await expect(page.locator('.al-status').textContent()).resolves.toBe('Sending');
    await page.getByRole('cell', { name: 'Carrier timeout' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-sending-desktop.png`, fullPage: true });
    const climb = [sending, ...(await watchToCompletion(page))];
    expect(climb.at(-1)).toMatch(/100%/);
    // Said politely when it got there (each channel's 50 % and 100 % are said once each).
    await page
      .locator('.al-dashboard [aria-live="polite"]')
      .filter({ hasText: 'Every message is out.' })
      .waitFor({ state: 'attached', timeout: 10_000 });
    await waitUntilSent(page);
    await expect(page.locator('.al-connection').textContent()).resolves.toBe('Live');
    await expect(hasFocus(page, '#al-fu-what')).resolves.toBe(true);

    const needsHelp = await answer(firstAlert);
    await page.getByRole('cell', { name: needsHelp }).waitFor({ timeout: 20_000 });
    // The row and the tally come from different parts of the page: wait for the tally itself.
    await expect
      .poll(() => page.locator('.al-answers').textContent(), { timeout: 20_000 })
      .toMatch(/Safe1Need help1/);
    await page.screenshot({ path: `${artefacts}/dashboard-sent-desktop.png`, fullPage: true });

    // An update, written and confirmed with the mouse.
    await page.getByLabel('What', { exact: true }).fill('The gas leak is contained');
    await page.getByRole('button', { name: 'Review the update' }).click();
    await page.getByRole('heading', { name: 'Send this update now?' }).waitFor();
    await expect(hasFocus(page, '.al-confirm h3')).resolves.toBe(true);
    await page.getByRole('button', { name: 'Send the update now' }).click();
    await page.getByRole('status').filter({ hasText: 'Update 1 sent.' }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('The gas leak is contained').waitFor();
    await page.getByRole('heading', { name: /^Update 1, sent/ }).waitFor({ timeout: 20_000 });
    await waitUntilSent(page);

    // The all-clear, with the keyboard only.
    await page.getByRole('radio', { name: 'The all-clear' }).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('What', { exact: true }).focus();
    await page.keyboard.type('All clear: the building is safe');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Send this all-clear now?' }).waitFor();
    // The review shows the words people will get (the server's rendering), not a placeholder.
    const review = await page.locator('.al-confirm').innerText();
    expect(review).toContain('MIT Alert: TEST - All clear: the building is safe.');
    expect(review).toContain('Reply STOP to opt out.');
    expect(review).not.toContain('template’s words');
    await page.keyboard.press('Tab');
    await expect(focusedText(page)).resolves.toBe('Send the all-clear now');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'All-clear sent.' }).waitFor();
    await timeline.getByText('All clear: the building is safe').waitFor();
    await page
      .locator('.al-dashboard [aria-live="polite"]')
      .filter({ hasText: 'All-clear sent.' })
      .waitFor({ state: 'attached', timeout: 20_000 });
    await page.getByRole('heading', { name: /^All clear, sent/ }).waitFor({ timeout: 20_000 });
    await waitUntilSent(page);

    // Close: the all-clear went out, so no reason is needed.
    await page.getByRole('button', { name: 'Close the alert…' }).click();
    await page.getByRole('button', { name: 'Close the alert now' }).click();
    await page.getByText('Closed', { exact: true }).first().waitFor();
    await page.getByText('Final figures').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('heading', { name: 'Send an update or the all-clear' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-closed-desktop.png`, fullPage: true });

    // The history finds it by words of its message.
    await page.getByRole('link', { name: 'All alerts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await page.getByLabel('Search').fill('drill one');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=drill/);
    const link = page.getByRole('link', { name: 'Shelter in place' });
    await link.waitFor();
    expect(await link.count()).toBe(1);
    await page.getByText('1 alert shown.', { exact: true }).waitFor({ state: 'attached' });
    await expect(page.getByRole('row').nth(1).textContent()).resolves.toMatch(/Closed · all clear/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/history-desktop.png`, fullPage: true });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${sys.url}/console/alerts/${firstAlert}`);
    expect(offsite).toEqual([]);
    await context.close();
  }, 240_000);

  it('keeps counting at phone width by polling while the stream is blocked, passes axe while sending and after, and fits 320 px', async () => {
    const { context, page } = await consoleContext(browser, sys.url!, viewports.phone);
    // Another operator: one TOTP code signs in once, and the first test used this step's.
    await signInToConsole(page, sys.url!, await makeOperator(sys.ctx, ['emergency_management']));
    await page.route('**/tracking/stream', (route) => route.abort());
    const alertId = await sendTestAlert('Dashboard drill two');
    await page.goto(`${sys.url}/console/alerts/${alertId}`);
    await page.getByText(/^Reconnecting/).waitFor();
    await watchToCompletion(page);
    await waitUntilSent(page);
    // While the fan-out is still finding recipients (as the polled tracking says here) there is no
    // percentage to show, only how many so far.
    await page.route('**/api/v1/alerts/*/tracking', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { messages: Array<{ fannedOut: boolean }> };
      for (const m of body.messages) m.fannedOut = false;
      await route.fulfill({ response, json: body });
    });
    await page.getByText(/^All messages: still finding recipients, [\d,]+ deliveries so far/).waitFor();
    expect(await page.locator('.al-percent').count()).toBe(0);
    await page.locator('.al-finding').first().waitFor();
    await page.unroute('**/api/v1/alerts/*/tracking');
    await watchToCompletion(page);
    await waitUntilSent(page);
    // Retries waiting, still without the stream: the polls show them, and their completion.
    await retryLater(alertId, 20, 8000);
    await page.getByText('20 (20 retrying)').first().waitFor({ timeout: 20_000 });
    await page.getByRole('cell', { name: 'Carrier timeout' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-sending-phone.png`, fullPage: true });
    expect(await overflowAt320(page)).toEqual([]);
    await watchToCompletion(page);
    await waitUntilSent(page);
    await expect(page.locator('.al-connection').textContent()).resolves.toMatch(/^Reconnecting/);
    await page.unroute('**/tracking/stream');
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-sent-phone.png`, fullPage: true });
    expect(await overflowAt320(page)).toEqual([]);

    // Refusals in words: the server's own message, and a proxy's page that is not JSON.
    const refusal = 'This alert is closed; updates go only to alerts that were sent and are not closed.';
    await page.route('**/api/v1/alerts/*/updates', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'invalid_transition', message: refusal } }),
      }),
    );
    await page.getByLabel('Actions', { exact: true }).fill('Use the east exit');
    await page.getByRole('button', { name: 'Review the update' }).click();
    await page.getByRole('button', { name: 'Send the update now' }).click();
    await page.getByRole('alert').filter({ hasText: refusal }).waitFor();
    await page.unroute('**/api/v1/alerts/*/updates');
    await page.route('**/api/v1/alerts/*/updates', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.getByRole('button', { name: 'Send the update now' }).click();
    await page.getByRole('alert').filter({ hasText: 'The server is not answering.' }).waitFor();
    await page.unroute('**/api/v1/alerts/*/updates');
    await page.getByRole('button', { name: 'Change it' }).click();

    // Closing without an all-clear needs a reason.
    await page.getByRole('button', { name: 'Close the alert…' }).click();
    await page.getByRole('alert').filter({ hasText: 'give the reason for closing without one' }).waitFor();
    await page.getByLabel(/^Reason/).fill('Drill ended; no all-clear needed');
    await page.getByRole('button', { name: 'Close the alert…' }).click();
    await page.getByRole('button', { name: 'Close the alert now' }).click();
    await page.getByText('Final figures').waitFor({ timeout: 20_000 });
    await page
      .getByRole('region', { name: 'Timeline' })
      .getByText(/Drill ended/)
      .waitFor();

    await page.goto(`${sys.url}/console/alerts?tests=only`);
    await page.getByRole('link', { name: 'Shelter in place' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/history-phone.png`, fullPage: true });
    expect(await overflowAt320(page)).toEqual([]);
    await page.getByLabel('Search').fill('no alert says this');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No alerts match these filters.').waitFor();
    await page.getByLabel('Sent from').fill('2025-03-05');
    await page.getByLabel('Sent to (inclusive)').fill('2025-03-01');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/ends before it starts/);
    await context.close();
  }, 180_000);

  it('shows a viewer the dashboard without update, all-clear or close controls or the need-help list, and the history a page at a time', async () => {
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, viewer);
    await page.goto(`${sys.url}/console/alerts/${firstAlert}`);
    await page.getByRole('heading', { level: 1, name: /Shelter in place/ }).waitFor();
    await page.locator('.al-answers').getByText('Need help').waitFor();
    expect(await page.getByRole('heading', { name: 'People who need help' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Send an update or the all-clear' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Close the alert' }).count()).toBe(0);
    expect(
      await page
        .getByRole('button')
        .filter({ hasText: /update|all-clear|Close/ })
        .count(),
    ).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-viewer-desktop.png`, fullPage: true });

    // The history a page at a time: 26 more copies of the first alert make two pages of 25.
    await copyAlert(firstAlert, 26);
    await page.goto(`${sys.url}/console/alerts`);
    const rows = page.locator('.al-history tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    await page.getByRole('button', { name: 'Older alerts →' }).click();
    await page.waitForURL(/cursor=/);
    await page.getByRole('button', { name: '← Newer alerts' }).waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Older alerts →' }).count()).toBe(0);
    await page.getByRole('button', { name: '← Newer alerts' }).click();
    await page.getByRole('button', { name: 'Older alerts →' }).waitFor();
    await expect.poll(() => rows.count()).toBe(25);
    await context.close();
  }, 60_000);
});
