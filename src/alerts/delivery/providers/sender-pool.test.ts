import { describe, expect, it } from 'vitest';
import { SenderPool } from './sender-pool.js';
import { TokenBucket } from './token-bucket.js';

const never = new AbortController().signal;

describe('TokenBucket', () => {
  it('lets a cost through while the bucket holds it, then says how long to wait', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(bucket.take(5, 0)).toBe(0);
    expect(bucket.take(2, 0)).toBe(200);
    expect(bucket.take(2, 200)).toBe(0);
  });

  it('lets a cost above the capacity through a full bucket, leaving it in debt', () => {
    const bucket = new TokenBucket(1, 1, 0);
    expect(bucket.take(3, 0)).toBe(0);
    expect(bucket.take(1, 1000)).toBe(2000);
    expect(bucket.take(1, 3000)).toBe(0);
  });

  it('never limits at rate 0', () => {
    const bucket = new TokenBucket(0, 1, 0);
    for (let i = 0; i < 100; i += 1) expect(bucket.take(3, 0)).toBe(0);
  });
});

describe('SenderPool', () => {
  it('uses every sender in turn', async () => {
    const pool = SenderPool.forSms(
      ['+16175550100', '+16175550101', '+16175550102'].map((n) => ({ number: n, segmentsPerSecond: 0 })),
    );
    const taken = [];
    for (let i = 0; i < 6; i += 1) taken.push(await pool.acquire(1, never));
    expect(taken).toEqual([
      '+16175550100',
      '+16175550101',
      '+16175550102',
      '+16175550100',
      '+16175550101',
      '+16175550102',
    ]);
  });

  it('skips a paused sender until its pause ends', async () => {
    const pool = SenderPool.forSms([
      { number: '+16175550100', segmentsPerSecond: 0 },
      { number: '+16175550101', segmentsPerSecond: 0 },
    ]);
    pool.pause('+16175550100', 60_000);
    expect([await pool.acquire(1, never), await pool.acquire(1, never)]).toEqual([
      '+16175550101',
      '+16175550101',
    ]);
  });

  it('makes waiters take turns at the sender’s pace, and lets a stopped batch go', async () => {
    const pool = SenderPool.forSms([{ number: '+16175550100', segmentsPerSecond: 20 }]);
    const started = Date.now();
    const firsts = await Promise.all(Array.from({ length: 15 }, () => pool.acquire(1, never)));
    expect(firsts.every((s) => s === '+16175550100')).toBe(true);
    // 10 in the half-second burst, then 5 more at 19.6/s: about a quarter of a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(230);
    const stop = new AbortController();
    const waiting = pool.acquire(20, stop.signal);
    stop.abort();
    expect(await waiting).toBeUndefined();
  });
});
