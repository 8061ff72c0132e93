/**
 * A bounded read spread over a table's key space: a Scan split into many
 * segments, each read from its start for a few items, several segments in
 * flight, through the run's own page reader (table-reader.ts). It never
 * reads the whole table unless the table is smaller than the budget.
 *
 * A Scan segment is a slice of the hash-key space, and its first page starts
 * at the first item of a partition; many segments reading a little each
 * meet many partitions, where one segment reading a lot meets few. The
 * budget is in items and, optionally, in read capacity units: no page is
 * started once either is spent, so the pages in flight may pass it by at
 * most `concurrency` pages of `pageLimit` items.
 *
 * Reads are eventually consistent: a sample needs no more, and costs half.
 * Items go to `onPage` as they come and are not kept here.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { readTablePage, type ReadCursor } from './table-reader.ts';
import type { FilterSpec, ScanPlan } from './where/index.ts';

export interface SpreadTarget {
  table: string;
  index?: string;
  /** Items must also match this (a job's where, translated): Limit still counts the items evaluated. */
  filter?: FilterSpec;
}

export interface SpreadBudget {
  /** Items to collect across all segments (returned items, after any filter). */
  items: number;
  /** Read capacity units to spend at most, as DynamoDB reports them. */
  capacityUnits?: number;
}

export interface SpreadOptions {
  /** TotalSegments of the Scan. */
  segments: number;
  budget: SpreadBudget;
  /** Items evaluated per request; default: the segment's share of the budget. */
  pageLimit?: number;
  /** Pages per segment at most; default: as many as the segment's share needs. */
  maxPagesPerSegment?: number;
  /** Segments read at once. */
  concurrency?: number;
  onPage?: (items: Item[], segment: number) => void;
}

export interface SpreadResult {
  /** Items collected (the pages' items, whether or not onPage kept them). */
  items: number;
  /** Every segment was read to its end: the read saw the whole table (or selection). */
  complete: boolean;
  capacityUnits: number;
  pages: number;
  /** Segments started; fewer than `segments` when the budget ran out first. */
  segmentsRead: number;
}

export const DEFAULT_SPREAD_CONCURRENCY = 16;

export async function spreadScan(client: DynamoDBClient, target: SpreadTarget, options: SpreadOptions): Promise<SpreadResult> {
  const { segments, budget } = options;
  if (!Number.isInteger(segments) || segments < 1 || segments > 1_000_000) throw new RangeError(`segments must be a whole number from 1 to 1000000, not ${segments}`);
  if (!(budget.items >= 1)) throw new RangeError(`the item budget must be at least 1, not ${budget.items}`);
  const share = Math.ceil(budget.items / segments);
  const pageLimit = options.pageLimit ?? share;
  const maxPages = options.maxPagesPerSegment ?? Number.POSITIVE_INFINITY;
  const plan: ScanPlan = {
    kind: 'scan',
    table: target.table,
    ...(target.index !== undefined ? { index: target.index } : {}),
    consistentRead: false,
    segments,
    ...(target.filter !== undefined ? { filter: target.filter } : {}),
  };
  const state = { items: 0, capacityUnits: 0, pages: 0, ended: 0, started: 0 };
  const spent = () => state.items >= budget.items || (budget.capacityUnits !== undefined && state.capacityUnits >= budget.capacityUnits);

  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < segments && !spent()) {
      const segment = next++;
      state.started++;
      let cursor: ReadCursor | undefined;
      let collected = 0;
      for (let page = 0; page < maxPages; page++) {
        const read = await readTablePage(client, plan, { segment, limit: Math.min(pageLimit, Math.max(1, share - collected)), returnCapacity: true, ...(cursor ? { cursor } : {}) });
        state.pages++;
        state.items += read.items.length;
        collected += read.items.length;
        // Without a figure from DynamoDB, a page is taken as the most it can cost: 1 MB eventually consistent.
        state.capacityUnits += read.capacityUnits ?? 128;
        if (read.items.length > 0) options.onPage?.(read.items, segment);
        cursor = read.cursor;
        if (cursor === undefined) {
          state.ended++;
          break;
        }
        if (collected >= share || spent()) break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? DEFAULT_SPREAD_CONCURRENCY, segments) }, lane));
  return { items: state.items, complete: state.ended === segments, capacityUnits: state.capacityUnits, pages: state.pages, segmentsRead: state.started };
}
