import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { executeRaw } from '../db/database.js';
import { defineJob } from './job.js';
import { ensureQueues, queueSchema } from './queue.js';
import { startWorker, UnhandledJobsError } from './worker.js';

let sys: TestSystem;
const handled: string[] = [];
const echoJob = defineJob({
  name: 'test.echo',
  payload: z.object({ word: z.string() }).strict(),
  retry: { limit: 0, delaySeconds: 1, backoff: false },
  expireInSeconds: 30,
  async handle(_ctx, payload) {
    handled.push(payload.word);
  },
});

beforeAll(async () => {
  sys = await startTestSystem({ serve: false });
  await ensureQueues(sys.ctx.queue.boss, [echoJob] as never);
});
afterAll(async () => {
  await sys.close();
});

async function jobsNamed(word: string): Promise<number> {
  const r = await executeRaw(
    sys.ctx.db,
    `select count(*)::int as n from ${queueSchema}.job where name = 'test.echo' and data->>'word' = $1`,
    [word],
  );
  return (r.rows[0] as { n: number }).n;
}

describe('the job queue', () => {
  it('enqueues inside the caller’s transaction: rolled back, the job never existed', async () => {
    await expect(
      sys.ctx.db.transaction().execute(async (trx) => {
        await sys.ctx.queue.enqueue(trx, echoJob, { word: 'rolled-back' });
        expect(await jobsNamed('rolled-back')).toBe(0); // not visible outside the transaction yet
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await jobsNamed('rolled-back')).toBe(0);

    await sys.ctx.db
      .transaction()
      .execute((trx) => sys.ctx.queue.enqueue(trx, echoJob, { word: 'committed' }));
    expect(await jobsNamed('committed')).toBe(1);
  });

  it('refuses a payload that does not match the job’s schema', async () => {
    await expect(sys.ctx.queue.enqueue(sys.ctx.db, echoJob, { word: 42 } as never)).rejects.toThrow(
      /invalid payload/,
    );
  });

  it('runs queued jobs in a worker', async () => {
    await sys.ctx.queue.enqueue(sys.ctx.db, echoJob, { word: 'hello' });
    await startWorker(sys.ctx, sys.ctx.queue.boss, [echoJob] as never);
    const deadline = Date.now() + 15_000;
    while (!handled.includes('hello') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(handled).toContain('hello');
  });

  it('will not start a worker while jobs it cannot handle are queued', async () => {
    await ensureQueues(sys.ctx.queue.boss, [{ ...echoJob, name: 'test.orphan' }] as never);
    await sys.ctx.queue.enqueue(sys.ctx.db, { ...echoJob, name: 'test.orphan' }, { word: 'x' });
    await expect(startWorker(sys.ctx, sys.ctx.queue.boss, [echoJob] as never)).rejects.toBeInstanceOf(
      UnhandledJobsError,
    );
  });
});
