import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { inboundSmsPurgeJob, inboundSmsRetentionDays } from './inbound-sms.jobs.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ work: false, serve: false });
}, 60_000);
afterAll(async () => {
  await sys?.close();
});

describe('inbound SMS purge', () => {
  it('forgets handled MessageSids past the replay window and keeps recent ones', async () => {
    const day = 86_400_000;
    const now = sys.ctx.clock.now().getTime();
    await sys.ctx.db
      .insertInto('inbound_sms')
      .values([
        {
          message_sid: 'SMold',
          action: 'stop',
          received_at: new Date(now - (inboundSmsRetentionDays + 1) * day),
        },
        { message_sid: 'SMnew', action: 'safe', received_at: new Date(now - day) },
      ])
      .execute();
    await inboundSmsPurgeJob.handle(sys.ctx, {});
    const left = await sys.ctx.db.selectFrom('inbound_sms').select('message_sid').execute();
    expect(left.map((r) => r.message_sid)).toEqual(['SMnew']);
  });
});
