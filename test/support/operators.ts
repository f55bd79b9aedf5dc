import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { createOperator } from '../../src/identity/create-operator.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { totpFor, newTotpSecret } from '../../src/identity/totp.js';
import { systemActor, noRequest } from '../../src/platform/actor.js';
import type { AppContext } from '../../src/platform/context.js';
import { createApiToken } from '../../src/identity/api-tokens.js';
import type { Permission } from '../../src/identity/permissions.js';

export interface TestOperator {
  id: string;
  username: string;
  password: string;
  totpSecret: string | null;
}

/** An operator with a chosen password and, unless told otherwise, enrolled TOTP. */
export async function makeOperator(
  ctx: AppContext,
  roles: string[],
  options: { mfa?: boolean } = {},
): Promise<TestOperator> {
  const username = `op-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const created = await createOperator(ctx, systemActor, {
    username,
    displayName: `Operator ${username}`,
    roles,
    request: noRequest,
  });
  const totpSecret = options.mfa === false ? null : newTotpSecret();
  await ctx.db
    .updateTable('operators')
    .set({
      password_hash: await hashPassword(password),
      must_change_password: false,
      totp_secret: totpSecret,
      totp_enrolled_at: totpSecret ? new Date() : null,
    })
    .where('id', '=', created.operator.id)
    .execute();
  return { id: created.operator.id, username, password, totpSecret };
}

/** The current TOTP code for a secret at a time. */
export function totpCode(secret: string, at: Date = new Date()): string {
  return totpFor(secret, 'test', 'test').generate({ timestamp: at.getTime() });
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  headers: Record<string, string>;
}

/** Sign in through the JSON API (password, then TOTP when enrolled) and return the session cookie and CSRF token. */
export async function signIn(
  app: FastifyInstance,
  op: TestOperator,
  at: Date = new Date(),
): Promise<SignedIn> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: op.username, password: op.password },
  });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = login.cookies.find((c) => c.name === 'tocsin_session');
  if (!cookie) throw new Error('no session cookie');
  let body = login.json() as { stage: string; csrfToken: string };
  const header = `tocsin_session=${cookie.value}`;
  if (body.stage === 'mfa_verify' && op.totpSecret) {
    const verify = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      headers: { cookie: header, 'x-csrf-token': body.csrfToken },
      payload: { code: totpCode(op.totpSecret, at) },
    });
    expect(verify.statusCode, verify.body).toBe(200);
    body = verify.json();
  }
  return {
    cookie: header,
    csrfToken: body.csrfToken,
    headers: { cookie: header, 'x-csrf-token': body.csrfToken },
  };
}

/** A new operator with these roles (makeOperator), signed in through the JSON API (signIn). */
export async function signedInAs(
  sys: { app: FastifyInstance | null; ctx: AppContext },
  roles: string[],
  options: { mfa?: boolean } = {},
): Promise<SignedIn> {
  return signIn(sys.app!, await makeOperator(sys.ctx, roles, options));
}

/** A bearer token holding exactly these permissions. */
export async function makeToken(ctx: AppContext, permissions: Permission[]): Promise<string> {
  const { token } = await createApiToken(ctx, systemActor, new Set(permissions), {
    name: `test ${permissions.join(' ')}`.slice(0, 100),
    permissions,
    request: noRequest,
  });
  return token;
}
