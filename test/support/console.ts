import type { Browser, BrowserContext, Page } from 'playwright-core';
import { totpCode, type TestOperator } from './operators.js';

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
