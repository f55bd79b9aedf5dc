import type { Clock } from '../../src/platform/clock.js';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generateDemoCampus } from '../../src/directory/demo/generate-demo-campus.js';
import { systemActor } from '../../src/platform/actor.js';
import { reflowProblems } from '../../src/public/public-browser.test-support.js';
import { launchChromium } from './browser.js';
import { totpCode, type TestOperator } from './operators.js';
import { startTestSystem, type TestSystem } from './system.js';

/** A console browser test's system and browser, and how to stop both. */
export interface ConsoleBrowserSuite {
  sys: TestSystem;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * What a console browser test starts in its beforeAll: the screenshot folder `artefacts`, a
 * system (with workers when `work`, with `env`), a demo campus of `demoPeople` people when asked
 * for, and Chromium.
 */
export async function startConsoleBrowser(options: {
  artefacts: string;
  work?: boolean;
  env?: Record<string, string>;
  demoPeople?: number;
  /** The server's clock (a ManualClock moves its time without sleeping). */
  clock?: Clock;
}): Promise<ConsoleBrowserSuite> {
  mkdirSync(options.artefacts, { recursive: true });
  const sys = await startTestSystem({ work: options.work, env: options.env, clock: options.clock });
  try {
    if (options.demoPeople) await generateDemoCampus(sys.ctx, systemActor, { people: options.demoPeople });
    const browser = await launchChromium();
    return {
      sys,
      browser,
      close: async () => {
        await browser.close();
        await sys.close();
      },
    };
  } catch (e) {
    await sys.close();
    throw e;
  }
}

/**
 * What does not fit the viewport (reflowProblems), leaving out what the console keeps off-screen
 * on purpose: the skip link and text for screen readers only. `alsoExempt`: more selectors to
 * leave out, such as '.table-scroll' (a table's own scrolling box).
 */
export function consoleReflowProblems(page: Page, ...alsoExempt: string[]): Promise<string[]> {
  return reflowProblems(page, ['.skip-link', '.visually-hidden', ...alsoExempt].join(', '));
}

/** Playwright's own browser flags aside, what every console test context shares. */
export interface ConsoleContext {
  context: BrowserContext;
  page: Page;
  /** Requests that left the server's origin (the console makes none). */
  offsite: string[];
}

/** A fresh browser context (cold cache) on a page at `width`, noting any request that leaves `baseUrl`. */
export async function consoleContext(
  browser: Browser,
  baseUrl: string,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
  options: { javaScriptEnabled?: boolean } = {},
): Promise<ConsoleContext> {
  const context = await browser.newContext({
    viewport,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  const page = await context.newPage();
  const offsite: string[] = [];
  const origin = new URL(baseUrl).origin;
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) offsite.push(r.url());
  });
  return { context, page, offsite };
}

/**
 * Open the console and sign in through its own form: password, then the TOTP code when the
 * operator has one. Resolves on the signed-in start page (the menu is visible).
 */
export async function signInToConsole(page: Page, baseUrl: string, op: TestOperator): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('Username').fill(op.username);
  await page.getByLabel('Password').fill(op.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (op.totpSecret) {
    await page.getByLabel('6-digit code from your authenticator app').fill(totpCode(op.totpSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Sign in again in the dialog the console shows over the screen when the session has ended:
 * password, then the next 30-second step's TOTP code (the one signInToConsole used works only
 * once). Resolves when the dialog has gone.
 */
export async function signInAgainInDialog(page: Page, op: TestOperator): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username').fill(op.username);
  await dialog.getByLabel('Password').fill(op.password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  const nextCode = totpCode(op.totpSecret!, new Date(Date.now() + 30_000));
  await dialog.getByLabel('6-digit code from your authenticator app').fill(nextCode);
  await dialog.getByRole('button', { name: 'Verify' }).click();
  // Signed in, the dialog goes; refused, it shows why: fail with those words instead of waiting.
  const refusal = dialog.getByRole('alert');
  // The losing wait ends when the page closes: caught, so it never surfaces as an unhandled rejection.
  const refused = refusal.waitFor().catch(() => undefined);
  await Promise.race([dialog.waitFor({ state: 'detached' }), refused]);
  if (await dialog.isVisible())
    throw new Error(`signing in again was refused: ${await refusal.textContent()}`);
}
