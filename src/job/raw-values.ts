/**
 * The raw document as `toJS` gives it, before the schema has vouched for
 * anything: the checks look into it through these helpers.
 */
import type { DocPath } from '../../model/problems.ts';

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A copy of the raw document with the values at these paths replaced; paths that lead nowhere are skipped. */
export function withValuesAt(raw: unknown, changes: readonly { path: DocPath; value: unknown }[]): unknown {
  const copy = structuredClone(raw);
  for (const { path, value } of changes) {
    if (path.length === 0) continue;
    let parent: unknown = copy;
    for (const segment of path.slice(0, -1)) parent = typeof parent === 'object' && parent !== null ? (parent as Record<string | number, unknown>)[segment] : undefined;
    if (typeof parent === 'object' && parent !== null) (parent as Record<string | number, unknown>)[path.at(-1)!] = value;
  }
  return copy;
}
