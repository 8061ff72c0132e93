/**
 * Capacity units a read or a write consumes, from item sizes. The rules,
 * from "DynamoDB read and write operations"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
 *
 * - a strongly consistent read of up to 4 KB is 1 read unit, an eventually
 *   consistent one half a unit;
 * - GetItem and each item of a BatchGetItem: the item's size rounded up to
 *   4 KB, item by item;
 * - Query: the total size of the items it reads in one request, rounded up
 *   to 4 KB once; Scan: likewise, on the size of the items it evaluates, not
 *   the ones its filter returns. A request that reads nothing still costs a
 *   unit (half for eventually consistent reads). A request reads at most
 *   1 MB, so a segment is charged page by page (a full eventually
 *   consistent page shows as 128.5 units, on DynamoDB Local too, since it
 *   ends on the item that crosses 1 MB; pages taken as exactly 1 MB, as
 *   here, are within 0.4% of that);
 * - a write (PutItem, each item of a BatchWriteItem, DeleteItem) is 1 write
 *   unit per 1 KB of the item, rounded up item by item; a put over an
 *   existing item is charged on the larger of the two, a delete on the
 *   deleted item.
 *
 * On-demand tables are billed in request units that count the same way.
 * "KB" is 1,024 bytes and "MB" 1,024 KB (DynamoDB's constraints page).
 */

export const READ_UNIT_BYTES = 4 * 1024;
export const WRITE_UNIT_BYTES = 1024;
export const PAGE_BYTES = 1024 * 1024;

export type Consistency = 'eventual' | 'strong';

export function consistencyOf(consistentRead: boolean): Consistency {
  return consistentRead ? 'strong' : 'eventual';
}

/** Units per 4 KB read: 1 for a strongly consistent read, 0.5 for an eventually consistent one. */
export function unitsPerReadBlock(consistency: Consistency): number {
  return consistency === 'strong' ? 1 : 0.5;
}

/** One GetItem, or one item of a BatchGetItem: rounded up per item. */
export function itemReadUnits(itemBytes: number, consistency: Consistency): number {
  return Math.max(1, Math.ceil(itemBytes / READ_UNIT_BYTES)) * unitsPerReadBlock(consistency);
}

/** One Query or Scan request that reads (or evaluates) this many bytes: rounded up once. */
export function requestReadUnits(bytes: number, consistency: Consistency): number {
  return Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES)) * unitsPerReadBlock(consistency);
}

/**
 * Reading `bytes` in one chain of 1 MB pages (a Scan segment, one Query's
 * partition): every page rounded up on its own. The pages are taken as
 * equal, which is within one unit per page of any split.
 */
export function pagedReadUnits(bytes: number, consistency: Consistency): number {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  return pages * requestReadUnits(bytes / pages, consistency);
}

/** A parallel Scan of `bytes` in `segments` segments of equal share (DynamoDB splits the key space evenly). */
export function scanReadUnits(bytes: number, segments: number, consistency: Consistency): number {
  return segments * pagedReadUnits(bytes / segments, consistency);
}

/** One put or delete: rounded up to 1 KB per item. */
export function itemWriteUnits(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / WRITE_UNIT_BYTES));
}

/** Mean units per item over a sample, rounding each item on its own as DynamoDB does. */
export function meanItemUnits(sizes: readonly number[], units: (bytes: number) => number): number {
  if (sizes.length === 0) return 0;
  return sizes.reduce((sum, size) => sum + units(size), 0) / sizes.length;
}
