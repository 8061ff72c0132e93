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
  /**
   * Selected items left out because they came out of their transformers
   * over DynamoDB's 400 KB limit: counted only for tables with
   * `oversizeItems: skip` (absent elsewhere, where such an item fails the run).
   */
  oversize?: number;
}

export const ZERO_COUNTS: TableCounts = { read: 0, written: 0, typeMismatches: 0, deleted: 0 };

export function addCounts(a: TableCounts, b: Partial<TableCounts>): TableCounts {
  const optional = (key: 'merged' | 'oversize') => (a[key] === undefined && b[key] === undefined ? undefined : (a[key] ?? 0) + (b[key] ?? 0));
  const merged = optional('merged');
  const oversize = optional('oversize');
  return {
    read: a.read + (b.read ?? 0),
    written: a.written + (b.written ?? 0),
    typeMismatches: a.typeMismatches + (b.typeMismatches ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
    ...(merged !== undefined ? { merged } : {}),
    ...(oversize !== undefined ? { oversize } : {}),
  };
}
