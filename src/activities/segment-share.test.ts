import { describe, expect, it } from 'vitest';
import { sharingSegments, writeSlots } from './segment-share.ts';

describe('sharingSegments', () => {
  it('splits among the segments still copying, within 1 and the total', () => {
    expect(sharingSegments({ totalSegments: 4, activeSegments: 3 })).toBe(3);
    expect(sharingSegments({ totalSegments: 4, activeSegments: 1 })).toBe(1);
    expect(sharingSegments({ totalSegments: 4, activeSegments: 9 })).toBe(4);
    expect(sharingSegments({ totalSegments: 4, activeSegments: 0 })).toBe(1);
  });

  it('splits among all segments for a call of a run from before the count', () => {
    expect(sharingSegments({ totalSegments: 4 })).toBe(4);
    expect(sharingSegments({ totalSegments: 4, activeSegments: Number.NaN })).toBe(4);
  });

  it('never lets the calls running at once take more than the whole, as segments finish', () => {
    // 6 segments end one by one; at each step every unfinished segment runs one call, started at any earlier step.
    const total = 6;
    for (let finished = 0; finished < total; finished++) {
      const active = total - finished;
      // The worst case: every running call started as late as possible, at the current count.
      const worst = active * (1 / sharingSegments({ totalSegments: total, activeSegments: active }));
      // Calls that started earlier hold smaller shares.
      const mixed = Array.from({ length: active }, (_, i) => 1 / sharingSegments({ totalSegments: total, activeSegments: active + (i % (finished + 1)) })).reduce((a, b) => a + b, 0);
      expect(worst).toBeLessThanOrEqual(1 + 1e-9);
      expect(mixed).toBeLessThanOrEqual(1 + 1e-9);
    }
  });
});

describe('writeSlots', () => {
  it('gives each call its share of the table, at least 2', () => {
    expect(writeSlots(8, 4)).toBe(2);
    expect(writeSlots(8, 3)).toBe(3);
    expect(writeSlots(8, 1)).toBe(8);
    expect(writeSlots(8, 16)).toBe(2);
  });
});
