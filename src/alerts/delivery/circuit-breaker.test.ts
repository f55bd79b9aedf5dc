import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after consecutive failures, probes once after the pause, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker('p', { failureThreshold: 5, openMs: 1000 }, () => now);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(0, 3);
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(0, 2, 'HTTP 500');
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAt()).toBe(1000);
    now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(false);
    breaker.record(1, 0);
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(0);
  });

  it('opens again when the probe fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker('p', { failureThreshold: 1, openMs: 1000 }, () => now);
    breaker.record(0, 1);
    now = 1500;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(0, 1, 'timeout');
    expect(breaker.state).toBe('open');
    expect(breaker.openedAt).toBe(1500);
    expect(breaker.lastError).toBe('timeout');
  });

  it('stays closed while failures are not consecutive', () => {
    const breaker = new CircuitBreaker('p', { failureThreshold: 2, openMs: 1000 }, () => 0);
    for (let i = 0; i < 5; i += 1) {
      breaker.failure('HTTP 500');
      breaker.success();
    }
    expect(breaker.state).toBe('closed');
  });

  it('ignores late answers while open and reports every transition', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker('p', { failureThreshold: 3, openMs: 1000 }, () => now);
    breaker.onChange = (from, to) => changes.push(`${from}>${to}`);
    breaker.record(0, 3, 'timeout');
    // An answer to a request sent before the circuit opened does not close it.
    breaker.success();
    expect(breaker.state).toBe('open');
    now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.success();
    expect(changes).toEqual(['closed>open', 'open>half_open', 'half_open>closed']);
  });
});
