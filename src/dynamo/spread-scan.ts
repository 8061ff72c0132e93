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
 * most `concurrency` pages of `pageLimit` items. The budget is shared in
 * rounds: each open segment reads its share of what is left, and the
 * segments that ran out (a table of few partitions leaves most segments
 * empty) leave their share to the others in the next round.
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
  /** Items evaluated per request; default: the segment's share of the round. */
  pageLimit?: number;
  /** Pages per segment at most, over all rounds; default: as many as the budget needs. */
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
  const maxPages = options.maxPagesPerSegment ?? Number.POSITIVE_INFINITY;
  const plan: ScanPlan = {
    kind: 'scan',
    table: target.table,
    ...(target.index !== undefined ? { index: target.index } : {}),
    consistentRead: false,
    segments,
    ...(target.filter !== undefined ? { filter: target.filter } : {}),
  };
  const state = { items: 0, capacityUnits: 0, pages: 0, ended: 0 };
  const spent = () => state.items >= budget.items || (budget.capacityUnits !== undefined && state.capacityUnits >= budget.capacityUnits);

  // Rounds: each open segment reads its share of what is left of the budget;
  // segments that ran dry (few partitions, a selective filter) leave theirs to the others next round.
  let open: Open[] = Array.from({ length: segments }, (_, segment) => ({ segment, pages: 0 }));
  const started = new Set<number>();
  while (open.length > 0 && !spent()) {
    const share = Math.max(1, Math.ceil((budget.items - state.items) / open.length));
    const pageLimit = options.pageLimit ?? share;
    const next: Open[] = [];
    let taken = 0;
    const lane = async (): Promise<void> => {
      while (taken < open.length && !spent()) {
        const task = open[taken++]!;
        started.add(task.segment);
        let collected = 0;
        let cursor = task.cursor;
        let pages = task.pages;
        let ended = false;
        while (pages < maxPages) {
          const read = await readTablePage(client, plan, { segment: task.segment, limit: Math.min(pageLimit, Math.max(1, share - collected)), returnCapacity: true, ...(cursor ? { cursor } : {}) });
          pages++;
          state.pages++;
          state.items += read.items.length;
          collected += read.items.length;
          // Without a figure from DynamoDB, a page is taken as the most it can cost: 1 MB eventually consistent.
          state.capacityUnits += read.capacityUnits ?? 128;
          if (read.items.length > 0) options.onPage?.(read.items, task.segment);
          cursor = read.cursor;
          if (cursor === undefined) {
            ended = true;
            state.ended++;
            break;
          }
          if (collected >= share || spent()) break;
        }
        if (!ended && pages < maxPages) next.push({ segment: task.segment, pages, ...(cursor ? { cursor } : {}) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? DEFAULT_SPREAD_CONCURRENCY, open.length) }, lane));
    // Segments the budget left unstarted this round stay open for the next, should there be budget left.
    open = [...next, ...open.slice(taken)];
  }
  return { items: state.items, complete: state.ended === segments, capacityUnits: state.capacityUnits, pages: state.pages, segmentsRead: started.size };
}

interface Open {
  readonly segment: number;
  readonly pages: number;
  readonly cursor?: ReadCursor;
}
