/**
 * What a finished run reports: the per-table summary `dynamask run` prints,
 * and the JSON of `--json`. Pure functions of counts, so tests pin them.
 */
import type { RefreshJobResult, TableReport } from '../../workflows/shared.ts';
import { formatPrivacyReport, privacyReportJson, type PrivacyReportJson } from './privacy-report.ts';

export function itemsPerSecond(items: number, durationMs: number): number {
  return durationMs > 0 ? Math.round((items * 1000) / durationMs) : 0;
}

export function formatSummary(result: RefreshJobResult): string {
  // Merges are counted only where a job allows key mappings that can merge keys; elsewhere none can happen, and the column stays away.
  const showMerged = result.tables.some((t) => t.merged !== undefined);
  // Roots and followed items are counted only for whole collections and references.
  const showCollections = result.tables.some((t) => t.roots !== undefined);
  // Dangling references are counted only where a references table is read by a Scan, which meets them.
  const showDangling = result.tables.some((t) => t.dangling !== undefined);
  // Skips are counted only for tables with oversizeItems: skip; elsewhere an oversize item fails the run.
  const showOversize = result.tables.some((t) => t.oversize !== undefined);
  const header = [
    'table',
    'read',
    ...(showCollections ? ['roots', 'followed', 'collections'] : []),
    ...(showDangling ? ['dangling'] : []),
    'written',
    'deleted',
    ...(showMerged ? ['merged'] : []),
    ...(showOversize ? ['oversize'] : []),
    'type mismatches',
    'seconds',
    'items/s',
    'read plan',
  ];
  const optional = (n: number | undefined) => (n === undefined ? '-' : String(n));
  const rows = result.tables.map((t: TableReport) => [
    `${t.source} -> ${t.destination}`,
    String(t.read),
    ...(showCollections ? [optional(t.roots), optional(t.followed), optional(t.collections)] : []),
    ...(showDangling ? [optional(t.dangling)] : []),
    String(t.written),
    // An upsert never deletes: a dash, so a 0 means "replace found nothing stale".
    t.mode === 'upsert' ? '-' : String(t.deleted),
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
  const privacy = result.tables.flatMap((t) => formatPrivacyReport(`${t.source} -> ${t.destination}`, t));
  return [
    `${result.job}: ${result.tables.length} table(s) copied in ${(result.durationMs / 1000).toFixed(1)}s`,
    line(header),
    ...rows.map(line),
    ...result.tables.flatMap((t) => (t.mode === 'incremental' ? [streamLine(t)] : [])),
    ...(privacy.length > 0 ? ['privacy report:', ...privacy] : []),
  ].join('\n');
}

/** An incremental table's stream: what it applied, how far behind it ended, and why it copied in full when it did. */
export function streamLine(t: TableReport): string {
  const changes = `${t.records ?? 0} records read, ${t.puts ?? 0} puts, ${t.removes ?? 0} deletes, ${t.skipped ?? 0} skipped (outside the subset)`;
  const lag = t.stream?.lagMs !== undefined ? `, lag ${(t.stream.lagMs / 1000).toFixed(1)}s${t.stream.following ? ' when it stopped following' : ''}` : '';
  const fallback = t.stream?.fallback !== undefined ? `; full copy: ${t.stream.fallback}` : '';
  return `${t.source} -> ${t.destination} stream: ${changes}${lag}${fallback}`;
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
  /** Whole collections: items the where (and seeds) picked, items read with them, and partition keys read whole; references: the referenced keys followed, and the items copied (beside a where, or on a cycle of references: the items the where picked, and the others copied). */
  roots?: number;
  followed?: number;
  collections?: number;
  /** References read by a Scan only: items whose attribute names no item of the referenced table (none copied). */
  dangling?: number;
  /** Items left out for being over 400 KB once transformed; only for tables with oversizeItems: skip. */
  oversize?: number;
  typeMismatches: number;
  durationMs: number;
  itemsPerSecond: number;
  /** mode incremental: the stream's records and what they became, the lag at the end, and why the run copied in full (absent: it did not). */
  stream?: { records: number; puts: number; deletes: number; skipped: number; lagMs?: number; fallback?: string };
  /** Per path and transformer: values taken, type mismatches, unnamed paths; absent for runs before it existed. */
  privacy?: PrivacyReportJson;
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
    ...(t.roots !== undefined ? { roots: t.roots, followed: t.followed ?? 0, collections: t.collections ?? 0 } : {}),
    ...(t.dangling !== undefined ? { dangling: t.dangling } : {}),
    ...(t.oversize !== undefined ? { oversize: t.oversize } : {}),
    typeMismatches: t.typeMismatches,
    durationMs: t.durationMs,
    itemsPerSecond: itemsPerSecond(t.written, t.durationMs),
    ...(t.mode === 'incremental' && {
      stream: {
        records: t.records ?? 0,
        puts: t.puts ?? 0,
        deletes: t.removes ?? 0,
        skipped: t.skipped ?? 0,
        ...(t.stream?.lagMs !== undefined && { lagMs: t.stream.lagMs }),
        ...(t.stream?.fallback !== undefined && { fallback: t.stream.fallback }),
      },
    }),
    ...privacyOf(t),
  };
}

function privacyOf(t: TableReport): { privacy?: PrivacyReportJson } {
  const privacy = privacyReportJson(t);
  return privacy === undefined ? {} : { privacy };
}

export function runReportJson(result: RefreshJobResult, workflowId: string): RunReportJson {
  return { job: result.job, workflowId, durationMs: result.durationMs, tables: result.tables.map(tableReportJson) };
}
