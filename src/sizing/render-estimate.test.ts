import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from './cost.ts';
import { estimateJob } from './job-estimate.ts';
import { bytes, duration, money, renderJobEstimate } from './render-estimate.ts';
import { NEW_ON_DEMAND_TABLE } from './table-capacity.ts';
import { estimateTable } from './table-estimate.ts';

const options = { workers: 2, itemsPerSecondPerWorker: 4_000, prices: DEFAULT_PRICES };
const repeat = (n: number, size: number) => Array.from({ length: n }, () => size);

describe('renderJobEstimate', () => {
  it('prints one block per table, the total, and the prices and assumptions behind them', () => {
    const users = estimateTable(
      {
        source: 'Users',
        destination: 'UsersStaging',
        mode: 'upsert',
        consistentRead: false,
        hasWhere: true,
        readRateLimit: 1_000,
        readPlan: { kind: 'scan', text: 'parallel Scan, 8 segments, filter from where', segments: 8 },
        sourceStats: { itemCount: 10_000_000, sizeBytes: 8e9 },
        sourceCapacity: { mode: 'provisioned', readUnitsPerSecond: 40_000, writeUnitsPerSecond: 1_000 },
        destinationState: { kind: 'created', capacity: NEW_ON_DEMAND_TABLE },
        sample: { readSizes: repeat(200, 800), complete: false, selection: { evaluated: 200, selected: 20 }, selectionFrom: 'segments', writeSizes: repeat(20, 900) },
      },
      options,
    );
    const orders = estimateTable(
      {
        source: 'Orders',
        destination: 'Orders',
        mode: 'replace',
        consistentRead: true,
        hasWhere: false,
        readPlan: { kind: 'scan', text: 'Scan, 1 segment', segments: 1 },
        sourceStats: { itemCount: 0, sizeBytes: 0 },
        sourceCapacity: { mode: 'onDemand' },
        destinationState: { kind: 'exists', itemCount: 120, sizeBytes: 60_000, capacity: { mode: 'onDemand', readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 } },
        sample: { readSizes: repeat(100, 500), complete: true, selection: { evaluated: 100, selected: 100 }, selectionFrom: 'segments', writeSizes: repeat(100, 500) },
      },
      options,
    );
    expect(renderJobEstimate(estimateJob('staging', [users, orders], options))).toBe(
      [
        'Users -> UsersStaging (upsert)',
        '  table     10,000,000 items, 7.5 GiB (DescribeTable)',
        '  read plan parallel Scan, 8 segments, filter from where: reads the whole table',
        '  sample    200 items read, 20 selected',
        '  subset    1,000,000 items (10%)',
        '  reads     10,000,000 items, 7.5 GiB: 976,896 RCU eventually consistent (strongly consistent: 1,953,792)',
        '  writes    1,000,000 items of ~900 bytes: 1,000,000 WCU',
        '  cost      $0.12 reads + $0.63 writes = $0.75 on demand',
        '  duration  17 min, bounded by readRateLimit (~1,000 items written/s)',
        '  note: a Scan with a filter reads and pays for the whole table, not only the subset',
        '  note: selected share from 200 sampled items: 10%',
        '',
        'Orders -> Orders (replace)',
        '  table     100 items, 49 KiB (from the sample)',
        '  read plan Scan, 1 segment: reads the whole table',
        '  sample    all 100 items read, 100 selected',
        '  subset    100 items (100%)',
        '  reads     100 items, 49 KiB: 13 RCU strongly consistent (eventually consistent: 6.5)',
        '  writes    100 items of ~500 bytes: 100 WCU',
        '  prune     120 keys checked, 20 deleted: 127.5 RCU, 20 WCU',
        '  cost      $0.000018 reads + $0.000075 writes = $0.000093 on demand',
        '  duration  <1 s, bounded by destination partitions (1,000 write units/s per segment) (~1,000 items written/s); prune <1 s, bounded by the segments (one worker each at a time) (~4,000 keys/s)',
        '  note: DescribeTable says 0 items, refreshed about every six hours; the sample read all 100, which are used',
        '  note: a put over an item already in "Orders" is charged on the larger of the two; write units assume an earlier copy of the same size',
        '  note: mode replace: the prune checks about 120 destination keys and deletes about 20 (the destination\'s 120 items less the 100 selected, as if an earlier run had copied the same subset)',
        '',
        'total: 977,036.5 RCU, 1,000,120 WCU, $0.75 on demand, 17 min (tables run at once; Users takes longest)',
        'prices: USD 0.125 per million read and 0.625 per million write request units (us-east-1 on-demand list prices, Standard table class, checked 2026-12-01; --read-price, --write-price)',
        'assumed: 2 workers at 4,000 items/s each (--workers, --items-per-second-per-worker; see README "Sizing")',
      ].join('\n'),
    );
  });

  it('names every stretch when a warm throughput ramps up', () => {
    // 7.2M items in the first half hour at 4,000/s, 14.4M in the second at 8,000/s, then 78.4M at the workers' 16,000/s.
    const table = estimateTable(
      {
        source: 'Events',
        destination: 'Events',
        mode: 'upsert',
        consistentRead: false,
        hasWhere: false,
        readPlan: { kind: 'scan', text: 'parallel Scan, 16 segments', segments: 16 },
        sourceStats: { itemCount: 100_000_000, sizeBytes: 5e10 },
        sourceCapacity: { mode: 'onDemand', readUnitsPerSecond: 100_000, writeUnitsPerSecond: 50_000 },
        destinationState: { kind: 'created', capacity: NEW_ON_DEMAND_TABLE },
        sample: { readSizes: repeat(200, 500), complete: false, selection: { evaluated: 200, selected: 200 }, selectionFrom: 'segments', writeSizes: repeat(200, 500) },
      },
      { ...options, workers: 4 },
    );
    expect(renderJobEstimate(estimateJob('events', [table], { ...options, workers: 4 })).split('\n')[8]).toBe(
      "  duration  2.4 h, bounded by the destination's write capacity (~4,000 items written/s at first, doubling every 30 min) for 60 min, then the workers (~16,000 items written/s)",
    );
  });
});

describe('units of the text', () => {
  it('formats sizes, money and time for reading at a glance', () => {
    expect([bytes(512), bytes(1536), bytes(1e12), bytes(1.5 * 1024 ** 4)]).toEqual(['512 bytes', '1.5 KiB', '931 GiB', '1.5 TiB']);
    expect([money(0), money(0.00123), money(1234.5)]).toEqual(['$0', '$0.0012', '$1,234.50']);
    expect([duration(0), duration(0.4), duration(59), duration(3600), duration(5 * 86_400)]).toEqual(['0 s', '<1 s', '59 s', '60 min', '5.0 days']);
  });
});
