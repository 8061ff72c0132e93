/**
 * A transformer reference as a job file writes it (`fullName`,
 * `{ type: email, preserveDomain: true }`, `{ js: ... }`) -> the
 * TransformerRef a table's plan is built from, checked against the registry.
 */
import type { TransformerRef } from '../../model/job.ts';
import { describeValue, type DocPath, type PathIssue } from '../../model/problems.ts';
import { SCRIPT_KINDS } from '../../transformers/js/script-ref.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { asRecord } from './raw-values.ts';
import { resolveScript } from './resolve-script.ts';

/** `fullName` or `{ type: email, preserveDomain: true }` -> `{ type, options }` with the options parsed (defaults applied). */
export function resolveTransformer(value: unknown, path: DocPath, registry: TransformerRegistry, issues: PathIssue[]): TransformerRef | undefined {
  let type: string;
  let options: Record<string, unknown> = {};
  if (typeof value === 'string') {
    type = value;
  } else if (value === null) {
    // YAML reads `Field: null` as a null value; whoever wrote it means the null transformer.
    type = 'null';
  } else if (asRecord(value) !== undefined && (value as Record<string, unknown>).type === undefined && SCRIPT_KINDS.some((kind) => kind in (value as object))) {
    return resolveScript(value as Record<string, unknown>, path, issues);
  } else if (asRecord(value) !== undefined) {
    const { type: named, ...rest } = value as Record<string, unknown>;
    if (typeof named !== 'string') {
      issues.push({ path: [...path, 'type'], message: named === undefined ? 'required field is missing' : `expected a transformer name, got ${describeValue(named)}` });
      return undefined;
    }
    type = named;
    options = rest;
  } else {
    issues.push({ path, message: `expected a transformer name or a mapping with "type", got ${describeValue(value)}` });
    return undefined;
  }

  const checked = registry.validateOptions(type, options);
  if (!checked.ok) {
    issues.push(...checked.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] })));
    return undefined;
  }
  return { type, options: checked.options };
}
