/**
 * A small sample of what a run will read, taken with the run's own page
 * reader (table-reader.ts) so it reads the way the run does, and never the
 * whole table: at most `size` items are evaluated in each pass.
 *
 * - Scan and PartiQL plans: a Scan spread over many segments, one page of
 *   `size / segments` items each, so it starts at as many places in the key
 *   space (see SAMPLE_SEGMENTS). With a where, the same pages again with the plan's filter: DynamoDB evaluates the same
 *   items, so returned / evaluated is the selected share. A PartiQL plan's
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
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { readTablePage, type ReadCursor } from '../dynamo/table-reader.ts';
import type { QueryPlan, ReadPlan, ScanPlan } from '../dynamo/where/index.ts';
import type { TableSample } from './table-estimate.ts';
import { itemSize } from './item-size.ts';

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
}

export async function sampleTable(client: DynamoDBClient, plan: ReadPlan, size: number): Promise<RawSample> {
  if (!Number.isInteger(size) || size < 1 || size > MAX_SAMPLE_SIZE) throw new RangeError(`sample size must be a whole number from 1 to ${MAX_SAMPLE_SIZE}, not ${size}`);
  return plan.kind === 'query' ? sampleQueries(client, { ...plan, consistentRead: false }, size) : sampleSpread(client, plan, size);
}

async function sampleSpread(client: DynamoDBClient, plan: Exclude<ReadPlan, QueryPlan>, size: number): Promise<RawSample> {
  const segments = Math.min(SAMPLE_SEGMENTS, size);
  const limit = Math.ceil(size / segments);
  const spread: ScanPlan = { kind: 'scan', table: plan.table, ...(plan.index !== undefined ? { index: plan.index } : {}), consistentRead: false, segments };
  const pages = await Promise.all(Array.from({ length: segments }, (_, segment) => readTablePage(client, spread, { segment, limit })));
  const read = pages.flatMap((page) => page.items);
  const complete = pages.every((page) => page.cursor === undefined);

  if (plan.kind === 'scan' && plan.filter === undefined) return { read, complete, selected: read, tested: read.length, selectionFrom: 'segments' };
  if (plan.kind === 'scan') {
    const filtered: ScanPlan = { ...spread, filter: plan.filter! };
    const matches = await Promise.all(Array.from({ length: segments }, (_, segment) => readTablePage(client, filtered, { segment, limit })));
    return { read, complete, selected: matches.flatMap((page) => page.items), tested: read.length, selectionFrom: 'segments' };
  }
  const page = await readTablePage(client, { ...plan, consistentRead: false }, { segment: 0, limit: size });
  // Without a next page the statement evaluated the whole table.
  const tested = page.cursor !== undefined ? size : complete ? read.length : size;
  return { read, complete, selected: page.items, tested, selectionFrom: 'tableStart' };
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
