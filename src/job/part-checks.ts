/**
 * The parts of templates: the top-level `parts:` and a table's own, each a
 * part name -> the transformer every part of that name goes through. A
 * part's transformer must be a built-in that takes a string and gives one
 * (a template's text is a string), and so must a template's `otherwise`.
 */
import type { TransformerRef } from '../../model/job.ts';
import type { DocPath, PathIssue } from '../../model/problems.ts';
import { isScriptRef } from '../../transformers/js/script-ref.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { asRecord } from './raw-values.ts';
import { resolveTransformer } from './resolve-transformer.ts';

/** Part name -> its transformer, or undefined when it is defined but refused (its problem is reported where it is defined). */
export type Parts = ReadonlyMap<string, { readonly ref: TransformerRef | undefined }>;

const PART_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The parts a `parts:` mapping defines, over `inherited` (the top level's, for a table). */
export function checkParts(value: unknown, path: DocPath, registry: TransformerRegistry, issues: PathIssue[], inherited: Parts = new Map()): Parts {
  const parts = new Map(inherited);
  for (const [name, refValue] of Object.entries(asRecord(value) ?? {})) {
    if (!PART_NAME.test(name)) {
      issues.push({ path: [...path, name], at: 'key', message: 'expected a part name: letters, digits and _, starting with a letter or _, as templates write it ({userId})' });
      continue;
    }
    parts.set(name, { ref: checkPartTransformer(refValue, [...path, name], registry, issues, `part {${name}}`) });
  }
  return parts;
}

/** A part's (or otherwise's) transformer: known, with valid options, taking and giving strings. */
export function checkPartTransformer(value: unknown, path: DocPath, registry: TransformerRegistry, issues: PathIssue[], what: string): TransformerRef | undefined {
  if (typeof value === 'string' && value.includes('{')) {
    issues.push({ path, message: `${what} names a transformer, not a template` });
    return undefined;
  }
  const ref = resolveTransformer(value, path, registry, issues);
  if (ref === undefined) return undefined;
  if (isScriptRef(ref)) {
    issues.push({ path, message: `${what} must name a built-in transformer; JavaScript runs a page at a time and cannot serve template parts` });
    return undefined;
  }
  const definition = registry.get(ref.type)!;
  const { accepts, produces } = definition;
  if (accepts !== 'any' && !accepts.includes('S')) {
    issues.push({ path, message: `${what}: transformer "${ref.type}" does not take strings (it takes ${accepts.join(', ')}), and a template part is a string` });
    return undefined;
  }
  if (produces !== 'same' && produces !== 'S') {
    const gives = produces === 'none' ? 'removes the value' : produces === 'any' ? 'gives a value of any type' : `gives ${produces}`;
    issues.push({ path, message: `${what}: transformer "${ref.type}" ${gives}, and a template part must come out a string` });
    return undefined;
  }
  return ref;
}

