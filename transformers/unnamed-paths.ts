/**
 * Strict mode's question of a transformed page: which paths did no mapping
 * name? The plan's walk collects them (PlanCounts.unmapped, list indexes
 * as `[*]`). Primary key attributes never reach it: a run passes them
 * through unless a mapping names them. An empty map or list holds no value
 * to leak, so it does not count; what it comes to hold will.
 *
 * What leaves the worker (a failure, a report) must not hold a value, and
 * a nested map key can be one (`contacts.<email>.phone`): one the job does
 * not name shows as `*`, as in every message (model/path.ts). Top-level
 * names are attribute names. `validate --sample` and `init --update`,
 * which print on the user's terminal only, show the names.
 */
import { formatPath, parsePathPattern, type PatternSegment } from '../model/path.ts';
import type { TransformerRef } from '../model/job.ts';
import { knownNamesOf } from './mapping-rules.ts';
import type { PlanCounts } from './plan.ts';

/** Paths a strict failure lists; the count says how many more. */
export const MAX_UNNAMED_LISTED = 10;

/** The unnamed paths that hold values, nested names the job does not know masked, sorted and each once. */
export function unnamedPaths(unmapped: PlanCounts['unmapped'], knownNames: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const [path, { type }] of unmapped ?? []) if (type !== 'M' && type !== 'L') out.add(maskedPath(path, knownNames));
  return [...out].sort();
}

/** The nested names a table's job names (its mappings' and its rule sets'), which messages may show. */
export function tableKnownNames(table: { readonly transformers: Record<string, TransformerRef>; readonly rules?: readonly { readonly transformers: Record<string, TransformerRef> }[] }): Set<string> {
  return new Set([table.transformers, ...(table.rules ?? []).map((rule) => rule.transformers)].flatMap((transformers) => [...knownNamesOf(transformers)]));
}

/** `contacts.<key>.fax` -> `contacts.*.fax` unless the job names `<key>`. */
export function maskedPath(path: string, knownNames: ReadonlySet<string>): string {
  return parsePathPattern(path)
    .segments.map((segment: PatternSegment, i) => {
      if (segment.kind === 'anyIndex') return '[*]';
      if (segment.kind === 'index') return `[${segment.index}]`;
      if (segment.kind === 'anyKey') return '.*';
      if (i === 0) return formatPath([segment.name]);
      return knownNames.has(segment.name) ? `.${formatPath([segment.name])}` : '.*';
    })
    .join('');
}

/** `a, b and 3 more`: the paths a message names, at most MAX_UNNAMED_LISTED. */
export function listUnnamed(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_UNNAMED_LISTED);
  const more = paths.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
