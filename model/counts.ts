/**
 * What a table's copy counts as it goes: plain numbers, the only thing about
 * items that ever reaches Temporal.
 */

export interface TableCounts {
  read: number;
  written: number;
  /** Values whose type their transformer does not take (see onTypeMismatch). */
  typeMismatches: number;
  /** Destination items removed by `mode: replace` after a complete copy. */
  deleted: number;
  /**
   * Selected items whose destination key another selected item also got, so
   * that only one of them is there: counted only for tables whose job allows
   * key mappings that can merge keys (absent elsewhere, where none can).
   */
  merged?: number;
  /** mode incremental: stream records read (absent for other modes and before any was read). */
  records?: number;
  /** Transformed new images put from stream records (INSERT, MODIFY) inside the subset. */
  puts?: number;
  /** Destination keys deleted for REMOVE records (deletes and TTL expiries). */
  removes?: number;
  /** Records whose new image is outside the subset: not put (their key deleted, in case the destination held an earlier version). */
  skipped?: number;
  /** Whole collections only (absent elsewhere): items the where (and seeds) picked, of those read. */
  roots?: number;
  /** Whole collections only: items read because they share a root's partition key. */
  followed?: number;
  /** Whole collections only: distinct partition keys read whole. */
  collections?: number;
}

/** Counts only some tables have (merges allowed, a stream's changes, whole collections), added when either side has them. */
const OPTIONAL_COUNTS = ['merged', 'records', 'puts', 'removes', 'skipped', 'roots', 'followed', 'collections'] as const;

export const ZERO_COUNTS: TableCounts = { read: 0, written: 0, typeMismatches: 0, deleted: 0 };

export function addCounts(a: TableCounts, b: Partial<TableCounts>): TableCounts {
  const sum: TableCounts = {
    read: a.read + (b.read ?? 0),
    written: a.written + (b.written ?? 0),
    typeMismatches: a.typeMismatches + (b.typeMismatches ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
  };
  for (const name of OPTIONAL_COUNTS) {
    if (a[name] !== undefined || b[name] !== undefined) sum[name] = (a[name] ?? 0) + (b[name] ?? 0);
  }
  return sum;
}
