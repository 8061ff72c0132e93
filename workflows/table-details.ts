import { renderTableFailure } from '../model/failure.ts';
import type { TableProgress } from './shared.ts';

/**
 * The "current details" the Temporal UI shows for this table: counts and
 * rate, never data. A failed table shows its failure as every other view
 * does (it names the table and its counts already).
 */
export function tableDetails(p: TableProgress, nowMs: number): string {
  const plan = p.readPlan ? [`read: ${p.readPlan}`] : [];
  if (p.status === 'failed' && p.failure) return [markdownText(renderTableFailure(p.failure)), ...plan].join('\n\n');
  const seconds = p.startedAtMs !== undefined ? Math.max(0.001, ((p.finishedAtMs ?? nowMs) - p.startedAtMs) / 1000) : undefined;
  const rate = seconds !== undefined ? Math.round(p.written / seconds) : 0;
  return [`**${p.source} -> ${p.destination}**: ${p.status}`, `${p.read} read, ${p.written} written${p.deleted ? `, ${p.deleted} deleted` : ''}, ${rate} items/s`, ...streamDetails(p), ...plan].join('\n\n');
}

/** mode incremental: the changes applied and the lag (age of the oldest record not applied yet), or why it copies in full. */
function streamDetails(p: TableProgress): string[] {
  if (p.stream === undefined && p.records === undefined) return [];
  const lag = p.stream?.lagMs !== undefined ? `, lag ${(p.stream.lagMs / 1000).toFixed(1)}s` : '';
  const applied = `${p.stream?.following ? 'following its stream: ' : 'stream: '}${p.records ?? 0} changes applied (${p.puts ?? 0} puts, ${p.removes ?? 0} deletes, ${p.skipped ?? 0} skipped)${lag}`;
  return [applied, ...(p.stream?.fallback !== undefined ? [markdownText(`full copy: ${p.stream.fallback}`)] : [])];
}

/** The UI renders details as markdown: a path such as `tags[*].name[*]` must not turn into emphasis (a line starting "table" needs no more). */
function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<~]/g, '\\$&');
}
