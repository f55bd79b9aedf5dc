import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import { consoleContext, signInToConsole, startConsoleBrowser } from '../../test/support/console.js';
import { makeOperator } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { ManualClock } from '../platform/clock.js';
import { viewports } from '../public/public-browser.test-support.js';

// Time moves on both sides without sleeping: the server's ManualClock, and the pages' own clock
// (Playwright's fake timers), four minutes at a time, the console's keep-alive period.
const clock = new ManualClock();
const step = 4 * 60_000;
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts: 'test-artifacts/console', clock }));
});
afterAll(() => close?.());

const isPing = (url: string) => new URL(url).pathname === '/api/v1/auth/session';

/** Count each page's successful session checks (the keep-alive's requests) from now on. */
function countPings(pages: Page[]): Map<Page, number> {
  const counts = new Map(pages.map((p) => [p, 0]));
  for (const page of pages)
    page.on('response', (r) => {
      if (isPing(r.url()) && r.status() === 200) counts.set(page, counts.get(page)! + 1);
    });
  return counts;
}

describe.skipIf(browserMissing)('the console keeps its session while an alert is being written', () => {
  it(
    'renews the session through 40 quiet minutes with a draft open, and lets an idle one end',
    { timeout: 120_000 },
    async () => {
      const idleMinutes = sys.ctx.profile.security.session.idleMinutes;
      const writer = await makeOperator(sys.ctx, ['emergency_management']);
      const idler = await makeOperator(sys.ctx, ['emergency_management']);
      const a = await consoleContext(browser, sys.url!, viewports.desktop);
      const b = await consoleContext(browser, sys.url!, viewports.desktop);
      for (const { context } of [a, b]) await context.clock.install();
      await signInToConsole(a.page, sys.url!, writer);
      await signInToConsole(b.page, sys.url!, idler);
      // The writer opens a template and starts typing, then stops (a phone call, a radio check).
      await a.page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
      await a.page.getByLabel('What is happening').fill('Police activity at Building 32.');

      const pings = countPings([a.page, b.page]);
      for (let minutes = 4; minutes <= 40; minutes += 4) {
        clock.advance(step);
        // The writer's console renews the session at every step, while the draft is open.
        const renewal = a.page.waitForResponse((r) => isPing(r.url()), { timeout: 15_000 });
        await Promise.all([a.page.clock.fastForward(step), b.page.clock.fastForward(step)]);
        expect((await renewal).status(), `at ${minutes} minutes`).toBe(200);
      }
      expect(40).toBeGreaterThan(idleMinutes); // longer than the idle limit (MIT: 30 minutes)
      await b.page.waitForTimeout(1_000); // a late check of the idle page would still be counted
      // The idle console renewed only while it had been used in the last 10 minutes (at 4 and 8).
      expect(Object.fromEntries([...pings].map(([p, n]) => [p === a.page ? 'writer' : 'idle', n]))).toEqual({
        writer: 10,
        idle: 2,
      });

      // 40 minutes on, the writer carries on without signing in again: the alert history loads.
      const history = a.page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/api/v1/alerts' && r.request().method() === 'GET',
        { timeout: 15_000 },
      );
      await a.page.getByRole('link', { name: 'Alerts' }).first().click();
      expect((await history).status()).toBe(200);
      await a.page.getByText('No alerts have been sent yet.').waitFor();
      await expect(a.page.getByRole('dialog').count()).resolves.toBe(0);
      // The idle console's session ended; its next request asks to sign in again.
      await b.page.getByRole('link', { name: 'Alerts' }).first().click();
      await expect(b.page.getByRole('dialog').getByRole('heading').textContent()).resolves.toBe(
        'Sign in again to continue',
      );
      await a.context.close();
      await b.context.close();
    },
  );
});
