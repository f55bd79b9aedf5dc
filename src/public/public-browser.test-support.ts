import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort } from '../../test/support/ports.js';
import { contrastRatio } from '../alerts/rendering/level.js';

/** The widths the public pages are checked at: a phone, a desktop, 1280 px at 400% and at 200% zoom. */
export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
  zoom400: { width: 320, height: 640 },
  zoom200: { width: 640, height: 400 },
} as const;

/** Every WCAG 2.0, 2.1 and 2.2 A and AA rule axe has. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe's WCAG violations on the page, one readable line per element (an empty list when there are none). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself instead of finishing in a new blank page: a third of
  // the time, and these pages have no frames for the other mode to reach into.
  const result = await new AxeBuilder({ page }).withTags(wcagTags).setLegacyMode(true).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact ?? '?'}): ${v.help}\n    at ${n.target.join(' ')}: ${n.html}\n    ${n.failureSummary ?? ''}`,
    ),
  );
}

/**
 * Runs in the page (a string: this project compiles without the DOM's types). Lists horizontal
 * scrolling of the document, text running past the viewport's edges, boxes that cut their
 * content off (overflow hidden or clip), and phone numbers broken over two lines. What matches `exempt` (a CSS selector list) is left out, with
 * everything inside it: the skip link, off-screen on purpose until focused.
 */
const reflowScript = (exempt: string) => `((exempt) => {
  const problems = [];
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth > width) problems.push('the page scrolls sideways: ' + root.scrollWidth + ' > ' + width + ' px');
  const describe = (el) => '<' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className ? '.' + String(el.className).split(' ').join('.') : '') + '> "' +
    (el.textContent || '').trim().slice(0, 40) + '"';
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(exempt)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (/hidden|clip/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      problems.push(describe(el) + ' cuts off its content: ' + el.scrollWidth + ' > ' + el.clientWidth + ' px');
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.left < -1 || box.right > width + 1)
        problems.push(describe(el) + ' runs past the viewport: ' + Math.round(box.left) + '..' + Math.round(box.right) + ' of ' + width + ' px');
      for (const match of node.textContent.matchAll(/(\\+\\d{1,3}[ .-]?)?(\\(\\d{3}\\) ?|\\b\\d{3}[ .-])\\d{3}[ .-]\\d{4}\\b/g)) {
        const number = document.createRange();
        number.setStart(node, match.index);
        number.setEnd(node, match.index + match[0].length);
        const lines = new Set([...number.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(describe(el) + ' breaks the phone number ' + match[0] + ' over ' + lines.size + ' lines');
      }
    }
  }
  return problems;
})(${JSON.stringify(exempt)})`;

/**
 * What does not fit the page's viewport (an empty list when everything does), but for what matches
 * `exempt`: the public pages' skip link unless told otherwise.
 */
export function reflowProblems(page: Page, exempt = '.skip'): Promise<string[]> {
  return page.evaluate<string[]>(reflowScript(exempt));
}

const focusedNow = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let around = 'rgb(255, 255, 255)';
  for (let n = el.parentElement; n; n = n.parentElement) {
    const b = getComputedStyle(n).backgroundColor;
    if (b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') { around = b; break; }
  }
  const box = el.getBoundingClientRect();
  return { html: el.outerHTML.slice(0, 80), ring: style.outlineStyle, width: parseFloat(style.outlineWidth),
    color: style.outlineColor, around,
    inView: box.width > 0 && box.left >= -1 && box.top >= -1 && box.right <= innerWidth + 1 && box.bottom <= innerHeight + 1 };
})()`;

function hexOf(rgbColor: string): string {
  const channels = rgbColor.match(/\d+/g)?.slice(0, 3) ?? [];
  return `#${channels.map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Tab through the page from the top: every element that takes focus must come into view with a
 * focus ring at least 2 px wide and 3:1 against the colour around it (WCAG 1.4.11, 2.4.7). The
 * problems found, and how many stops there were.
 */
export async function focusProblems(
  page: Page,
  maxStops = 60,
): Promise<{ stops: number; problems: string[] }> {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let stop = 0; stop < maxStops; stop++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{
      html: string;
      ring: string;
      width: number;
      color: string;
      around: string;
      inView: boolean;
    } | null>(focusedNow);
    if (!focused || seen.has(focused.html)) return { stops: stop, problems };
    seen.add(focused.html);
    const contrast = contrastRatio(hexOf(focused.color), hexOf(focused.around));
    if (focused.ring === 'none' || focused.width < 2 || contrast < 3 || !focused.inView)
      problems.push(
        `${focused.html}: ring ${focused.ring} ${focused.width}px ${focused.color} on ${focused.around} (${contrast.toFixed(2)}:1)${focused.inView ? '' : ', out of view'}`,
      );
  }
  return { stops: maxStops, problems };
}

/** Every request a browser context makes to anything but `origin` (the site under test). */
export function recordOffsiteRequests(context: BrowserContext, origin: string): string[] {
  const offsite: string[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).origin !== origin) offsite.push(`${request.method()} ${request.url()}`);
  });
  return offsite;
}

/** A #RRGGBB colour as a computed style gives it. */
export function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

const displayNow = `(() => {
  const main = document.getElementById('display');
  return { text: main.innerText, headline: document.getElementById('headline').textContent,
    background: getComputedStyle(main).backgroundColor };
})()`;

/** What the signage display shows now: its text, headline and background colour (as rgb()). */
export function signageDisplay(page: Page): Promise<{ text: string; headline: string; background: string }> {
  return page.evaluate(displayNow);
}

/**
 * Wait (at most `timeoutMs`) until the signage display shows `text` on the `background` colour
 * (#RRGGBB), looking every 50 ms; how long it took in milliseconds. (Polled from here: the pages'
 * content security policy forbids the eval that page.waitForFunction would need.)
 */
export async function signageShows(
  page: Page,
  text: string,
  background: string,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  await expect
    .poll(() => signageDisplay(page), { timeout: timeoutMs, interval: 50 })
    .toMatchObject({ text: expect.stringContaining(text), background: rgb(background) });
  return Date.now() - started;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.xml': 'application/cap+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
};

/** A plain static web server for a mirror directory, as any host would be: files, types, 404s, no caching rules. */
export async function serveDirectory(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve(dir);
  const server = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://mirror').pathname);
    const file = path.join(root, name.endsWith('/') ? `${name}index.html` : name);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(response);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
