/**
 * The privacy report of a run: per table, per path and transformer, how
 * many values the transformer took (replaced, or kept by passthrough), how
 * many had a type it does not take, and which paths the job does not name.
 * Counts, paths and transformer names only: the rows come from the
 * workers' counts (model/counts.ts), never from a value.
 */
import { MAX_REPORTED_PATHS, type PathCount, type TableCounts } from '../../model/counts.ts';

export interface PrivacyReportJson {
  /** Sorted by path, then transformer. */
  paths: PathCount[];
  /** Unnamed paths met: a default took their values, or they were copied as they are. */
  unnamed: string[];
  /** More than MAX_REPORTED_PATHS rows were met: rows past it are not counted. */
  truncated: boolean;
}

/** Absent for reports of runs before the privacy report existed. */
export function privacyReportJson(counts: TableCounts): PrivacyReportJson | undefined {
  if (counts.paths === undefined) return undefined;
  const paths = [...counts.paths].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.transformer ?? '') < (b.transformer ?? '') ? -1 : 1));
  const unnamed = [...new Set(paths.filter((row) => row.unnamed).map((row) => row.path))];
  return { paths, unnamed, truncated: counts.pathsTruncated === true };
}

/** The rows under a table's summary line, or nothing when the report holds no rows. */
export function formatPrivacyReport(table: string, counts: TableCounts): string[] {
  const report = privacyReportJson(counts);
  if (report === undefined || report.paths.length === 0) return [];
  const rows = report.paths.map((row) => [row.path, transformerText(row), String(row.values), String(row.typeMismatches)]);
  const header = ['path', 'transformer', 'values', 'type mismatches'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `    ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  const notes = [
    ...(report.unnamed.length > 0 ? [`    paths the job does not name: ${report.unnamed.join(', ')}`] : []),
    ...(report.truncated ? [`    (more than ${MAX_REPORTED_PATHS} path rows: the rest were not counted)`] : []),
  ];
  return [`  ${table}: values per path (counts only)`, line(header), ...rows.map(line), ...notes];
}

function transformerText(row: PathCount): string {
  if (row.transformer === undefined) return '(copied: no mapping, no default)';
  if (row.unnamed) return `${row.transformer} (default)`;
  return row.transformer === 'passthrough' ? 'passthrough (kept)' : row.transformer;
}
