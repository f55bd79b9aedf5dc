import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../../test/support/browser.js';
import { consoleContext, signInToConsole, startConsoleBrowser } from '../../../test/support/console.js';
import { makeOperator } from '../../../test/support/operators.js';
import type { TestSystem } from '../../../test/support/system.js';
import { axeViolations, viewports } from '../../public/public-browser.test-support.js';

const artefacts = 'test-artifacts/console/schedules';
let sys: TestSystem;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts, demoPeople: 60 }));
}, 120_000);
afterAll(() => close?.());

/** A datetime-local value (the browser runs in this process's time zone). */
function localDateTime(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

describe.skipIf(browserMissing)('scheduling a test in the console', () => {
  it('schedules a yearly test from the review step, lists it and cancels it', async () => {
    const op = await makeOperator(sys.ctx, ['emergency_management']);
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    page.setDefaultTimeout(10_000);
    await signInToConsole(page, sys.url!, op);
    await page.getByRole('link', { name: 'Shelter in place', exact: true }).click();
    await page.getByRole('radio', { name: /^Test\b/ }).check();
    const search = page.getByRole('combobox', { name: /Who receives it/ });
    await search.fill('W20');
    await search.press('Enter');
    await page.getByRole('button', { name: 'Review before sending' }).click();
    const firesAt = new Date(Date.now() + 2 * 86_400_000);
    await page.getByLabel('Date and time').fill(localDateTime(firesAt));
    await page.getByLabel('Every year on this day and time').check();
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByRole('link', { name: 'See the scheduled sends' }).click();

    await page.getByRole('heading', { name: /^Test: Shelter in place/ }).waitFor();
    // The day and time of the institution's time zone, whatever the browser's.
    const [day, time] = new Intl.DateTimeFormat('en-GB', {
      timeZone: sys.ctx.profile.institution.timezone,
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(firesAt)
      .split(', ');
    expect(await page.getByText(`Every year, on day ${day} at ${time}`).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artefacts}/schedules.png`, fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel this send' }).click();
    await page.getByText(`Cancelled by ${op.username}`).waitFor();

    const stored = await sys.ctx.db.selectFrom('alert_schedules').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'cancelled', kind: 'test', recurrence: { everyMonths: 12 } });
    expect(await sys.ctx.db.selectFrom('alerts').select('id').execute()).toEqual([]);
    await context.close();
  }, 60_000);
});
