/**
 * The reading half of `init` and `init --update`: DescribeTable, then a
 * bounded sample spread over the key space (src/dynamo/spread-scan.ts),
 * folded into a discovery page by page, and the verdicts on its paths.
 *
 * Reads only, and by wiring: the caller hands in a source client, which
 * refuses anything but reads. The sampled items are dropped page by page;
 * the discovery keeps its bounded sample of values per path, which stays
 * in this process.
 */
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { spreadScan } from '../dynamo/spread-scan.ts';
import { describeTable } from '../dynamo/table-info.ts';
import { detectPaths, type Verdict } from './detect.ts';
import { PathDiscovery, type Discovery } from './discover.ts';
import { keyRoles, type TableKeyRoles } from './key-roles.ts';

/** Items sampled per table unless `--sample` says otherwise: enough to meet an attribute on 1 item in 1,000 some 20 times. */
export const DEFAULT_SAMPLE_ITEMS = 20_000;
/**
 * Read units a table's sample may spend unless `--read-units` says
 * otherwise: about 20 MB read eventually consistent (8 KB a unit), some
 * $0.0003 on demand, and about 2% of a second of a 100,000-unit table.
 */
export const DEFAULT_READ_UNITS = 2_500;
/** Items a Scan page of the sample evaluates: small pages keep the overshoot of the read budget small. */
export const SAMPLE_PAGE_ITEMS = 100;
const MIN_SEGMENTS = 50;
const MAX_SEGMENTS = 1_000;
const MIN_SMALL_TABLE_SEGMENTS = 4;

export interface SampleBudget {
  items: number;
  readUnits: number;
  /** Scan segments to spread over; default: spreadSegments. */
  segments?: number;
}

export interface SampleRead {
  items: number;
  readUnits: number;
  pages: number;
  segments: number;
  /** Every segment was read to its end: the sample is the whole table. */
  complete: boolean;
  seconds: number;
}

export interface TableDiscovery {
  table: string;
  description: TableDescription;
  keys: TableKeyRoles;
  discovery: Discovery;
  verdicts: Verdict[];
  read: SampleRead;
}

/**
 * One segment per page of the budget, from 50 to 1,000; fewer for a table
 * DescribeTable says is small (its count may be hours old, so only a
 * count above zero is believed, and a few segments are kept).
 */
export function spreadSegments(budget: SampleBudget, itemCount: number | undefined): number {
  if (budget.segments !== undefined) return budget.segments;
  const spread = Math.min(MAX_SEGMENTS, Math.max(MIN_SEGMENTS, Math.ceil(budget.items / SAMPLE_PAGE_ITEMS)));
  return itemCount !== undefined && itemCount > 0 ? Math.min(spread, Math.max(MIN_SMALL_TABLE_SEGMENTS, Math.ceil(itemCount / SAMPLE_PAGE_ITEMS))) : spread;
}

export async function discoverTable(client: DynamoDBClient, table: string, budget: SampleBudget): Promise<TableDiscovery> {
  const description = await describeTable(client, table);
  const keys = keyRoles(description);
  const discovery = new PathDiscovery({ keys: keys.schema });
  const segments = spreadSegments(budget, description.ItemCount);
  const started = performance.now();
  const read = await spreadScan(client, { table }, {
    segments,
    budget: { items: budget.items, capacityUnits: budget.readUnits },
    pageLimit: SAMPLE_PAGE_ITEMS,
    onPage: (items) => {
      for (const item of items) discovery.add(item);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const found = discovery.finish();
  return {
    table,
    description,
    keys,
    discovery: found,
    verdicts: detectPaths(found.paths),
    read: { items: read.items, readUnits: read.capacityUnits, pages: read.pages, segments, complete: read.complete, seconds },
  };
}
