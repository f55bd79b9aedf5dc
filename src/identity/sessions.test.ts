import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeOperator, signIn } from '../../test/support/operators.js';
import { ManualClock } from '../platform/clock.js';
import { sessionAlive } from './sign-in.policy.js';

const clock = new ManualClock(new Date('2026-11-21T15:00:00Z'));
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ clock });
});
afterAll(async () => {
  await sys.close();
});

const minutes = (n: number) => n * 60_000;

describe('session timeouts', () => {
  it.each([
    [0, 0, true],
    [29, 29, true],
    [31, 31, false],
    [60 * 12 + 1, 5, false],
  ])('a session %i minutes old, last seen %i minutes ago, alive=%s', (age, idle, alive) => {
    const now = new Date('2026-11-21T15:00:00Z');
    const created = new Date(now.getTime() - minutes(age));
    expect(
      sessionAlive(
        {
          lastSeenAt: new Date(now.getTime() - minutes(idle)),
          expiresAt: new Date(created.getTime() + minutes(12 * 60)),
          idleMinutes: 30,
        },
        now,
      ),
    ).toBe(alive);
  });

  it('ends after 30 idle minutes', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const s = await signIn(sys.app!, op, clock.now());
    clock.advance(minutes(31));
    const r = await sys.app!.inject({ url: '/api/v1/auth/session', headers: s.headers });
    expect(r.statusCode).toBe(401);
  });

  it('stays alive while the operator keeps working, until the 12-hour absolute limit', async () => {
    const op = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const s = await signIn(sys.app!, op, clock.now());
    for (let i = 0; i < 24; i += 1) {
      clock.advance(minutes(29));
      const r = await sys.app!.inject({ url: '/api/v1/auth/session', headers: s.headers });
      expect(r.statusCode, `after ${(i + 1) * 29} minutes`).toBe(200);
    }
    clock.advance(minutes(29)); // 725 minutes: past 12 hours
    const late = await sys.app!.inject({ url: '/api/v1/auth/session', headers: s.headers });
    expect(late.statusCode).toBe(401);
  });
});
