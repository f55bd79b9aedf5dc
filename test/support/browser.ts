import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests need Debian's Chromium (.ci/run installs it). On a laptop without it they are
 * skipped with this reason; in CI (CI=true) a missing browser is a failure, never a skip.
 */
export const browserMissing = !existsSync(chromiumPath) && process.env.CI !== 'true';

/** Headless Chromium with the flags this workplace's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
