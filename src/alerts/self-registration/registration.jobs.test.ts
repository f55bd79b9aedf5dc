import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { ManualClock } from '../../platform/clock.js';
import { registrationPurgeJob, sendVerificationJob } from './registration.jobs.js';
import { codeIn, freshIp, freshPhone, postRegistration } from './registration.test-support.js';
import { verifySmsCode } from './verify-contact.js';
import { prepareVerification } from './verification-messages.js';

let sys: TestSystem;
const clock = new ManualClock(new Date('2026-11-21T15:00:00Z'));
beforeAll(async () => {
  // No workers: the test runs the jobs' handlers itself.
  sys = await startTestSystem({ clock });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const count = async (
  table: 'registrations' | 'registration_contacts' | 'registration_throttle' | 'registration_outbox',
) =>
  Number(
    (
      await sys.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the self-registration purge', () => {
  it('deletes unverified registrations and kept messages after two days, keeps verified ones, and leaves a receipt', async () => {
    const abandoned = (
      await postRegistration(sys.app!, { name: 'A', phone: freshPhone(), consent: true })
    ).json();
    const kept = (
      await postRegistration(sys.app!, {
        name: 'B',
        phone: freshPhone(),
        email: 'b@example.org',
        consent: true,
      })
    ).json();
    for (const id of [abandoned.registrationId, kept.registrationId]) {
      const rows = await sys.ctx.db
        .selectFrom('registration_contacts')
        .select('id')
        .where('registration_id', '=', id)
        .execute();
      for (const row of rows) await sendVerificationJob.handle(sys.ctx, { registrationContactId: row.id });
    }
    const sms = await sys.ctx.db
      .selectFrom('registration_outbox as o')
      .innerJoin('registration_contacts as rc', 'rc.id', 'o.registration_contact_id')
      .select('o.body')
      .where('rc.registration_id', '=', kept.registrationId)
      .where('o.channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    await verifySmsCode(sys.ctx, kept.registrationId, codeIn(sms.body), {
      clientIp: freshIp(),
      requestId: null,
    });
    expect(await count('registration_throttle')).toBeGreaterThan(0);

    clock.advance(47 * 3_600_000);
    await registrationPurgeJob.handle(sys.ctx, {});
    expect(await count('registrations')).toBe(2);
    expect(await count('registration_throttle')).toBe(0);

    clock.advance(2 * 3_600_000);
    await registrationPurgeJob.handle(sys.ctx, {});
    const left = await sys.ctx.db
      .selectFrom('registration_contacts')
      .select(['registration_id', 'channel', 'status'])
      .execute();
    expect(left).toEqual([{ registration_id: kept.registrationId, channel: 'sms', status: 'verified' }]);
    expect(await count('registrations')).toBe(1);
    expect(await count('registration_outbox')).toBe(0);
    const receipt = await sys.ctx.db
      .selectFrom('audit_log')
      .select('metadata')
      .where('action', '=', 'retention.purge')
      .where('target_type', '=', 'registration')
      .executeTakeFirstOrThrow();
    expect(receipt.metadata).toMatchObject({
      unverifiedRegistrations: 1,
      unverifiedAddresses: 2,
      outboxMessages: 3,
    });
  });

  it('sends nothing for an address that is no longer waiting', async () => {
    expect(await prepareVerification(sys.ctx, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
