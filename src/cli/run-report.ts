/**
 * What a finished run reports: the per-table summary `dynamask run` prints,
 * and the JSON of `--json`. Pure functions of counts, so tests pin them.
 */
import type { RefreshJobResult, TableReport } from '../../workflows/shared.ts';

export function itemsPerSecond(items: number, durationMs: number): number {
  return durationMs > 0 ? Math.round((items * 1000) / durationMs) : 0;
}

export function formatSummary(result: RefreshJobResult): string {
  // Merges are counted only where a job allows key mappings that can merge keys; elsewhere none can happen, and the column stays away.
  const showMerged = result.tables.some((t) => t.merged !== undefined);
  // Skips are counted only for tables with oversizeItems: skip; elsewhere an oversize item fails the run.
  const showOversize = result.tables.some((t) => t.oversize !== undefined);
  const header = ['table', 'read', 'written', 'deleted', ...(showMerged ? ['merged'] : []), ...(showOversize ? ['oversize'] : []), 'type mismatches', 'seconds', 'items/s', 'read plan'];
  const rows = result.tables.map((t: TableReport) => [
    `${t.source} -> ${t.destination}`,
    String(t.read),
    String(t.written),
    // An upsert never deletes: a dash, so a 0 means "replace found nothing stale".
    t.mode === 'replace' ? String(t.deleted) : '-',
    ...(showMerged ? [t.merged === undefined ? '-' : String(t.merged)] : []),
    ...(showOversize ? [t.oversize === undefined ? '-' : String(t.oversize)] : []),
    String(t.typeMismatches),
    (t.durationMs / 1000).toFixed(1),
    String(itemsPerSecond(t.written, t.durationMs)),
    t.readPlan,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const last = header.length - 1;
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === last ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [
    `${result.job}: ${result.tables.length} table(s) copied in ${(result.durationMs / 1000).toFixed(1)}s`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

export interface TableReportJson {
  source: string;
  destination: string;
  sourceConnection: string;
  destinationConnection: string;
  mode: TableReport['mode'];
  readPlan: string;
  read: number;
  written: number;
  deleted: number;
  /** Items that merged with another on their destination key; only for tables whose job allows key collisions. */
  merged?: number;
  /** Items left out for being over 400 KB once transformed; only for tables with oversizeItems: skip. */
  oversize?: number;
  typeMismatches: number;
  durationMs: number;
  itemsPerSecond: number;
}

/** `dynamask run --json`: a stable shape for scripts, whatever the workflow result grows. */
export interface RunReportJson {
  job: string;
  workflowId: string;
  durationMs: number;
  tables: TableReportJson[];
}

export function tableReportJson(t: TableReport): TableReportJson {
  return {
    source: t.source,
    destination: t.destination,
    sourceConnection: t.sourceConnection,
    destinationConnection: t.destinationConnection,
    mode: t.mode,
    readPlan: t.readPlan,
    read: t.read,
    written: t.written,
    deleted: t.deleted,
    ...(t.merged !== undefined ? { merged: t.merged } : {}),
    ...(t.oversize !== undefined ? { oversize: t.oversize } : {}),
    typeMismatches: t.typeMismatches,
    durationMs: t.durationMs,
    itemsPerSecond: itemsPerSecond(t.written, t.durationMs),
  };
}

export function runReportJson(result: RefreshJobResult, workflowId: string): RunReportJson {
  return { job: result.job, workflowId, durationMs: result.durationMs, tables: result.tables.map(tableReportJson) };
}
