import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { AppError } from '../../platform/errors.js';

/** The flags Chromium runs with here: headless, no sandbox (containers), and no network of its own. */
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// One browser per render keeps nothing running between reports; two renders at once at most, so a
// burst of requests cannot start a browser per request on a server that is also sending alerts.
const maxRenders = 2;
let rendering = 0;

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Print a self-contained HTML page to a Letter PDF with Chromium (playwright-core). 503 when the
 * browser is not installed at `chromiumPath` or two renders are already running; the page
 * itself can still be read as HTML. Every request the page would make is refused.
 */
export async function renderPdf(pageHtml: string, chromiumPath: string): Promise<Buffer> {
  if (!(await executable(chromiumPath)))
    throw new AppError(
      'unavailable',
      `The PDF needs Chromium, which is not installed at ${chromiumPath} (set TOCSIN_CHROMIUM_PATH). The HTML version of this report works without it.`,
    );
  if (rendering >= maxRenders)
    throw new AppError(
      'unavailable',
      'Two PDFs are being made already. Try again in a few seconds.',
      undefined,
      {
        retryAfterSeconds: 5,
      },
    );
  rendering += 1;
  try {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
    try {
      const page = await browser.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(pageHtml, { waitUntil: 'load' });
      return await page.pdf({ format: 'Letter', printBackground: true, preferCSSPageSize: true });
    } finally {
      await browser.close();
    }
  } finally {
    rendering -= 1;
  }
}
