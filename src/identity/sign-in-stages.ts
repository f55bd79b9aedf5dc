import type { SessionStage } from './identity.tables.js';

/** The page of each sign-in stage; an active session lands in the operator console. */
const stagePath: Record<SessionStage, string> = {
  password_change: '/login/password',
  mfa_enrol: '/login/mfa/enrol',
  mfa_verify: '/login/mfa',
  active: '/console/',
};

/**
 * A `next` the sign-in pages may send an operator to after signing in: a path on this server
 * (one leading slash, no `//` anywhere, printable ASCII only, so no scheme, no backslash, no
 * tab or newline a browser would drop to turn `/\t/x` into `//x`), and not a sign-in page itself
 * (a loop). Anything else is null: the caller lands where it would without one.
 */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length < 1 || value.length > 1000) return null;
  if (!/^\/[\x21-\x7e]*$/.test(value)) return null;
  if (value.includes('//') || value.includes('\\')) return null;
  if (/^\/(login|logout)(\/|\?|#|$)/.test(value)) return null;
  const base = 'http://tocsin.invalid';
  try {
    return new URL(value, base).origin === base ? value : null;
  } catch {
    return null;
  }
}

/** `?next=…` for a page URL, or nothing (slashes stay readable: `/login?next=/send`). */
export function nextQuery(next: string | null): string {
  return next ? `?next=${encodeURIComponent(next).replace(/%2F/g, '/')}` : '';
}

/** Where a session at `stage` goes now: that stage's page (keeping next), or next once active. */
export function landingFor(stage: SessionStage, next: string | null): string {
  if (stage === 'active') return next ?? stagePath.active;
  return `${stagePath[stage]}${nextQuery(next)}`;
}
