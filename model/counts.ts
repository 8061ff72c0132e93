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
}

export const ZERO_COUNTS: TableCounts = { read: 0, written: 0, typeMismatches: 0, deleted: 0 };

export function addCounts(a: TableCounts, b: Partial<TableCounts>): TableCounts {
  return {
    read: a.read + (b.read ?? 0),
    written: a.written + (b.written ?? 0),
    typeMismatches: a.typeMismatches + (b.typeMismatches ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
  };
}
