import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from './cost.ts';
import { estimateJob } from './job-estimate.ts';
import { NEW_ON_DEMAND_TABLE } from './table-capacity.ts';
import { estimateTable, type EstimateTableInput } from './table-estimate.ts';

const options = { workers: 1, itemsPerSecondPerWorker: 4_000, prices: DEFAULT_PRICES };
const repeat = (n: number, size: number) => Array.from({ length: n }, () => size);

/** A table of a million 1,000-byte items that the job's transformers grow to 1,100 bytes (2 write units). */
function input(overrides: Partial<EstimateTableInput> = {}): EstimateTableInput {
  return {
    source: 'Users',
    destination: 'UsersStaging',
    mode: 'upsert',
    consistentRead: false,
    hasWhere: false,
    readPlan: { kind: 'scan', text: 'parallel Scan, 4 segments', segments: 4 },
    sourceStats: { itemCount: 1_000_000, sizeBytes: 1e9 },
    sourceCapacity: { mode: 'onDemand' },
    destinationState: { kind: 'created', capacity: NEW_ON_DEMAND_TABLE },
    sample: {
      readSizes: repeat(200, 1000),
      complete: false,
      selection: { evaluated: 200, selected: 200 },
      selectionFrom: 'segments',
      writeSizes: repeat(200, 1100),
    },
    ...overrides,
  };
}

describe('estimateTable', () => {
  it('sizes a whole-table copy from DescribeTable and the sample', () => {
    const estimate = estimateTable(input(), options);
    expect(estimate.table).toEqual({ items: 1_000_000, bytes: 1e9, from: 'DescribeTable', atLeast: false });
    // Per segment 250 MB: 239 pages of ~1,046,025 bytes, 256 blocks of 4 KB each, half a unit each.
    expect(estimate.read).toMatchObject({ items: 1_000_000, bytes: 1e9, consistency: 'eventual', units: 122_368, unitsIf: { eventual: 122_368, strong: 244_736 } });
    expect(estimate.write).toEqual({ items: 1_000_000, averageItemBytes: 1100, units: 2_000_000, atLeast: false });
    expect(estimate.cost.read).toBeCloseTo(0.015296, 9);
    expect(estimate.cost.write).toBeCloseTo(1.25, 9);
    // 4 segments write one destination key range each: 4,000 write units/s, 2,000 items of 2 units.
    expect(estimate.duration.copy).toMatchObject({ seconds: 500, bound: 'destinationPartitions' });
    expect(estimate.notes).toEqual([]);
  });

  it('reads the whole table for a filtered Scan but writes only the sampled share', () => {
    const estimate = estimateTable(
      input({ hasWhere: true, readPlan: { kind: 'scan', text: 'parallel Scan, 4 segments, filter from where', segments: 4 }, sample: { ...input().sample, selection: { evaluated: 200, selected: 50 } } }),
      options,
    );
    expect(estimate.read.units).toBe(122_368);
    expect(estimate.selected).toEqual({ items: 250_000, share: 0.25, atLeast: false });
    expect(estimate.write.units).toBe(500_000);
    expect(estimate.readPlan.readsWholeTable).toBe(true);
    expect(estimate.notes).toContain('a Scan with a filter reads and pays for the whole table, not only the subset');
    expect(estimate.notes).toContain('selected share from 200 sampled items: 25%');
    // The workers copy 4,000 selected items a second, which is 16,000 items read.
    expect(estimate.duration.copy.bounds.find((b) => b.name === 'workers')?.itemsPerSecond).toBe(16_000);
  });

  it('prefers the share with each sampled partition weighed by its size', () => {
    const filtered = { hasWhere: true, readPlan: { kind: 'scan' as const, text: 'parallel Scan, 4 segments, filter from where', segments: 4 } };
    const counted = estimateTable(input({ ...filtered, sample: { ...input().sample, selection: { evaluated: 200, selected: 20, weighted: { share: 0.3, partitions: 40, counted: 40 } } } }), options);
    expect(counted.selected).toEqual({ items: 300_000, share: 0.3, atLeast: false });
    expect(counted.notes).toContain('selected share from 200 sampled items in 40 partitions, each weighed by its size (40 counted): 30%');
    const cut = estimateTable(input({ ...filtered, sample: { ...input().sample, selection: { evaluated: 200, selected: 20, weighted: { share: 0.3, partitions: 40, counted: 12 } } } }), options);
    expect(cut.notes).toContain(
      'selected share from 200 sampled items in 40 partitions, each weighed by its size (12 counted): 30%; the count budget ran out, so the partitions it did not finish weigh less than they should, and the share may be off',
    );
  });

  it('reads only the partitions of a Query plan, exactly when the sample got through them', () => {
    const estimate = estimateTable(
      input({
        hasWhere: true,
        readPlan: { kind: 'query', text: 'Query on id (2 partition values)', segments: 1 },
        sample: { readSizes: repeat(30, 1000), complete: true, selection: { evaluated: 30, selected: 30 }, selectionFrom: 'partitions', writeSizes: repeat(30, 1100), queryBytes: [20_000, 10_000] },
      }),
      options,
    );
    expect(estimate.readPlan.readsWholeTable).toBe(false);
    // One request per partition, each rounded up once: 5 and 3 blocks of 4 KB.
    expect(estimate.read).toMatchObject({ items: 30, bytes: 30_000, units: 4, atLeast: false });
    expect(estimate.selected).toEqual({ items: 30, share: 1, atLeast: false });
    expect(estimate.write.units).toBe(60);
  });

  it('says when a Query plan holds more than the sample read', () => {
    const estimate = estimateTable(
      input({
        hasWhere: true,
        readPlan: { kind: 'query', text: 'Query on id (1 partition value)', segments: 1 },
        sample: { readSizes: repeat(200, 1000), complete: false, selection: { evaluated: 200, selected: 120 }, selectionFrom: 'partitions', writeSizes: repeat(120, 1100), queryBytes: [200_000] },
      }),
      options,
    );
    expect(estimate.read.atLeast).toBe(true);
    expect(estimate.selected).toEqual({ items: 120, share: 0.6, atLeast: true });
    expect(estimate.notes).toContain("the sample stopped after 200 items of the Query's partitions, so reads, writes and time are at least these");
  });

  it('falls back to the sample when DescribeTable still says 0, and says why', () => {
    const estimate = estimateTable(input({ sourceStats: { itemCount: 0, sizeBytes: 0 } }), options);
    expect(estimate.table).toEqual({ items: 200, bytes: 200_000, from: 'sample', atLeast: true });
    expect(estimate.notes[0]).toMatch(/^DescribeTable says 0 items and 0 bytes, but the sample read 200: its figures are refreshed about every six hours/);
  });

  it('uses the sample when it read the whole table, and flags stale-looking figures otherwise', () => {
    const whole = estimateTable(input({ sourceStats: { itemCount: 150, sizeBytes: 150_000 }, sample: { ...input().sample, complete: true } }), options);
    expect(whole.table).toEqual({ items: 200, bytes: 200_000, from: 'sample', atLeast: false });
    expect(whole.notes[0]).toBe('DescribeTable says 150 items, refreshed about every six hours; the sample read all 200, which are used');
    const stale = estimateTable(input({ sourceStats: { itemCount: 1_000_000, sizeBytes: 1e8 } }), options);
    expect(stale.notes[0]).toMatch(/^DescribeTable's average item \(100 bytes\) is far from the sample's \(1000 bytes\)/);
  });

  it('adds the prune of mode replace: a key scan of the destination, a lookup per key, a delete per stale key', () => {
    const estimate = estimateTable(
      input({
        mode: 'replace',
        hasWhere: true,
        readPlan: { kind: 'scan', text: 'parallel Scan, 4 segments, filter from where', segments: 4 },
        destinationState: { kind: 'exists', itemCount: 300_000, sizeBytes: 3.3e8, capacity: { mode: 'provisioned', readUnitsPerSecond: 1000, writeUnitsPerSecond: 1000 } },
        sample: { ...input().sample, selection: { evaluated: 200, selected: 50 } },
      }),
      options,
    );
    expect(estimate.prune).toMatchObject({ checkedItems: 300_000, deletes: 50_000, writeUnits: 100_000 });
    // A key scan of 330 MB in 4 segments (40,290 units), then the source read once more, in 1 MB pages, for the where's partitions (122,112).
    expect(estimate.prune!.readUnits).toBe(40_290 + 122_112);
    // A provisioned destination holds writes at 1,000 units/s: 500 selected items, 2,000 items read a second.
    expect(estimate.duration.copy).toMatchObject({ bound: 'destinationCapacity', seconds: 500 });
  });

  it('prunes forward by reading the selection again instead of looking keys up, and says how much memory it holds', () => {
    const replace = {
      mode: 'replace' as const,
      hasWhere: true,
      readPlan: { kind: 'scan' as const, text: 'parallel Scan, 4 segments, filter from where', segments: 4 },
      destinationState: { kind: 'exists' as const, itemCount: 300_000, sizeBytes: 3.3e8, capacity: { mode: 'provisioned' as const, readUnitsPerSecond: 1000, writeUnitsPerSecond: 1000 } },
      sample: { ...input().sample, selection: { evaluated: 200, selected: 50 } },
    };
    const inverse = estimateTable(input(replace), options);
    const forward = estimateTable(input({ ...replace, prune: 'forward' }), options);
    // The key scan as before (40,290 units), and the copy's own read once more.
    expect(forward.prune!.readUnits).toBe(40_290 + forward.read.units);
    expect(forward.prune).toMatchObject({ checkedItems: inverse.prune!.checkedItems, deletes: inverse.prune!.deletes, writeUnits: inverse.prune!.writeUnits });
    expect(forward.notes).toContain(`the key mappings have no inverse, so the prune reads the selection again (instead of looking keys up) and one worker holds about 55 bytes per selected item: some ${Math.ceil((forward.selected.items * 55) / 1e6)} MB`);
  });

  it('warns when the destination is missing and the job will not create it', () => {
    const estimate = estimateTable(input({ destinationState: { kind: 'missing' } }), options);
    expect(estimate.notes).toContain('destination "UsersStaging" does not exist: the run will fail before writing (createTable: true would create it)');
  });
});

describe('estimateJob', () => {
  it('adds tables up; they run at once but share the workers', () => {
    const a = estimateTable(input({ destinationState: { kind: 'exists', itemCount: 0, sizeBytes: 0, capacity: { mode: 'onDemand', writeUnitsPerSecond: 1e6 } }, readPlan: { kind: 'scan', text: '', segments: 16 } }), options);
    const b = estimateTable(input({ source: 'Orders', destination: 'Orders', destinationState: { kind: 'exists', itemCount: 0, sizeBytes: 0, capacity: { mode: 'onDemand', writeUnitsPerSecond: 1e6 } }, readPlan: { kind: 'scan', text: '', segments: 16 } }), options);
    const job = estimateJob('staging', [a, b], options);
    // Alone, each table keeps its worker busy 250 s; together they need the one worker twice as long.
    expect(a.duration.seconds).toBe(250);
    expect(job.total.seconds).toBe(500);
    expect(job.total.boundBy).toEqual({ kind: 'workers' });
    expect(job.total.writeUnits).toBe(4_000_000);
    expect(job.total.cost.total).toBeCloseTo(a.cost.total + b.cost.total, 9);
  });
});
