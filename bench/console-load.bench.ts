/**
 * The console-load benchmark: how long the operator console takes to become usable on loopback
 * with a cold cache (a new browser context each time: no HTTP cache, no service worker), measured
 * in Debian's Chromium from navigation to (a) the sign-in form and (b) for a signed-in emergency
 * manager, the start page with its templates listed. Target: under 2 s.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createOperator } from '../src/identity/create-operator.js';
import { hashPassword } from '../src/identity/passwords.js';
import { newTotpSecret, totpFor } from '../src/identity/totp.js';
import { noRequest, systemActor } from '../src/platform/actor.js';
import type { AppContext } from '../src/platform/context.js';
import { chromiumPath, launchChromium } from '../test/support/browser.js';
import type { RecordFigure } from './alert-system.js';

const runs = 7;

/** An emergency manager with a password and TOTP, signed in over the JSON API: the session cookie's value. */
async function signedInCookie(ctx: AppContext, url: string): Promise<string> {
  const username = `bench-${Date.now()}`;
  const password = 'a benchmark password';
  const secret = newTotpSecret();
  const { operator } = await createOperator(ctx, systemActor, {
    username,
    displayName: 'Benchmark operator',
    roles: ['emergency_management'],
    request: noRequest,
  });
  await ctx.db
    .updateTable('operators')
    .set({
      password_hash: await hashPassword(password),
      must_change_password: false,
      totp_secret: secret,
      totp_enrolled_at: new Date(),
    })
    .where('id', '=', operator.id)
    .execute();
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = /tocsin_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
  const verify = await fetch(`${url}/api/v1/auth/mfa/verify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: `tocsin_session=${cookie}`,
      'x-csrf-token': csrfToken,
    },
    body: JSON.stringify({ code: totpFor(secret, 'bench', 'bench').generate() }),
  });
  if (!verify.ok) throw new Error(`MFA failed: ${verify.status} ${await verify.text()}`);
  return cookie;
}

interface Load {
  ms: number;
  requests: number;
  bytes: number;
}

/** One cold load in a new context: navigation to `ready` resolving; requests and bytes received. */
async function coldLoad(
  browser: Browser,
  url: string,
  cookie: string | null,
  ready: (page: Page) => Promise<unknown>,
) {
  const context = await browser.newContext();
  if (cookie) await context.addCookies([{ name: 'tocsin_session', value: cookie, url }]);
  const page = await context.newPage();
  let requests = 0;
  let bytes = 0;
  page.on('response', (response) => {
    requests += 1;
    void response.body().then(
      (b) => (bytes += b.length),
      () => undefined,
    );
  });
  const start = performance.now();
  await page.goto(`${url}/console/`);
  await ready(page);
  const ms = performance.now() - start;
  await context.close();
  return { ms, requests, bytes } satisfies Load;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchConsoleLoad(record: RecordFigure, ctx: AppContext, url: string) {
  if (!existsSync(chromiumPath)) {
    record('console load: Chromium not installed (apt-get install chromium)', '-');
    return {};
  }
  const browser = await launchChromium();
  try {
    const cookie = await signedInCookie(ctx, url);
    const signInForm = (page: Page) => page.getByLabel('Username').waitFor();
    const startPage = (page: Page) => page.getByRole('link', { name: 'Shelter in place' }).waitFor();
    await coldLoad(browser, url, null, signInForm); // the browser's own first start, not counted
    const signIn: Load[] = [];
    const start: Load[] = [];
    for (let i = 0; i < runs; i += 1) {
      signIn.push(await coldLoad(browser, url, null, signInForm));
      start.push(await coldLoad(browser, url, cookie, startPage));
    }
    const figures = {
      console_sign_in_ms: Math.round(median(signIn.map((l) => l.ms))),
      console_sign_in_ms_max: Math.round(Math.max(...signIn.map((l) => l.ms))),
      console_start_ms: Math.round(median(start.map((l) => l.ms))),
      console_start_ms_max: Math.round(Math.max(...start.map((l) => l.ms))),
      console_start_requests: start[0]!.requests,
      console_start_kb: Math.round(start[0]!.bytes / 1024),
    };
    record(
      `console cold load to the sign-in form: ms, median (max) of ${runs}`,
      `${figures.console_sign_in_ms} (${figures.console_sign_in_ms_max})`,
    );
    record(
      `console cold load, signed in, to the templates: ms, median (max) (target < 2,000)`,
      `${figures.console_start_ms} (${figures.console_start_ms_max})`,
    );
    record(
      'console cold load: requests · KB received (uncompressed)',
      `${figures.console_start_requests} · ${figures.console_start_kb}`,
    );
    return figures;
  } finally {
    await browser.close();
  }
}
