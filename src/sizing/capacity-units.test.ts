import { describe, expect, it } from 'vitest';
import { itemReadUnits, itemWriteUnits, meanItemUnits, pagedReadUnits, requestReadUnits, scanReadUnits } from './capacity-units.ts';

const KB = 1024;

describe('read units', () => {
  it('rounds a GetItem up to 4 KB: 1 unit strongly consistent, half eventually', () => {
    // The examples of "DynamoDB read and write operations".
    expect(itemReadUnits(3500, 'strong')).toBe(1);
    expect(itemReadUnits(3500, 'eventual')).toBe(0.5);
    expect(itemReadUnits(10 * KB, 'strong')).toBe(3);
    expect(itemReadUnits(8 * KB, 'eventual')).toBe(1);
    // Reading an item that is not there still costs.
    expect(itemReadUnits(0, 'strong')).toBe(1);
  });

  it('rounds a BatchGetItem item by item: 1.5 KB and 6.5 KB are 12 KB, not 8', () => {
    expect(itemReadUnits(1.5 * KB, 'strong') + itemReadUnits(6.5 * KB, 'strong')).toBe(3);
  });

  it('rounds a Query or Scan request once, on the total it reads', () => {
    expect(requestReadUnits(40.8 * KB, 'strong')).toBe(11);
    expect(requestReadUnits(1500 * 64, 'strong')).toBe(24);
    expect(requestReadUnits(80 * KB, 'eventual')).toBe(10);
    expect(requestReadUnits(0, 'eventual')).toBe(0.5);
  });

  it('charges a chain of pages page by page, 1 MB at most each', () => {
    expect(pagedReadUnits(1024 * KB, 'eventual')).toBe(128);
    // 2.5 MB: three pages of 853.3 KB, each rounded up to 856 KB (214 units of 4 KB).
    expect(pagedReadUnits(2.5 * 1024 * KB, 'eventual')).toBe(321);
    expect(pagedReadUnits(2.5 * 1024 * KB, 'strong')).toBe(642);
  });

  it('splits a parallel Scan evenly over its segments', () => {
    // The moviedata table on DynamoDB Local: 2,095,746 bytes; a 4-segment Scan consumed 257 units there.
    expect(scanReadUnits(2_095_746, 4, 'eventual')).toBe(256);
    // One segment: two pages of ~1,047,873 bytes, 256 blocks each.
    expect(scanReadUnits(2_095_746, 1, 'eventual')).toBe(256);
    // 1 TB (10^12 bytes) in 16 segments: 59,605 pages of ~1,048,570 bytes, 256 blocks each.
    expect(scanReadUnits(1e12, 16, 'eventual')).toBe(122_071_040);
  });
});

describe('write units', () => {
  it('rounds every item up to 1 KB', () => {
    expect(itemWriteUnits(500)).toBe(1);
    expect(itemWriteUnits(1024)).toBe(1);
    expect(itemWriteUnits(1025)).toBe(2);
    expect(itemWriteUnits(1.6 * KB)).toBe(2);
    // BatchWriteItem of 500 bytes and 3.5 KB: 5 KB, not 4.
    expect(itemWriteUnits(500) + itemWriteUnits(3.5 * KB)).toBe(5);
  });

  it('averages per-item units over a sample', () => {
    expect(meanItemUnits([500, 1500, 2500, 100], itemWriteUnits)).toBe(1.75);
    expect(meanItemUnits([], itemWriteUnits)).toBe(0);
  });
});
