import { describe, expect, it } from 'vitest';
import { ChannelLimiter, SenderLimiter, TokenBucket } from './rate-limits.js';

describe('TokenBucket', () => {
  it('holds one second of tokens and refills at its rate', () => {
    const bucket = new TokenBucket(2, 0);
    expect(bucket.take(1, 0)).toBe(0);
    expect(bucket.take(1, 0)).toBe(0);
    expect(bucket.take(1, 0)).toBe(500);
    expect(bucket.take(1, 499)).toBe(1);
    expect(bucket.take(1, 500)).toBe(0);
  });

  it('lets a multi-segment message through and makes the next one wait for all of it', () => {
    const bucket = new TokenBucket(1, 0);
    expect(bucket.take(3, 0)).toBe(0);
    expect(bucket.take(1, 1000)).toBe(2000);
    expect(bucket.take(1, 3000)).toBe(0);
  });
});

describe('SenderLimiter', () => {
  it('limits each sender on its own, with per-sender rates and 0 meaning unlimited', () => {
    const limiter = new SenderLimiter({
      smsSegmentsPerSecond: 1,
      senderRates: { '12345': 0 },
      callsPerSecond: 1,
    });
    expect(limiter.takeSms('+16175550100', 1, 0)).toBe(0);
    expect(limiter.takeSms('+16175550100', 1, 0)).toBeGreaterThan(0);
    expect(limiter.takeSms('+16175550101', 1, 0)).toBe(0);
    for (let i = 0; i < 1000; i += 1) expect(limiter.takeSms('12345', 1, 0)).toBe(0);
    expect(limiter.takeCall('+16175550100', 0)).toBe(0);
    expect(limiter.takeCall('+16175550100', 0)).toBe(1000);
  });

  it('starts full again after a reconfiguration', () => {
    const limiter = new SenderLimiter({ smsSegmentsPerSecond: 1, senderRates: {}, callsPerSecond: 1 });
    limiter.takeSms('+16175550100', 5, 0);
    limiter.configure({ smsSegmentsPerSecond: 10, senderRates: {}, callsPerSecond: 1 });
    expect(limiter.takeSms('+16175550100', 1, 0)).toBe(0);
  });
});

describe('ChannelLimiter', () => {
  it('limits a channel as a whole and restarts when its rate changes', () => {
    const limiter = new ChannelLimiter();
    expect(limiter.take('x', 1, 0)).toBe(0);
    expect(limiter.take('x', 1, 10)).toBe(990);
    expect(limiter.take('webhook', 1, 10)).toBe(0);
    expect(limiter.take('x', 5, 10)).toBe(0);
    expect(limiter.take('x', 0, 10)).toBe(0);
  });
});
