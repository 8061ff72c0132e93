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
  /**
   * Whole collections and references only (absent elsewhere): items the
   * where (and seeds) picked, of those read; for a table that only follows
   * references, the distinct keys of the referenced selection it followed;
   * for one with a where or seeds beside its references (a union, a table
   * on a cycle of references), the items they picked.
   */
  roots?: number;
  /** Whole collections: items read because they share a root's partition key; references: every item copied (beside a where: every item it did not pick). */
  followed?: number;
  /** Whole collections only: distinct partition keys read whole. */
  collections?: number;
  /**
   * References read by a Scan only (absent elsewhere): items of the
   * referring table whose attribute names no item of the referenced table
   * at all (dangling in the source), none of them copied.
   */
  dangling?: number;
  /**
   * The privacy report: per path (list indexes as `[*]`, nested map keys
   * the job does not name as `*`) and transformer, how many values it
   * took. At most MAX_REPORTED_PATHS rows; absent from runs before it.
   */
  paths?: PathCount[];
  /** Rows past MAX_REPORTED_PATHS were met and not kept. */
  pathsTruncated?: true;
  /**
   * Selected items left out because they came out of their transformers
   * over DynamoDB's 400 KB limit: counted only for tables with
   * `oversizeItems: skip` (absent elsewhere, where such an item fails the run).
   */
  oversize?: number;
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

/** Counts only some tables have (merges allowed, a stream's changes, whole collections, dangling references, oversize items left out), added when either side has them. */
const OPTIONAL_COUNTS = ['merged', 'records', 'puts', 'removes', 'skipped', 'roots', 'followed', 'collections', 'dangling', 'oversize'] as const;

export const ZERO_COUNTS: TableCounts = { read: 0, written: 0, typeMismatches: 0, deleted: 0 };

export function addCounts(a: TableCounts, b: Partial<TableCounts>): TableCounts {
  const sum: TableCounts = {
    read: a.read + (b.read ?? 0),
    written: a.written + (b.written ?? 0),
    typeMismatches: a.typeMismatches + (b.typeMismatches ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
    ...mergePathCounts(a, b),
  };
  for (const name of OPTIONAL_COUNTS) {
    if (a[name] !== undefined || b[name] !== undefined) sum[name] = (a[name] ?? 0) + (b[name] ?? 0);
  }
  return sum;
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
