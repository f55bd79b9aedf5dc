import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { totpCode, type TestOperator } from './operators.js';
import type { TestSystem } from './system.js';

/** A browser without JavaScript over inject: keeps cookies, submits forms (fields may repeat). */
export class FormBrowser {
  cookies = new Map<string, string>();
  constructor(private readonly sys: TestSystem) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(r: LightMyRequestResponse) {
    for (const c of r.cookies) {
      if (c.maxAge === 0 || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return r;
  }

  async get(url: string) {
    return this.keep(
      await this.sys.app!.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } }),
    );
  }

  /** Submit a form from one of the server's pages (Origin: ours), or with `origin: null` from nowhere said. */
  async post(
    url: string,
    fields: Record<string, string | string[]>,
    options: { origin?: string | null } = {},
  ) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
    const origin = options.origin === undefined ? 'http://localhost:3000' : options.origin;
    return this.keep(
      await this.sys.app!.inject({
        method: 'POST',
        url,
        headers: {
          cookie: this.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
          ...(origin ? { origin } : {}),
        },
        payload: form.toString(),
      }),
    );
  }
}

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Every hidden field of a page, as a form posts them (names that repeat give lists), entities decoded. */
export function hiddenFields(page: string): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    (fields[m[1]!] ??= []).push(m[2]!.replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]!));
  return fields;
}

/** A hidden field's value in a page ('' when it has none). */
export const hidden = (page: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';

/**
 * Sign in through the plain pages with password and TOTP, asking to come back to `next`; returns
 * the browser, on the page it landed on.
 */
export async function signInWithForms(
  sys: TestSystem,
  op: TestOperator,
  next: string,
  at: Date = new Date(),
): Promise<{ browser: FormBrowser; landed: string }> {
  const browser = new FormBrowser(sys);
  const login = await browser.get(`/login?next=${next}`);
  const password = await browser.post('/login', {
    _csrf: hidden(login.body, '_csrf'),
    next: hidden(login.body, 'next'),
    username: op.username,
    password: op.password,
  });
  expect(password.statusCode, password.body).toBe(303);
  let landed = password.headers.location as string;
  if (op.totpSecret) {
    const mfa = await browser.get(landed);
    const verified = await browser.post('/login/mfa', {
      _csrf: hidden(mfa.body, '_csrf'),
      next: hidden(mfa.body, 'next'),
      code: totpCode(op.totpSecret, at),
    });
    expect(verified.statusCode, verified.body).toBe(303);
    landed = verified.headers.location as string;
  }
  return { browser, landed };
}
