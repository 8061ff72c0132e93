import { describe, expect, it } from 'vitest';
import { estimateDuration } from './duration.ts';

describe('estimateDuration', () => {
  it('runs at the slowest steady ceiling', () => {
    const estimate = estimateDuration(10_000, [
      { name: 'workers', itemsPerSecond: 4_000 },
      { name: 'segments', itemsPerSecond: 16_000 },
      { name: 'writeRateLimit', itemsPerSecond: 2_500 },
    ]);
    expect(estimate.seconds).toBe(4);
    expect(estimate.bound).toBe('writeRateLimit');
    expect(estimate.stretches).toEqual([{ bound: 'writeRateLimit', seconds: 4 }]);
  });

  it("lets an on-demand table's warm throughput double every half hour until another ceiling takes over", () => {
    const estimate = estimateDuration(100_000_000, [
      { name: 'workers', itemsPerSecond: 20_000 },
      { name: 'destinationCapacity', itemsPerSecond: 4_000, doublesEverySeconds: 1800 },
    ]);
    // 7.2M items at 4,000/s, 14.4M at 8,000/s, 28.8M at 16,000/s, then 49.6M at the workers' 20,000/s.
    expect(estimate.stretches).toEqual([
      { bound: 'destinationCapacity', seconds: 5400 },
      { bound: 'workers', seconds: 2480 },
    ]);
    expect(estimate.seconds).toBe(7880);
    expect(estimate.bound).toBe('destinationCapacity');
  });

  it('finishes within the first half hour when the work is small', () => {
    const estimate = estimateDuration(4_000, [
      { name: 'workers', itemsPerSecond: 20_000 },
      { name: 'destinationCapacity', itemsPerSecond: 1_000, doublesEverySeconds: 1800 },
    ]);
    expect(estimate).toMatchObject({ seconds: 4, bound: 'destinationCapacity' });
  });

  it('takes no time for no items, and refuses ceilings that cannot finish', () => {
    expect(estimateDuration(0, [{ name: 'workers', itemsPerSecond: 1 }])).toMatchObject({ seconds: 0, bound: undefined });
    expect(() => estimateDuration(1, [{ name: 'workers', itemsPerSecond: 0 }])).toThrow('must be positive');
    expect(() => estimateDuration(1, [{ name: 'destinationCapacity', itemsPerSecond: 1, doublesEverySeconds: 60 }])).toThrow('at least one bound must be steady');
  });
});
