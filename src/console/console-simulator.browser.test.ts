import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import { consoleContext, signInToConsole, startConsoleBrowser } from '../../test/support/console.js';
import { makeOperator } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';
import { drainCallbacks } from '../sim/sim.test-support.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

/**
 * The whole path a new emergency manager takes, in Chromium against the provider simulator (real
 * Twilio-shaped SMS and voice with signed status callbacks, a real SMTP server): sign in, send a
 * test shelter-in-place for one building from the console, watch every channel reach 100 % on the
 * dashboard, send an update and the all-clear from the same screen, find the alert in the history.
 */
const artefacts = 'test-artifacts/console/simulator';
let sim: Simulator;
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callsPerSecond: 0, callbackDelayMs: 1 });
  ({ sys, browser, close } = await startConsoleBrowser({
    artefacts,
    work: true,
    env: sim.environment,
    demoPeople: 3000,
  }));
  // Receipts must come back to the test server's own port.
  sys.ctx.config.publicUrl = sys.url!;
}, 120_000);
afterAll(async () => {
  await close?.();
  await sim?.stop();
});

/** Every channel card on the dashboard says 100 % and the alert's status is Sent. */
async function allChannelsDone(page: Page, timeoutMs = 90_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let percents: string[] = [];
  while (Date.now() < deadline) {
    percents = await page.locator('.al-percent strong').allTextContents();
    const status = await page.locator('.al-status').textContent();
    if (status === 'Sent' && percents.length > 0 && percents.every((p) => p === '100%')) return percents;
    await page.waitForTimeout(250);
  }
  throw new Error(`not every channel reached 100%: ${percents.join(', ')}`);
}

/** The alert's deliveries that reached a provider, by channel and status. */
async function deliveriesOf(alertId: string) {
  return sys.ctx.db
    .selectFrom('deliveries')
    .select(['channel', 'status'])
    .where('alert_id', '=', alertId)
    .where('status', '!=', 'suppressed')
    .execute();
}

describe.skipIf(browserMissing)('the console against the provider simulator', () => {
  it('sends a test shelter-in-place for W20, follows it to 100 %, sends an update and the all-clear', async () => {
    const manager = await makeOperator(sys.ctx, ['emergency_management']);
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, manager);

    await page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
    await page.getByRole('radio', { name: /^Test\b/ }).check();
    const who = page.getByRole('combobox', { name: /Who receives it/ });
    await who.fill('W20');
    await who.press('Enter');
    await page.getByRole('button', { name: 'Review before sending' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review and send' }).waitFor();
    await page.screenshot({ path: `${artefacts}/review-desktop.png`, fullPage: true });
    await page.getByRole('button', { name: 'Send test alert now' }).click();
    await page.waitForURL(/\/console\/alerts\/[0-9a-f-]{36}$/);
    const alertId = page.url().split('/').at(-1)!;

    const percents = await allChannelsDone(page);
    expect(percents.length).toBeGreaterThanOrEqual(3);
    await drainCallbacks(sim);
    const rows = await deliveriesOf(alertId);
    expect(rows.filter((r) => r.channel === 'sms').length).toBeGreaterThan(5);
    const channels = new Set(rows.map((r) => r.channel));
    // Voice only where the building's people have a voice number (the demo campus gives few).
    for (const channel of ['sms', 'email']) expect(channels.has(channel), channel).toBe(true);
    // Through the real protocols: each delivery reached the simulator exactly once (office
    // phones are called through the voice provider, so the simulator counts them as calls).
    const stats = sim.stats().channels;
    const carriedBy = { sms: ['sms'], voice: ['voice', 'office_phones'], email: ['email'] };
    for (const channel of ['sms', 'voice', 'email'] as const) {
      expect(stats[channel].uniqueDeliveryIds, channel).toBe(
        rows.filter((r) => carriedBy[channel].includes(r.channel)).length,
      );
      expect(stats[channel].duplicates, channel).toBe(0);
    }
    expect(rows.every((r) => ['delivered', 'sent'].includes(r.status))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-done-desktop.png`, fullPage: true });
    await page.setViewportSize(viewports.phone);
    await page.screenshot({ path: `${artefacts}/dashboard-done-phone.png`, fullPage: true });
    await page.setViewportSize(viewports.desktop);

    await page.getByLabel('What', { exact: true }).fill('The gas leak near W20 is contained');
    await page.getByRole('button', { name: 'Review the update' }).click();
    await page.getByRole('button', { name: 'Send the update now' }).click();
    await page.getByRole('status').filter({ hasText: 'Update 1 sent.' }).waitFor();
    await page.getByRole('heading', { name: /^Update 1, sent/ }).waitFor({ timeout: 30_000 });
    await allChannelsDone(page);

    await page.getByRole('radio', { name: 'The all-clear' }).check();
    await page.getByLabel('What', { exact: true }).fill('All clear: W20 is safe');
    await page.getByRole('button', { name: /^Review the all-clear/ }).click();
    await page.getByRole('button', { name: 'Send the all-clear now' }).click();
    await page.getByRole('status').filter({ hasText: 'All-clear sent.' }).waitFor();
    await page.getByRole('heading', { name: /^All clear, sent/ }).waitFor({ timeout: 30_000 });
    await allChannelsDone(page);
    await drainCallbacks(sim);
    const messages = await sys.ctx.db
      .selectFrom('alert_messages')
      .select(['message_type'])
      .where('alert_id', '=', alertId)
      .orderBy('sequence')
      .execute();
    expect(messages.map((m) => m.message_type)).toEqual(['alert', 'update', 'all_clear']);
    const final = await deliveriesOf(alertId);
    expect(final.every((r) => ['delivered', 'sent'].includes(r.status))).toBe(true);
    for (const channel of ['sms', 'voice', 'email'] as const)
      expect(sim.stats().channels[channel].duplicates).toBe(0);
    await page.screenshot({ path: `${artefacts}/dashboard-all-clear-desktop.png`, fullPage: true });

    await page.getByRole('link', { name: 'Alerts', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await page.getByRole('link', { name: 'Shelter in place' }).first().waitFor();
    await page.screenshot({ path: `${artefacts}/history-desktop.png`, fullPage: true });
    expect(offsite).toEqual([]);
    await context.close();
  }, 240_000);
});
