/**
 * What one table's run will read, write, cost and take, from its
 * DescribeTable figures, its read plan and a small sample. Pure: the
 * command gathers the inputs (sample-table.ts reads the sample), this turns
 * them into plain numbers, and every guess it makes is said in `notes`.
 *
 * Work is counted in items read: a Scan with a filter reads, and pays for,
 * the whole table whatever it selects, while a Query reads only its
 * partitions. The job's rate limits count the items a page returns (the
 * selected ones), so each ceiling is turned into items read per second
 * through the selected share.
 */
import {
  consistencyOf,
  itemReadUnits,
  itemWriteUnits,
  meanItemUnits,
  pagedReadUnits,
  scanReadUnits,
  type Consistency,
} from './capacity-units.ts';
import { onDemandCost, type Cost, type Prices } from './cost.ts';
import { estimateDuration, ON_DEMAND_DOUBLING_SECONDS, type DurationEstimate, type RateBound } from './duration.ts';
import { PARTITION_READ_UNITS_PER_SECOND, PARTITION_WRITE_UNITS_PER_SECOND, type TableCapacity } from './table-capacity.ts';

export interface EstimateOptions {
  workers: number;
  itemsPerSecondPerWorker: number;
  prices: Prices;
}

export type ReadPlanKind = 'scan' | 'query' | 'partiql';

export interface TableSample {
  /** Sizes of the items the sample read the way the run reads them, before any filter. */
  readSizes: number[];
  /** The sample read everything the run reads: a table that fit in it, or every partition of a Query plan. */
  complete: boolean;
  /** Of the items the where was tested on, how many it selects; `weighted` weighs each sampled partition by its size. */
  selection: { evaluated: number; selected: number; weighted?: { share: number; partitions: number; counted: number } };
  /** How those items were picked: spread over Scan segments, the table's first items (PartiQL reads no segments), or the plan's partitions. */
  selectionFrom: 'segments' | 'tableStart' | 'partitions';
  /** Sizes of the selected sample items after the job's transformation. */
  writeSizes: number[];
  /** Query plans: bytes read per query, as far as the sample got. */
  queryBytes?: number[];
}

export type DestinationState =
  | { kind: 'exists'; itemCount: number; sizeBytes: number; capacity: TableCapacity }
  | { kind: 'created'; capacity: TableCapacity }
  | { kind: 'missing' };

export interface EstimateTableInput {
  source: string;
  destination: string;
  mode: 'upsert' | 'replace';
  consistentRead: boolean;
  hasWhere: boolean;
  readRateLimit?: number;
  writeRateLimit?: number;
  readPlan: { kind: ReadPlanKind; text: string; segments: number };
  /** DescribeTable's ItemCount and TableSizeBytes (the index's, when the job reads one). */
  sourceStats: { itemCount: number; sizeBytes: number };
  sourceCapacity: TableCapacity;
  destinationState: DestinationState;
  sample: TableSample;
  /** How mode replace prunes (src/activities/prune-way.ts): forward reads the selection again instead of looking keys up; absent: inverse. */
  prune?: 'inverse' | 'forward';
}

export interface ReadUnits {
  eventual: number;
  strong: number;
}

export interface TableEstimate {
  source: string;
  destination: string;
  mode: 'upsert' | 'replace';
  readPlan: { kind: ReadPlanKind; text: string; segments: number; readsWholeTable: boolean };
  /** The table (or index) as a whole. */
  table: { items: number; bytes: number; from: 'DescribeTable' | 'sample'; atLeast: boolean };
  sample: { read: number; complete: boolean; tested: number; selected: number; weighted?: { share: number; partitions: number; counted: number } };
  /** What the run will write: the subset. */
  selected: { items: number; share: number; atLeast: boolean };
  read: { items: number; bytes: number; consistency: Consistency; units: number; unitsIf: ReadUnits; atLeast: boolean };
  write: { items: number; averageItemBytes: number; units: number; atLeast: boolean };
  prune?: { checkedItems: number; deletes: number; readUnits: number; writeUnits: number };
  cost: Cost;
  duration: { seconds: number; copy: DurationEstimate; prune?: DurationEstimate };
  notes: string[];
}

/** DescribeTable's figures are refreshed about every six hours (DescribeTable, ItemCount). */
const STALE_RATIO = 2;

export function estimateTable(input: EstimateTableInput, options: EstimateOptions): TableEstimate {
  const notes: string[] = [];
  const { sample, readPlan } = input;
  const readsWholeTable = readPlan.kind !== 'query';
  const table = tableFigures(input, notes);

  // Items and bytes the run reads.
  let readItems: number;
  let readBytes: number;
  let unitsIf: ReadUnits;
  if (readPlan.kind === 'query') {
    const queryBytes = sample.queryBytes ?? [];
    readItems = sample.readSizes.length;
    readBytes = sum(sample.readSizes);
    const units = (c: Consistency) => sum(queryBytes.map((bytes) => pagedReadUnits(bytes, c)));
    unitsIf = { eventual: units('eventual'), strong: units('strong') };
    if (!sample.complete) notes.push(`the sample stopped after ${readItems} items of the Query's partitions, so reads, writes and time are at least these`);
  } else {
    readItems = table.items;
    readBytes = table.bytes;
    const segments = readPlan.kind === 'scan' ? readPlan.segments : 1;
    unitsIf = { eventual: scanReadUnits(readBytes, segments, 'eventual'), strong: scanReadUnits(readBytes, segments, 'strong') };
    if (input.hasWhere) notes.push(`a ${readPlan.kind === 'scan' ? 'Scan with a filter' : 'PartiQL scan'} reads and pays for the whole table, not only the subset`);
  }
  const consistency = consistencyOf(input.consistentRead);

  // The subset.
  const { evaluated: tested, selected: hits, weighted } = sample.selection;
  const share = !input.hasWhere ? 1 : weighted !== undefined ? weighted.share : tested > 0 ? hits / tested : 0;
  let selectedItems: number;
  let selectedAtLeast: boolean;
  if (readPlan.kind === 'query') {
    selectedItems = hits;
    selectedAtLeast = !sample.complete;
  } else {
    // A sample that tested every item counted the subset; otherwise the share is scaled up.
    selectedItems = sample.complete && tested === readItems ? hits : Math.round(share * readItems);
    selectedAtLeast = table.atLeast;
    if (input.hasWhere && !sample.complete) {
      if (weighted !== undefined) {
        notes.push(
          `selected share from ${tested} sampled items in ${weighted.partitions} partitions, each weighed by its size (${weighted.counted} counted): ${formatShare(share)}` +
            (weighted.counted < weighted.partitions ? '; the count budget ran out, so the partitions it did not finish weigh less than they should, and the share may be off' : ''),
        );
      } else {
        notes.push(
          `selected share from ${tested} sampled items${sample.selectionFrom === 'tableStart' ? ' at the start of the table (PartiQL reads no segments; items of one partition sit together)' : ''}: ${formatShare(share)}`,
        );
      }
      if (hits === 0) notes.push(`no sampled item matched the where, so the subset may be small but is not known to be empty; --sample reads more`);
    }
  }

  const writeSizes = sample.writeSizes.length > 0 ? sample.writeSizes : sample.readSizes;
  if (sample.writeSizes.length === 0 && selectedItems > 0) notes.push('no selected item in the sample: write sizes are taken from the items read');
  const writeUnitsPerItem = meanItemUnits(writeSizes, itemWriteUnits);
  const averageWriteBytes = writeSizes.length > 0 ? sum(writeSizes) / writeSizes.length : 0;
  const write = { items: selectedItems, averageItemBytes: averageWriteBytes, units: selectedItems * writeUnitsPerItem, atLeast: selectedAtLeast };
  if (input.destinationState.kind === 'exists' && input.destinationState.itemCount > 0) {
    notes.push(`a put over an item already in "${input.destination}" is charged on the larger of the two; write units assume an earlier copy of the same size`);
  }
  if (input.destinationState.kind === 'missing') notes.push(`destination "${input.destination}" does not exist: the run will fail before writing (createTable: true would create it)`);

  const readAtLeast = readPlan.kind === 'query' ? !sample.complete : table.atLeast;
  const read = { items: readItems, bytes: readBytes, consistency, units: unitsIf[input.consistentRead ? 'strong' : 'eventual'], unitsIf, atLeast: readAtLeast };
  const prune = input.mode === 'replace' ? pruneEstimate(input, { selectedItems, writeSizes, readUnits: unitsIf, tableBytes: table.bytes }, notes) : undefined;
  const cost = onDemandCost(read.units + (prune?.readUnits ?? 0), write.units + (prune?.writeUnits ?? 0), options.prices);

  const copy = estimateDuration(readItems, copyBounds(input, options, { share, readUnits: read.units, writeUnits: write.units, readItems }));
  const pruneDuration = prune ? estimateDuration(prune.checkedItems, pruneBounds(input, options, prune)) : undefined;
  return {
    source: input.source,
    destination: input.destination,
    mode: input.mode,
    readPlan: { ...readPlan, readsWholeTable },
    table,
    sample: { read: sample.readSizes.length, complete: sample.complete, tested, selected: hits, ...(weighted ? { weighted } : {}) },
    selected: { items: selectedItems, share, atLeast: selectedAtLeast },
    read,
    write,
    ...(prune ? { prune } : {}),
    cost,
    duration: { seconds: copy.seconds + (pruneDuration?.seconds ?? 0), copy, ...(pruneDuration ? { prune: pruneDuration } : {}) },
    notes,
  };
}

/** The table's items and bytes: DescribeTable's, unless they are 0 or the sample read the whole table. */
function tableFigures(input: EstimateTableInput, notes: string[]): TableEstimate['table'] {
  const { sample, sourceStats } = input;
  const sampled = { items: sample.readSizes.length, bytes: sum(sample.readSizes) };
  const scansAll = input.readPlan.kind !== 'query';
  if (scansAll && sample.complete) {
    if (sourceStats.itemCount !== sampled.items) {
      notes.push(`DescribeTable says ${sourceStats.itemCount} items, refreshed about every six hours; the sample read all ${sampled.items}, which are used`);
    }
    return { ...sampled, from: 'sample', atLeast: false };
  }
  if (sourceStats.itemCount === 0 || sourceStats.sizeBytes === 0) {
    if (sampled.items === 0) return { items: 0, bytes: 0, from: 'DescribeTable', atLeast: false };
    notes.push(
      `DescribeTable says ${sourceStats.itemCount} items and ${sourceStats.sizeBytes} bytes, but the sample read ${sampled.items}: its figures are refreshed about every six hours, ` +
        'so this table is newer than that or was filled since. Sizes below are at least those of the sample; plan again later for real figures',
    );
    return { ...sampled, from: 'sample', atLeast: true };
  }
  if (sampled.items > 0) {
    const described = sourceStats.sizeBytes / sourceStats.itemCount;
    const seen = sampled.bytes / sampled.items;
    if (described / seen > STALE_RATIO || seen / described > STALE_RATIO) {
      notes.push(
        `DescribeTable's average item (${Math.round(described)} bytes) is far from the sample's (${Math.round(seen)} bytes): its figures are refreshed about every six hours and may be stale, or the sample is not typical`,
      );
    }
  }
  return { items: sourceStats.itemCount, bytes: sourceStats.sizeBytes, from: 'DescribeTable', atLeast: false };
}

/**
 * mode replace, after the copy: a key-only Scan of the whole destination
 * (charged on full item sizes: a projection does not lower it), a lookup of
 * every key in the source (BatchGetItem per item without a where; with one,
 * a Query of each partition the keys fall in; pruned forward, the selection
 * read again instead), and a delete of each key the run did not select.
 */
function pruneEstimate(
  input: EstimateTableInput,
  copy: { selectedItems: number; writeSizes: number[]; readUnits: ReadUnits; tableBytes: number },
  notes: string[],
): NonNullable<TableEstimate['prune']> {
  const before = input.destinationState.kind === 'exists' ? input.destinationState.itemCount : 0;
  // An earlier run of the same job left about the same subset: what is not selected now is what goes.
  const checkedItems = Math.max(before, copy.selectedItems);
  const deletes = Math.max(0, before - copy.selectedItems);
  const averageBytes = copy.writeSizes.length > 0 ? sum(copy.writeSizes) / copy.writeSizes.length : 0;
  const consistency = consistencyOf(input.consistentRead);
  // The key scanner reads eventually consistent pages.
  const scanUnits = scanReadUnits(checkedItems * averageBytes, input.readPlan.segments, 'eventual');
  let lookupUnits: number;
  if (input.prune === 'forward') {
    // The selection read again as the copy reads it, every page transformed to find the keys it gives.
    lookupUnits = copy.readUnits[consistency === 'strong' ? 'strong' : 'eventual'];
  } else if (!input.hasWhere) {
    lookupUnits = checkedItems * meanItemUnits(input.sample.readSizes, (bytes) => itemReadUnits(bytes, consistency));
  } else {
    // The partitions the destination's keys fall in: about all of them after a Scan plan, the plan's own after a Query plan.
    lookupUnits = input.readPlan.kind === 'query' ? copy.readUnits[consistency === 'strong' ? 'strong' : 'eventual'] : scanReadUnits(copy.tableBytes, 1, consistency);
  }
  const writeUnits = deletes * meanItemUnits(copy.writeSizes, itemWriteUnits);
  notes.push(
    `mode replace: the prune checks about ${checkedItems} destination keys and deletes about ${deletes} (the destination's ${before} items less the ${copy.selectedItems} selected, as if an earlier run had copied the same subset)`,
  );
  if (input.prune === 'forward') {
    notes.push(`the key mappings have no inverse, so the prune reads the selection again (instead of looking keys up) and one worker holds about 55 bytes per selected item: some ${Math.ceil((copy.selectedItems * 55) / 1e6)} MB`);
  }
  return { checkedItems, deletes, readUnits: scanUnits + lookupUnits, writeUnits };
}

function copyBounds(
  input: EstimateTableInput,
  options: EstimateOptions,
  work: { share: number; readUnits: number; writeUnits: number; readItems: number },
): RateBound[] {
  const { share, readItems } = work;
  const segments = input.readPlan.segments;
  const bounds: RateBound[] = [];
  // Ceilings on selected items, as items read per second.
  const perSelected = (name: RateBound['name'], selectedPerSecond: number) => {
    if (share > 0) bounds.push({ name, itemsPerSecond: selectedPerSecond / share });
  };
  perSelected('workers', options.workers * options.itemsPerSecondPerWorker);
  perSelected('segments', segments * options.itemsPerSecondPerWorker);
  if (input.readRateLimit !== undefined) perSelected('readRateLimit', input.readRateLimit);
  if (input.writeRateLimit !== undefined) perSelected('writeRateLimit', input.writeRateLimit);
  if (readItems > 0 && work.readUnits > 0) {
    const readUnitsPerItem = work.readUnits / readItems;
    bounds.push({ name: 'sourcePartitions', itemsPerSecond: (segments * PARTITION_READ_UNITS_PER_SECOND) / readUnitsPerItem });
    capacityBound(bounds, 'sourceCapacity', input.sourceCapacity, input.sourceCapacity.readUnitsPerSecond, readUnitsPerItem);
  }
  if (readItems > 0 && work.writeUnits > 0) {
    const writeUnitsPerItem = work.writeUnits / readItems;
    bounds.push({ name: 'destinationPartitions', itemsPerSecond: (segments * PARTITION_WRITE_UNITS_PER_SECOND) / writeUnitsPerItem });
    const destination = input.destinationState.kind === 'missing' ? undefined : input.destinationState.capacity;
    if (destination) capacityBound(bounds, 'destinationCapacity', destination, destination.writeUnitsPerSecond, writeUnitsPerItem);
  }
  return bounds;
}

function pruneBounds(input: EstimateTableInput, options: EstimateOptions, prune: NonNullable<TableEstimate['prune']>): RateBound[] {
  const segments = input.readPlan.segments;
  const bounds: RateBound[] = [
    { name: 'workers', itemsPerSecond: options.workers * options.itemsPerSecondPerWorker },
    { name: 'segments', itemsPerSecond: segments * options.itemsPerSecondPerWorker },
  ];
  if (prune.checkedItems > 0) {
    capacityBound(bounds, 'sourceCapacity', input.sourceCapacity, input.sourceCapacity.readUnitsPerSecond, prune.readUnits / prune.checkedItems);
    const destination = input.destinationState.kind === 'missing' ? undefined : input.destinationState.capacity;
    if (destination && prune.writeUnits > 0) capacityBound(bounds, 'destinationCapacity', destination, destination.writeUnitsPerSecond, prune.writeUnits / prune.checkedItems);
  }
  return bounds;
}

function capacityBound(bounds: RateBound[], name: RateBound['name'], capacity: TableCapacity, unitsPerSecond: number | undefined, unitsPerItem: number): void {
  if (unitsPerSecond === undefined || !(unitsPerItem > 0)) return;
  bounds.push({
    name,
    itemsPerSecond: unitsPerSecond / unitsPerItem,
    ...(capacity.mode === 'onDemand' ? { doublesEverySeconds: ON_DEMAND_DOUBLING_SECONDS } : {}),
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function formatShare(share: number): string {
  if (share === 0) return '0%';
  if (share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}
