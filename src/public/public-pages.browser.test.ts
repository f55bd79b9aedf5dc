import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedMessagesFingerprint } from '../alerts/published-messages.queries.js';
import { levelColors } from '../alerts/rendering/level.js';
import { browserMissing, launchChromium } from '../../test/support/browser.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { exportPublicSite } from './export-public-site.js';
import {
  axeViolations,
  focusProblems,
  recordOffsiteRequests,
  reflowProblems,
  rgb,
  serveDirectory,
  signageDisplay,
  signageShows,
  viewports,
} from './public-browser.test-support.js';
import { publicSiteCacheFor } from './public-site-caches.js';
import { allClearTestAlert, closeTestAlert, sendTestAlert, updateTestAlert } from './public.test-support.js';

let sys: TestSystem;
let browser: Browser;
/** Contexts of pages the tests still read after checking them; closed at the end. */
const checked: BrowserContext[] = [];
let emergencyId: string;
const artefacts = 'test-artifacts/public';
const { emergency, all_clear: allClear, info } = levelColors;
const scratch = () => {
  mkdirSync('.test-data', { recursive: true });
  return mkdtempSync(path.resolve('.test-data', 'mirror-'));
};

/** A fresh context on the test server, and the requests its pages make anywhere else. */
async function openPage(options: Parameters<Browser['newContext']>[0]) {
  const context = await browser.newContext(options);
  const offsite = recordOffsiteRequests(context, new URL(sys.url!).origin);
  return { context, page: await context.newPage(), offsite };
}

/**
 * Wait until this process's public site has loaded the latest change. (One check() is not enough:
 * it returns at once while the half-second poll's check, which may predate the change, runs.)
 */
async function settle(): Promise<void> {
  const cache = publicSiteCacheFor(sys.ctx);
  const latest = await publishedMessagesFingerprint(sys.ctx.db);
  await expect
    .poll(async () => (await cache.check(), (await cache.current()).site.fingerprint), {
      timeout: 5000,
      interval: 50,
    })
    .toBe(latest);
}

/**
 * Open a page and hold it to the site's promises: `shows` is on it; axe finds no WCAG 2.x A/AA
 * violation at phone or desktop width; a full-page screenshot at each; nothing scrolls sideways or
 * is cut off at 320 px (1280 px at 400%) or 640 px (200%); nothing was asked of another origin.
 */
async function checkPage(name: string, sitePath: string, shows: string): Promise<Page> {
  // A fresh context each time, as a first visit: the pages are cacheable for max-age=5 with
  // stale-while-revalidate=30, so a context that had / before a send may show it from its cache.
  const { context, page, offsite } = await openPage({ viewport: viewports.phone });
  checked.push(context);
  await page.goto(`${sys.url}/${sitePath}`);
  await expect(page.locator('body').innerText(), name).resolves.toContain(shows);
  for (const viewport of [viewports.phone, viewports.desktop]) {
    await page.setViewportSize(viewport);
    expect(await axeViolations(page), `${name} at ${viewport.width} px`).toEqual([]);
    await page.screenshot({ path: `${artefacts}/${name}-${viewport.width}.png`, fullPage: true });
  }
  for (const viewport of [viewports.zoom400, viewports.zoom200]) {
    await page.setViewportSize(viewport);
    expect(await reflowProblems(page), `${name} at ${viewport.width} px`).toEqual([]);
  }
  await page.screenshot({ path: `${artefacts}/${name}-${viewports.zoom200.width}.png`, fullPage: true });
  expect(offsite, name).toEqual([]);
  return page;
}

describe.skipIf(browserMissing)('the public site in a browser', () => {
  beforeAll(async () => {
    sys = await startTestSystem();
    browser = await launchChromium();
    mkdirSync(artefacts, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    for (const context of checked) await context.close();
    await browser?.close();
    await sys?.close();
  });

  it('shows normal operations, an empty archive and a calm display, accessible from 320 px to desktop', async () => {
    await checkPage('home-normal', '', 'Normal operations');
    await checkPage('archive-empty', 'archive/index.html', 'No alerts match these filters.');
    const signage = await checkPage('signage-calm', 'signage.html', 'No active emergency.');
    expect((await signageDisplay(signage)).background).toBe(rgb(info.background));
  });

  it('shows an emergency and its update in English and Spanish, its page, the archive and the display', async () => {
    emergencyId = await sendTestAlert(sys.ctx, {
      hazard: 'shelter_in_place',
      kind: 'emergency',
      where: 'Building W20 (Student Center)',
    });
    await updateTestAlert(
      sys.ctx,
      emergencyId,
      'Stay inside; police are clearing the building floor by floor.',
    );
    await settle();
    const home = await checkPage('home-emergency', '', 'Active emergency');
    await expect(home.locator('main').innerText()).resolves.toContain('police are clearing the building');
    // /?lang=es, as a new visitor would type it: the title, the contacts and the Dial 100 note in Spanish.
    const spanish = await checkPage('home-es', '?lang=es', 'Emergencia activa');
    const main = await spanish.locator('main').innerText();
    expect(main).toContain('VigenteRefúgiese en el lugar\n');
    expect(main).toContain('Policía del MIT (emergencias)');
    expect(main).toContain('Marque 100 desde un teléfono del MIT');
    expect(main).not.toMatch(/Dial 100|MIT Police \(/);
    await checkPage('alert-es', `alerts/${emergencyId}?lang=es`, 'Refúgiese en el lugar');
    await checkPage('alert', `alerts/${emergencyId}.html`, 'Building W20 (Student Center)');
    await checkPage('archive-index', 'archive/index.html', 'Shelter in place');
    await checkPage('archive-emergency', 'archive/emergency.html', 'Shelter in place');
    const signage = await checkPage('signage-emergency', 'signage.html', 'Building W20 (Student Center)');
    expect((await signageDisplay(signage)).background).toBe(rgb(emergency.background));
    // A time for people, not an ISO timestamp in UTC.
    await expect(signage.locator('#updated').innerText()).resolves.toMatch(/^\w+day, \w+ \d+, \d{4} at /);
    // Eight pages, each with two axe runs and four widths: 78 s on a loaded machine (30 s was not enough).
  }, 120_000);

  it('can be used from the keyboard: a skip link, and a focus ring that stands out on every link', async () => {
    for (const sitePath of ['', `alerts/${emergencyId}.html`, 'archive/emergency.html']) {
      const { context, page } = await openPage({ viewport: viewports.phone });
      await page.goto(`${sys.url}/${sitePath}`);
      const { stops, problems } = await focusProblems(page);
      expect(problems, sitePath || '/').toEqual([]);
      expect(stops, sitePath || '/').toBeGreaterThan(5);
      await page.goto(`${sys.url}/${sitePath}`);
      await page.keyboard.press('Tab');
      await expect
        .poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("href")'))
        .toBe('#main');
      await page.keyboard.press('Enter');
      // The jump is a same-page navigation: wait for it rather than read the URL at once.
      await expect.poll(() => new URL(page.url()).hash).toBe('#main');
      await context.close();
    }
  });

  it('shows the emergency with JavaScript off: the banner, the alert and what to do, and no script', async () => {
    const { context, page, offsite } = await openPage({
      javaScriptEnabled: false,
      viewport: viewports.phone,
    });
    await page.goto(`${sys.url}/`);
    const banner = page.locator('section.banner');
    await expect(banner.getAttribute('class')).resolves.toBe('banner emergency');
    await expect(banner.locator('h1').innerText()).resolves.toBe('Active emergency');
    const card = page.locator('article.card', { hasText: 'Building W20 (Student Center)' });
    await expect(card.innerText()).resolves.toContain('What to do');
    await expect(card.innerText()).resolves.toContain('police are clearing the building floor by floor');
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: `${artefacts}/home-emergency-no-javascript-390.png`, fullPage: true });
    await context.close();
    expect(offsite).toEqual([]);
  });

  it('shows the all-clear', async () => {
    await allClearTestAlert(sys.ctx, emergencyId);
    await settle();
    const page = await checkPage('home-all-clear', '', 'The emergency is over.');
    await expect(page.locator('section.banner').getAttribute('class')).resolves.toBe('banner all_clear');
  });

  it('changes the display on its own within 2 s of a send, again at the all-clear, and keeps it at the close', async () => {
    const { context, page, offsite } = await openPage({ viewport: viewports.desktop });
    const stream = page.waitForResponse((r) => r.url().includes('/signage/events'));
    await page.goto(`${sys.url}/signage.html`);
    await stream;
    const started = Date.now();
    const fireId = await sendTestAlert(sys.ctx, {
      hazard: 'fire',
      kind: 'emergency',
      where: 'Building 7 lobby',
    });
    await signageShows(page, 'Building 7 lobby', emergency.background, 5000);
    const onScreenMs = Date.now() - started;
    console.info(`signage over server-sent events: send to screen in ${onScreenMs} ms`);
    expect(onScreenMs).toBeLessThan(2000);
    expect((await signageDisplay(page)).headline).toMatch(/Fire/);
    await page.screenshot({ path: `${artefacts}/signage-live-emergency-1280.png` });

    await allClearTestAlert(sys.ctx, fireId);
    await signageShows(page, 'Building 7 lobby', allClear.background, 5000);
    await page.screenshot({ path: `${artefacts}/signage-live-all-clear-1280.png` });
    // Closing keeps the all-clear up for publicSite.allClearShownHours, so displays can take it down.
    await closeTestAlert(sys.ctx, fireId);
    await settle();
    await page.waitForTimeout(500);
    const closed = await signageDisplay(page);
    expect(closed.background).toBe(rgb(allClear.background));
    expect(closed.text).toContain('Building 7 lobby');
    await context.close();
    expect(offsite).toEqual([]);
  });

  it('changes the display by polling signage.json when the event stream is blocked', async () => {
    const { context, page, offsite } = await openPage({ viewport: viewports.desktop });
    await page.route('**/signage/events**', (route) => route.abort());
    await page.goto(`${sys.url}/signage.html`);
    const started = Date.now();
    const leakId = await sendTestAlert(sys.ctx, {
      hazard: 'hazardous_materials',
      kind: 'emergency',
      where: 'Building 18 chemistry wing',
    });
    await signageShows(page, 'Building 18 chemistry wing', emergency.background, 5000);
    console.info(`signage polling signage.json: send to screen in ${Date.now() - started} ms`);
    await allClearTestAlert(sys.ctx, leakId);
    await signageShows(page, 'Building 18 chemistry wing', allClear.background, 5000);
    await context.close();
    expect(offsite).toEqual([]);
  });

  it('opens the static mirror from disk: the active alert, its page, the archive and back', async () => {
    const alertId = await sendTestAlert(sys.ctx, {
      hazard: 'evacuate',
      kind: 'emergency',
      where: 'Building 32 (Stata Center)',
    });
    const dir = scratch();
    await exportPublicSite(sys.ctx, dir);
    const fileUrl = (...parts: string[]) => pathToFileURL(path.join(dir, ...parts)).href;
    const context = await browser.newContext({ viewport: viewports.phone });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();

    await page.goto(fileUrl('index.html'));
    await expect(page.locator('section.banner').getAttribute('class')).resolves.toBe('banner emergency');
    const card = page.locator('article.card', { hasText: 'Building 32 (Stata Center)' });
    await card.getByRole('link', { name: 'Permanent link' }).click();
    await page.waitForURL(fileUrl('alerts', `${alertId}.html`));
    await expect(page.locator('main').innerText()).resolves.toContain('Building 32 (Stata Center)');
    await page.getByRole('link', { name: 'Alert archive' }).click();
    await page.waitForURL(fileUrl('archive', 'index.html'));
    await page.getByRole('link', { name: 'Emergency', exact: true }).click();
    await page.waitForURL(fileUrl('archive', 'emergency.html'));
    await expect(page.locator('h1').innerText()).resolves.toBe('Alert archive: Emergency');
    await page.screenshot({ path: `${artefacts}/mirror-archive-from-disk-390.png`, fullPage: true });
    await page.getByRole('link', { name: 'Emergency information', exact: true }).click();
    await page.waitForURL(fileUrl('index.html'));
    await page.goBack();
    await page.waitForURL(fileUrl('archive', 'emergency.html'));
    await context.close();
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(requests.filter((url) => !url.startsWith(pathToFileURL(dir).href))).toEqual([]);
  });

  it("keeps a served mirror's display current by polling signage.json after each export", async () => {
    const dir = scratch();
    await exportPublicSite(sys.ctx, dir);
    const mirror = await serveDirectory(dir);
    const context = await browser.newContext({ viewport: viewports.desktop });
    try {
      const offsite = recordOffsiteRequests(context, mirror.url);
      const page = await context.newPage();
      const polled = page.waitForRequest((r) => r.url() === `${mirror.url}/signage.json`);
      await page.goto(`${mirror.url}/signage.html`);
      await polled;
      await signageShows(page, 'Building 32 (Stata Center)', emergency.background, 1000);
      const started = Date.now();
      await sendTestAlert(sys.ctx, { hazard: 'fire', kind: 'emergency', where: 'Building 13 loading dock' });
      await exportPublicSite(sys.ctx, dir);
      await signageShows(page, 'Building 13 loading dock', emergency.background, 5000);
      console.info(`mirrored signage: send and export to screen in ${Date.now() - started} ms`);
      await context.close();
      expect(offsite).toEqual([]);
    } finally {
      await context.close();
      await mirror.close();
    }
  });
});
