/** A table's line in runTables' progress: pending, and once its child completed, from its report. */
import { ZERO_COUNTS } from '../model/counts.ts';
import type { TableJob } from '../model/job.ts';
import type { TableProgress, TableReport } from './shared.ts';

export function pending(table: TableJob): TableProgress {
  return { source: table.source, destination: table.destination, status: 'pending', ...ZERO_COUNTS };
}

/** A completed table's line: its report's counts and read plan, no phase. */
export function completed(report: TableReport, startedAtMs: number): TableProgress {
  const { source, destination, read, written, typeMismatches, deleted, merged, oversize, roots, followed, collections, dangling, readPlan, stream } = report;
  const changes = { records: report.records, puts: report.puts, removes: report.removes, skipped: report.skipped };
  return {
    ...{ source, destination, status: 'completed' as const, read, written, typeMismatches, deleted },
    ...(merged !== undefined ? { merged } : {}),
    ...Object.fromEntries(Object.entries(changes).filter(([, n]) => n !== undefined)),
    ...(stream ? { stream } : {}),
    ...(roots !== undefined ? { roots, followed: followed ?? 0, collections: collections ?? 0 } : {}),
    ...(dangling !== undefined ? { dangling } : {}),
    ...(oversize !== undefined ? { oversize } : {}),
    startedAtMs,
    finishedAtMs: startedAtMs + report.durationMs,
    readPlan,
  };
}
