import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import {
  consoleContext,
  consoleReflowProblems,
  signInToConsole,
  startConsoleBrowser,
} from '../../test/support/console.js';
import { makeOperator, type TestOperator } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';
import { reachScenario } from './tracking/alert-reach.test-support.js';

const artefacts = 'test-artifacts/console/reach';
let sys: TestSystem;
let browser: Browser;
let manager: TestOperator;
let viewer: TestOperator;
let scenario: Awaited<ReturnType<typeof reachScenario>>;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts, demoPeople: 12 }));
  manager = await makeOperator(sys.ctx, ['emergency_management']);
  viewer = await makeOperator(sys.ctx, ['viewer']);
  scenario = await reachScenario(sys.ctx);
}, 120_000);
afterAll(() => close?.());

describe.skipIf(browserMissing)('alerts in force, who was not reached, and the reports', () => {
  it('takes an emergency manager from the start page to the all-clear, the unreached and a re-send', async () => {
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.phone);
    await signInToConsole(page, sys.url!, manager);
    const inForce = page.getByRole('region', { name: 'Alerts in force' });
    await inForce.getByRole('link', { name: 'Send the all-clear' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/start-page-in-force.png`, fullPage: true });
    await inForce.getByRole('link', { name: 'Send the all-clear' }).click();

    await page.waitForURL(`**/console/alerts/${scenario.alertId}?follow-up=all_clear`);
    expect(await page.getByRole('radio', { name: 'The all-clear' }).isChecked()).toBe(true);
    await page.waitForFunction("document.activeElement?.id === 'al-fu-what'");

    const reach = page.getByRole('region', { name: 'Who has not been reached' });
    await reach.getByText('1 reached').waitFor();
    await reach.getByRole('cell', { name: scenario.a.name }).waitFor();
    expect(await reach.textContent()).toContain('Provider down');
    expect(await reach.textContent()).not.toContain(scenario.a.sms);
    expect(await axeViolations(page)).toEqual([]);
    expect(await consoleReflowProblems(page, '.table-scroll')).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-reach.png`, fullPage: true });

    await reach.getByRole('button', { name: 'Re-send to the unreached…' }).click();
    await reach.getByRole('button', { name: 'Re-send now' }).click();
    await page.getByText('Re-sent to 2 people (2 deliveries, round 1).').waitFor();

    const reports = page.getByRole('region', { name: 'Reports' });
    const csv = reports.getByRole('link', { name: 'Every delivery (CSV)' });
    expect(await csv.getAttribute('href')).toBe(`/api/v1/alerts/${scenario.alertId}/deliveries.csv`);
    await reports.getByRole('link', { name: 'After-action summary', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /^After-action summary/ }).waitFor();
    expect(await page.textContent('body')).toContain('1 of 5 people reached');
    expect(await axeViolations(page)).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows a viewer the alerts in force and the counts, without follow-ups, names or the CSV', async () => {
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, viewer);
    const inForce = page.getByRole('region', { name: 'Alerts in force' });
    await inForce.getByRole('link', { name: 'Open its dashboard' }).first().click();
    const reach = page.getByRole('region', { name: 'Who has not been reached' });
    await reach.getByText('of 5 people').waitFor();
    expect(await reach.getByRole('table').count()).toBe(0);
    expect(await reach.getByRole('button', { name: /Re-send/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Every delivery (CSV)' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'After-action summary (PDF)' }).count()).toBe(1);
    await context.close();
  });
});
