import { describe, expect, it } from 'vitest';
import { limiterFor, RateLimiter, UNLIMITED } from './rate-limiter.ts';

describe('RateLimiter', () => {
  it('lets a burst of one second through, then holds callers to the rate', async () => {
    let now = 0;
    const limiter = new RateLimiter(1000, () => now);
    const started = performance.now();
    await limiter.take(1000);
    expect(performance.now() - started).toBeLessThan(50);
    // 1000 tokens are gone; 50 more cost 50 ms.
    const waitStarted = performance.now();
    await limiter.take(50);
    expect(performance.now() - waitStarted).toBeGreaterThanOrEqual(45);
  });

  it('refills with time, up to one second of tokens', async () => {
    let now = 0;
    const limiter = new RateLimiter(100, () => now);
    await limiter.take(100);
    now = 10_000;
    const started = performance.now();
    await limiter.take(100);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('splits a table limit across segments, and is a no-op without one', () => {
    expect(limiterFor(undefined, 4)).toBe(UNLIMITED);
    expect(limiterFor(400, 4)).toBeInstanceOf(RateLimiter);
  });
});
