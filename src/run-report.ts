/**
 * What `dynamask run` prints: progress lines while a run goes, and the
 * per-table summary at the end. Pure functions of counts, so tests pin them.
 */
import type { RefreshJobResult, TableProgress, TableReport } from '../workflows/shared.ts';

export function itemsPerSecond(items: number, durationMs: number): number {
  return durationMs > 0 ? Math.round((items * 1000) / durationMs) : 0;
}

export function formatProgress(tables: readonly TableProgress[]): string {
  return tables.map((t) => `${t.source} -> ${t.destination}: ${t.status}, ${t.read} read, ${t.written} written`).join(' | ');
}

export function formatSummary(result: RefreshJobResult): string {
  const header = ['table', 'read', 'written', 'type mismatches', 'seconds', 'items/s'];
  const rows = result.tables.map((t: TableReport) => [
    `${t.source} -> ${t.destination}`,
    String(t.read),
    String(t.written),
    String(t.typeMismatches),
    (t.durationMs / 1000).toFixed(1),
    String(itemsPerSecond(t.written, t.durationMs)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `${result.job}: ${result.tables.length} table(s) copied in ${(result.durationMs / 1000).toFixed(1)}s`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
