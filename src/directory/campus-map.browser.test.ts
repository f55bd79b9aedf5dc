import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import {
  consoleContext,
  consoleReflowProblems,
  signInToConsole,
  startConsoleBrowser,
} from '../../test/support/console.js';
import { makeOperator, signedInAs } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { templateIdsFor } from '../../test/support/templates.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';

// A file of its own: the send-flow and dashboard browser tests were being rewritten by other work
// when this was written. One system, no workers (the dashboard shows an alert before it fans out).
const artefacts = 'test-artifacts/console/map';
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts, demoPeople: 30 }));
}, 120_000);
afterAll(() => close?.());

const place = (page: Page, code: string) => page.locator(`.campus-map path[data-code="${code}"]`);
const box = (page: Page, code: string) =>
  place(page, code)
    .boundingBox()
    .then((b) => b!);
const chosenFill = '#a4161a';

describe.skipIf(browserMissing)('the campus map in Chromium', () => {
  it('chooses buildings by drawing an area, by clicking and from the keyboard list, and shows the audience on the dashboard, all from Tocsin’s origin', async () => {
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.desktop);
    page.setDefaultTimeout(15_000);
    await signInToConsole(page, sys.url!, await makeOperator(sys.ctx, ['emergency_management']));
    await page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
    await page.getByRole('radio', { name: /^Test\b/ }).check();
    const scripts = await page.evaluate<string[]>(
      "performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js'))",
    );
    expect(scripts.some((s) => s.includes('CampusMapPanel'))).toBe(false);

    await page.getByRole('button', { name: 'Choose on the campus map' }).click();
    await place(page, 'W20').waitFor();

    // The mouse works in the viewport: the whole map in sight first.
    await page.locator('.campus-map').evaluate((map) => map.scrollIntoView({ block: 'center' }));
    // Draw an area around W16 and W20 (the demo campus puts them side by side in West Campus):
    // both centres are inside it, W15's is not.
    const a = await box(page, 'W16');
    const b = await box(page, 'W20');
    const left = Math.min(a.x, b.x) - 3;
    const top = Math.min(a.y, b.y) - 3;
    const right = Math.max(a.x + a.width, b.x + b.width) + 3;
    const bottom = Math.max(a.y + a.height, b.y + b.height) + 3;
    await page.getByRole('button', { name: 'Draw an area' }).click();
    for (const [x, y] of [
      [left, top],
      [right, top],
      [right, bottom],
      [left, bottom],
    ] as const)
      await page.mouse.click(x, y);
    await page.getByText('4 so far').waitFor();
    await page.getByRole('button', { name: 'Choose the buildings inside' }).click();
    const list = page.getByRole('group', { name: 'Buildings and residence halls' });
    await expect(list.getByRole('checkbox', { name: 'W16 — Kresge Auditorium' }).isChecked()).resolves.toBe(
      true,
    );
    await expect(
      list.getByRole('checkbox', { name: 'W20 — Stratton Student Center' }).isChecked(),
    ).resolves.toBe(true);
    await expect(list.getByRole('checkbox', { name: 'W15 — MIT Chapel' }).isChecked()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Remove Building W20 (Stratton Student Center)' }).waitFor();
    await expect(place(page, 'W20').getAttribute('fill')).resolves.toBe(chosenFill);
    await expect(place(page, 'W15').getAttribute('fill')).resolves.not.toBe(chosenFill);

    // A click on a building takes it out again.
    const w16 = await box(page, 'W16');
    await page.mouse.click(w16.x + w16.width / 2, w16.y + w16.height / 2);
    await expect(list.getByRole('checkbox', { name: 'W16 — Kresge Auditorium' }).isChecked()).resolves.toBe(
      false,
    );

    // The list from the keyboard: Space ticks MIT Police's building, Tab goes on to the next.
    const police = list.getByRole('checkbox', { name: 'W89 — MIT Police' });
    await police.focus();
    await page.keyboard.press('Space');
    await expect(police.isChecked()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await expect(
      page.evaluate<string | null>('document.activeElement?.parentElement?.textContent ?? null'),
    ).resolves.toBe('W98 — W98 (Offices)');
    await page.getByRole('button', { name: 'Remove Building W89 (MIT Police)' }).waitFor();
    await expect(place(page, 'W89').getAttribute('fill')).resolves.toBe(chosenFill);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/composer-map-desktop.png`, fullPage: true });

    // An alert to those two (sent through the API: the composer's sending is the send-flow test's),
    // and its dashboard shows the audience on its own map, read-only.
    const sender = await signedInAs(sys, ['emergency_management']);
    const [shelter] = await templateIdsFor(sys, sender.headers, 'shelter_in_place');
    const sent = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: sender.headers,
      payload: {
        templateId: shelter,
        kind: 'test',
        where: 'Buildings W20 and W89',
        audience: { locationCodes: ['W20', 'W89'] },
        audienceReason: 'Campus map browser test',
        channels: ['sms'],
      },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    await page.goto(`${sys.url}/console/alerts/${sent.json().alertId}`);
    await page.getByRole('button', { name: 'Show the audience on the campus map' }).click();
    await place(page, 'W20').waitFor();
    const audience = page.getByRole('list', { name: 'Audience on the map' });
    await expect(audience.getByRole('listitem').allTextContents()).resolves.toEqual([
      'W20 — Stratton Student Center (building)',
      'W89 — MIT Police (building)',
    ]);
    await expect(place(page, 'W20').getAttribute('fill')).resolves.toBe(chosenFill);
    await expect(place(page, 'W16').getAttribute('fill')).resolves.not.toBe(chosenFill);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-map-desktop.png`, fullPage: true });
    // At 320 px (400 % zoom) the page and the list fit without sideways scrolling. The map itself
    // clips what it pans over, as WCAG 1.4.10 allows a map (two-dimensional content).
    await page.setViewportSize(viewports.zoom400);
    await place(page, 'W20').waitFor();
    expect(await consoleReflowProblems(page, '.campus-map')).toEqual([]);
    await page.screenshot({ path: `${artefacts}/dashboard-map-320.png`, fullPage: true });
    expect(offsite).toEqual([]);
    await context.close();
  }, 120_000);
});
