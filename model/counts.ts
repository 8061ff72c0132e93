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
}

/** The counts of a stream's changes, which addCounts adds only when either side has them. */
const CHANGE_COUNTS = ['records', 'puts', 'removes', 'skipped'] as const;

export const ZERO_COUNTS: TableCounts = { read: 0, written: 0, typeMismatches: 0, deleted: 0 };

export function addCounts(a: TableCounts, b: Partial<TableCounts>): TableCounts {
  const merged = a.merged === undefined && b.merged === undefined ? undefined : (a.merged ?? 0) + (b.merged ?? 0);
  return {
    read: a.read + (b.read ?? 0),
    written: a.written + (b.written ?? 0),
    typeMismatches: a.typeMismatches + (b.typeMismatches ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
    ...(merged !== undefined ? { merged } : {}),
    ...Object.fromEntries(CHANGE_COUNTS.filter((k) => a[k] !== undefined || b[k] !== undefined).map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)])),
  };
}
