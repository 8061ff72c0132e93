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
   * The privacy report: per path (list indexes as `[*]`, nested map keys
   * the job does not name as `*`) and transformer, how many values it
   * took. At most MAX_REPORTED_PATHS rows; absent from runs before it.
   */
  paths?: PathCount[];
  /** Rows past MAX_REPORTED_PATHS were met and not kept. */
  pathsTruncated?: true;
}

/**
 * Rows of the privacy report kept per table (some 80 bytes of JSON each, so
 * at most ~8 KB): bounds every copyPages result and heartbeat, the table's
 * result and each continueAsNew that carries its counts. Progress reports
 * and queries leave the rows out (liveCounts).
 */
export const MAX_REPORTED_PATHS = 100;

export interface PathCount {
  path: string;
  /** The transformer that took the values: a mapping's, a default's (`unnamed`), or none (`unnamed`, copied as they are). */
  transformer?: string;
  /** Values the transformer took: replaced, except that passthrough keeps them. */
  values: number;
  /** Values of a type the transformer does not take (onTypeMismatch said what became of them); not in `values`. */
  typeMismatches: number;
  /** No mapping names the path: a default took its values, or they were copied as they are. */
  unnamed?: true;
}

/** The counts without the privacy report's rows: what progress reports, queries and the UI's details carry. */
export function liveCounts(counts: TableCounts): Omit<TableCounts, 'paths' | 'pathsTruncated'> {
  const { paths: _paths, pathsTruncated: _truncated, ...live } = counts;
  return live;
}

export const ZERO_COUNTS: TableCounts = { read: 0, written: 0, typeMismatches: 0, deleted: 0 };

export function addCounts(a: TableCounts, b: Partial<TableCounts>): TableCounts {
  const merged = a.merged === undefined && b.merged === undefined ? undefined : (a.merged ?? 0) + (b.merged ?? 0);
  return {
    read: a.read + (b.read ?? 0),
    written: a.written + (b.written ?? 0),
    typeMismatches: a.typeMismatches + (b.typeMismatches ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
    ...(merged !== undefined ? { merged } : {}),
    ...mergePathCounts(a, b),
  };
}

/** The rows of both, added by path and transformer, in the order first met; capped at MAX_REPORTED_PATHS. */
function mergePathCounts(a: Partial<TableCounts>, b: Partial<TableCounts>): Pick<TableCounts, 'paths' | 'pathsTruncated'> {
  if (a.paths === undefined && b.paths === undefined) return a.pathsTruncated || b.pathsTruncated ? { pathsTruncated: true } : {};
  const rows = new Map<string, PathCount>();
  let truncated = a.pathsTruncated === true || b.pathsTruncated === true;
  for (const row of [...(a.paths ?? []), ...(b.paths ?? [])]) {
    const key = `${row.path}\u0000${row.transformer ?? ''}`;
    const known = rows.get(key);
    if (known !== undefined) rows.set(key, { ...known, values: known.values + row.values, typeMismatches: known.typeMismatches + row.typeMismatches });
    else if (rows.size < MAX_REPORTED_PATHS) rows.set(key, { ...row });
    else truncated = true;
  }
  return { paths: [...rows.values()], ...(truncated ? { pathsTruncated: true as const } : {}) };
}
