import type { TableProgress } from './shared.ts';

/** The "current details" the Temporal UI shows for this table: counts and rate, never data. */
export function tableDetails(p: TableProgress, nowMs: number): string {
  const seconds = p.startedAtMs !== undefined ? Math.max(0.001, ((p.finishedAtMs ?? nowMs) - p.startedAtMs) / 1000) : undefined;
  const rate = seconds !== undefined ? Math.round(p.written / seconds) : 0;
  return [
    `**${p.source} -> ${p.destination}**: ${p.status}`,
    `${p.read} read, ${p.written} written${p.deleted ? `, ${p.deleted} deleted` : ''}, ${rate} items/s`,
    ...(p.readPlan ? [`read: ${p.readPlan}`] : []),
  ].join('\n\n');
}
