import { describe, expect, it } from 'vitest';
import { mapYielding } from './yielding-map.ts';

/** Keeps the thread busy for `ms`, as a costly transformer does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('mapYielding', () => {
  it('maps like Array.prototype.map: the same results, each item once, in order', async () => {
    const items = Array.from({ length: 1_000 }, (_, i) => i);
    const seen: number[] = [];
    const out = await mapYielding(items, (n, index) => {
      seen.push(index);
      return n * 2;
    }, 0);
    expect(out).toEqual(items.map((n) => n * 2));
    expect(seen).toEqual(items);
  });

  it('gives the event loop a turn once a slice of work is spent', async () => {
    let ranAt: number | undefined;
    let index = 0;
    setImmediate(() => (ranAt = index));
    await mapYielding(Array.from({ length: 64 }), () => {
      busy(0.25);
      index++;
    }, 2);
    // Turns come at a clock check (every 8 items) after 2 ms of work (8 items here), long before the 64th item.
    expect(ranAt).toBeGreaterThanOrEqual(8);
    expect(ranAt).toBeLessThan(64);
  });

  it('takes no turn for a page done within one slice', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    const out = await mapYielding(Array.from({ length: 500 }, (_, i) => i), (n) => n + 1, 60_000);
    expect(out).toHaveLength(500);
    expect(ran).toBe(false);
  });

  it('rejects with what the function throws, and maps nothing after it', async () => {
    const seen: number[] = [];
    const failing = mapYielding([1, 2, 3, 4], (n) => {
      seen.push(n);
      if (n === 2) throw new Error('bad value');
      return n;
    });
    await expect(failing).rejects.toThrow('bad value');
    expect(seen).toEqual([1, 2]);
  });
});
