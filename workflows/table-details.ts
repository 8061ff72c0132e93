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
  return [`**${p.source} -> ${p.destination}**: ${p.status}`, `${p.read} read, ${p.written} written${p.deleted ? `, ${p.deleted} deleted` : ''}, ${rate} items/s`, ...plan].join('\n\n');
}

/** The UI renders details as markdown: a path such as `tags[*].name[*]` must not turn into emphasis (a line starting "table" needs no more). */
function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<~]/g, '\\$&');
}
