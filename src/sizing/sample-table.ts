/**
 * A small sample of what a run will read, taken with the run's own page
 * reader (table-reader.ts) so it reads the way the run does, and never the
 * whole table: at most `size` items are evaluated in each pass.
 *
 * - Scan and PartiQL plans: a Scan spread over many segments, one page of
 *   `size / segments` items each (src/dynamo/spread-scan.ts), so it starts
 *   at as many places in the key space (see SAMPLE_SEGMENTS). With a where, the same pages again with the plan's filter: DynamoDB evaluates the same
 *   items, so returned / evaluated is the selected share, each partition
 *   weighed by its size (see partitionSizes). A PartiQL plan's
 *   condition cannot be a filter, so its share comes from the statement
 *   itself with `Limit` (items evaluated) from the table's start.
 * - Query plans: the plan's queries in order, without and then with their
 *   filter, page for page alike, until `size` items were read; when they all
 *   end first, the sample holds exactly what the run reads.
 *
 * Reads are eventually consistent whatever the job says: a sample needs no
 * more, and costs half. The items stay in memory; only sizes and counts
 * leave the command.
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { spreadScan, type SpreadOptions, type SpreadTarget } from '../dynamo/spread-scan.ts';
import { readTablePage, type ReadCursor } from '../dynamo/table-reader.ts';
import type { QueryPlan, ReadKeys, RootsPlan, ScanPlan } from '../dynamo/where/index.ts';
import type { TableSample } from './table-estimate.ts';
import { itemSize } from '../../model/item-size.ts';

/**
 * Places a spread sample starts reading. A Scan page starts at the first
 * item of a partition and reads on through its items, so a sample weighs
 * partitions more than items when a table has few, large ones. Measured on
 * the movie sample (93 years as partition keys, 4,609 items), 200 items
 * met 17 years as 8 segments of 25 and 55 years as 50 segments of 4.
 */
export const SAMPLE_SEGMENTS = 50;
export const DEFAULT_SAMPLE_SIZE = 200;
export const MAX_SAMPLE_SIZE = 1000;

export interface RawSample {
  /** What the run reads, before any filter. */
  read: Item[];
  complete: boolean;
  /** The where's matches among the `tested` items. */
  selected: Item[];
  tested: number;
  selectionFrom: TableSample['selectionFrom'];
  /** Query plans: bytes read per query. */
  queryBytes?: number[];
  /** Filtered Scan plans: the selected share with each sampled partition weighed by its size. */
  weighted?: { share: number; partitions: number; counted: number };
}

/** `keys`: the key schema of what the plan reads (the index's, for an index). */
export async function sampleTable(client: DynamoDBClient, plan: RootsPlan, keys: ReadKeys, size: number): Promise<RawSample> {
  if (!Number.isInteger(size) || size < 1 || size > MAX_SAMPLE_SIZE) throw new RangeError(`sample size must be a whole number from 1 to ${MAX_SAMPLE_SIZE}, not ${size}`);
  return plan.kind === 'query' ? sampleQueries(client, { ...plan, consistentRead: false }, size) : sampleSpread(client, plan, keys, size);
}

async function sampleSpread(client: DynamoDBClient, plan: Exclude<RootsPlan, QueryPlan>, keys: ReadKeys, size: number): Promise<RawSample> {
  const segments = Math.min(SAMPLE_SEGMENTS, size);
  const limit = Math.ceil(size / segments);
  const target = { table: plan.table, ...(plan.index !== undefined ? { index: plan.index } : {}) };
  // One page per segment, all at once: the same pages again with a filter evaluate the same items.
  const pages = { segments, budget: { items: size }, pageLimit: limit, maxPagesPerSegment: 1, concurrency: segments };
  const { items: read, complete } = await spreadItems(client, target, pages);

  if (plan.kind === 'scan' && plan.filter === undefined) return { read, complete, selected: read, tested: read.length, selectionFrom: 'segments' };
  if (plan.kind === 'scan') {
    const { items: selected } = await spreadItems(client, { ...target, filter: plan.filter! }, pages);
    const weighted = complete ? undefined : await weightedShare(client, plan, keys.hash.name, read, selected);
    return { read, complete, selected, tested: read.length, selectionFrom: 'segments', ...(weighted ? { weighted } : {}) };
  }
  const page = await readTablePage(client, { ...plan, consistentRead: false }, { segment: 0, limit: size });
  // Without a next page the statement evaluated the whole table.
  const tested = page.cursor !== undefined ? size : complete ? read.length : size;
  return { read, complete, selected: page.items, tested, selectionFrom: 'tableStart' };
}

/** The spread's items in segment order, as one list. */
async function spreadItems(client: DynamoDBClient, target: SpreadTarget, options: SpreadOptions): Promise<{ items: Item[]; complete: boolean }> {
  const bySegment: Item[][] = [];
  const result = await spreadScan(client, target, { ...options, onPage: (items, segment) => (bySegment[segment] = [...(bySegment[segment] ?? []), ...items]) });
  return { items: bySegment.flatMap((items) => items ?? []), complete: result.complete };
}

async function sampleQueries(client: DynamoDBClient, plan: QueryPlan, size: number): Promise<RawSample> {
  const unfiltered = withoutFilters(plan);
  const read: Item[] = [];
  const queryBytes = plan.queries.map(() => 0);
  const limits: number[] = [];
  let cursor: ReadCursor | undefined;
  let complete = false;
  while (read.length < size) {
    const limit = size - read.length;
    const query = cursor?.query ?? 0;
    const page = await readTablePage(client, unfiltered, { segment: 0, limit, ...(cursor ? { cursor } : {}) });
    limits.push(limit);
    read.push(...page.items);
    queryBytes[query]! += page.items.reduce((sum, item) => sum + itemSize(item), 0);
    cursor = page.cursor;
    if (cursor === undefined) {
      complete = true;
      break;
    }
  }
  if (!plan.queries.some((query) => query.filter !== undefined)) {
    return { read, complete, selected: read, tested: read.length, selectionFrom: 'partitions', queryBytes };
  }
  // The same limits page for page: each filtered page evaluates the items its unfiltered twin read.
  const selected: Item[] = [];
  cursor = undefined;
  for (const limit of limits) {
    const page = await readTablePage(client, plan, { segment: 0, limit, ...(cursor ? { cursor } : {}) });
    selected.push(...page.items);
    cursor = page.cursor;
    if (cursor === undefined) break;
  }
  return { read, complete, selected, tested: read.length, selectionFrom: 'partitions', queryBytes };
}

/**
 * The selected share with each partition the sample met weighed by its
 * size: a sampled page holds the first items of a partition, whatever its
 * size, so a plain ratio over-counts small partitions. A partition of c
 * items of which the sample read n and the filter kept s adds c·s/n of
 * c; the sizes come from Select COUNT queries (key condition only) within
 * COUNT_BUDGET_UNITS, and a partition the budget cut short weighs what was
 * counted of it.
 */
async function weightedShare(client: DynamoDBClient, plan: ScanPlan, hash: string, read: readonly Item[], selected: readonly Item[]): Promise<RawSample['weighted']> {
  const partitions = new Map<string, { value: AttributeValue; read: number; selected: number; size?: number; counted?: boolean }>();
  for (const item of read) {
    const id = JSON.stringify(item[hash]);
    const entry = partitions.get(id) ?? { value: item[hash]!, read: 0, selected: 0 };
    entry.read++;
    partitions.set(id, entry);
  }
  for (const item of selected) {
    const entry = partitions.get(JSON.stringify(item[hash]));
    if (entry) entry.selected++;
  }
  const entries = [...partitions.values()];
  const budget = { units: COUNT_BUDGET_UNITS };
  let next = 0;
  const lane = async () => {
    while (next < entries.length && budget.units > 0) {
      const entry = entries[next++]!;
      const { count, complete } = await countPartition(client, plan, hash, entry.value, budget);
      entry.size = Math.max(count, entry.read);
      entry.counted = complete;
    }
  };
  await Promise.all(Array.from({ length: Math.min(COUNT_CONCURRENCY, entries.length) }, lane));
  let weight = 0;
  let kept = 0;
  for (const entry of entries) {
    const size = entry.size ?? entry.read;
    weight += size;
    kept += (size * entry.selected) / entry.read;
  }
  return { share: weight > 0 ? kept / weight : 0, partitions: entries.length, counted: entries.filter((e) => e.counted).length };
}

/** Read units (eventually consistent, ~8 KB each) the partition counts may spend per table: ~4 MB read. */
export const COUNT_BUDGET_UNITS = 512;
const COUNT_CONCURRENCY = 8;

/** Items in one partition; `complete` is false when the budget ran out before its end. */
async function countPartition(client: DynamoDBClient, plan: ScanPlan, hash: string, value: AttributeValue, budget: { units: number }): Promise<{ count: number; complete: boolean }> {
  let count = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    if (budget.units <= 0) return { count, complete: false };
    const output = await client.send(
      new QueryCommand({
        TableName: plan.table,
        ...(plan.index !== undefined ? { IndexName: plan.index } : {}),
        KeyConditionExpression: '#h = :h',
        ExpressionAttributeNames: { '#h': hash },
        ExpressionAttributeValues: { ':h': value },
        Select: 'COUNT',
        ReturnConsumedCapacity: 'TOTAL',
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    count += output.Count ?? 0;
    // Without a figure from DynamoDB, a page is taken as the most it can cost: 1 MB.
    budget.units -= output.ConsumedCapacity?.CapacityUnits ?? 128;
    ExclusiveStartKey = output.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { count, complete: true };
}

/** The plan's queries with their key conditions alone; DynamoDB refuses names and values an expression does not use. */
function withoutFilters(plan: QueryPlan): QueryPlan {
  return {
    ...plan,
    queries: plan.queries.map(({ keyCondition, names, values }) => {
      const used = new Set(keyCondition.match(/[#:][A-Za-z0-9_]+/g) ?? []);
      return {
        keyCondition,
        names: Object.fromEntries(Object.entries(names).filter(([placeholder]) => used.has(placeholder))),
        values: Object.fromEntries(Object.entries(values).filter(([placeholder]) => used.has(placeholder))),
      };
    }),
  };
}
