/**
 * The comments `init` writes beside each mapping: the evidence for a
 * flagged path (which recognizer, what share of the sampled values matched,
 * whether the name agreed, the confidence), and for every other path its
 * types and presence. Built from statistics and verdicts only, which hold
 * no value: nothing here can put a sampled value into a job file.
 */
import type { AttributeType } from '../../model/item.ts';
import { FLAG_CONFIDENCE, type RecognizerMatch, type Verdict } from './detect.ts';
import type { PathStats } from './path-tree.ts';

export function percent(share: number): string {
  const value = share * 100;
  if (value === 0) return '0%';
  if (value < 0.1) return '<0.1%';
  if (value < 10 && Math.round(value) !== value) return `${value.toFixed(1)}%`;
  return `${Math.round(value)}%`;
}

/** `S`, or `S 90%, N 10%` when the path holds more than one type. */
export function typesText(stats: Pick<PathStats, 'types' | 'values'>): string {
  const entries = (Object.entries(stats.types) as [AttributeType, number][]).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (entries.length === 1) return entries[0]![0];
  return entries.map(([type, count]) => `${type} ${percent(count / stats.values)}`).join(', ');
}

export function presenceText(stats: Pick<PathStats, 'presence' | 'estimated'>): string {
  return `in ${stats.estimated ? '~' : ''}${percent(stats.presence)} of items`;
}

/** `email: 100% of 12 sampled values, and the name; confidence 0.99`. */
export function matchText(match: RecognizerMatch, sampled: number): string {
  const name = match.name === 'strong' ? 'the name' : match.name === 'weak' ? 'the name (weakly)' : undefined;
  const contains =
    match.contains === undefined
      ? ''
      : ` (holding ${Object.entries(match.contains)
          .map(([kind, share]) => `${kind} in ${percent(share)}`)
          .join(', ')})`;
  const evidence =
    match.share > 0 ? `${percent(match.share)} of ${sampled} sampled value${sampled === 1 ? '' : 's'}${contains}${name ? `, and ${name}` : ''}` : `${name ?? 'the name'} alone`;
  return `${match.recognizer}: ${evidence}; confidence ${match.confidence.toFixed(2)}`;
}

/** The comment of a path the job maps with the suggested transformer. */
export function flaggedComment(stats: PathStats, verdict: Verdict): string {
  return `${matchText(verdict.matches[0]!, verdict.sampled)} | ${typesText(stats)}, ${presenceText(stats)}`;
}

/** The comment of a path written as passthrough: what it holds, and any evidence too weak to flag. */
export function passthroughComment(stats: PathStats, verdict: Verdict | undefined): string {
  const what = `${typesText(stats)}, ${presenceText(stats)}`;
  if (verdict === undefined) return what;
  const best = verdict.matches[0];
  if (best === undefined) return `${what}; nothing recognized in ${verdict.sampled} sampled value${verdict.sampled === 1 ? '' : 's'}`;
  return `${what}; weakly like ${matchText(best, verdict.sampled)} (flagged from ${FLAG_CONFIDENCE.toFixed(2)})`;
}
