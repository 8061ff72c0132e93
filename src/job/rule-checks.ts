/**
 * A table's `rules:`, the rule sets of its item types: each `when` is one
 * condition of the WHERE language, checked as a `where` is (same messages,
 * positions inside the condition); each rule set's `parts` and
 * `transformers` are checked as the table's are, at their own paths; names,
 * when given, tell rule sets apart in reports, so they differ.
 */
import { whereProblem } from '../../model/condition/index.ts';
import type { TransformerRef } from '../../model/job.ts';
import type { DocPath, PathIssue } from '../../model/problems.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { checkParts, type Parts } from './part-checks.ts';
import { asRecord } from './raw-values.ts';
import { checkTransformers } from './transformer-checks.ts';
import type { Locate } from './yaml-positions.ts';

/** Per rule set: path as written -> transformer (templates resolved with the rule set's parts over the table's). */
export function checkRuleSets(value: unknown, path: DocPath, registry: TransformerRegistry, locate: Locate, issues: PathIssue[], tableParts: Parts): Record<string, TransformerRef>[] {
  if (!Array.isArray(value)) return [];
  const names = new Map<string, number>();
  return value.map((raw, index) => {
    const rule = asRecord(raw);
    const at: DocPath = [...path, index];
    const { when, name } = rule ?? {};
    if (typeof when === 'string' && when !== '') {
      const problem = whereProblem(when);
      if (problem) issues.push({ path: [...at, 'when'], message: problem });
    }
    if (typeof name === 'string' && name !== '') {
      const first = names.get(name);
      if (first === undefined) names.set(name, index);
      else {
        const line = locate([...path, first, 'name']);
        issues.push({ path: [...at, 'name'], message: `duplicate rule set name "${name}": the same as rules[${first}]${line === undefined ? '' : ` on line ${line}`}; names tell rule sets apart in reports` });
      }
    }
    const parts = checkParts(rule?.parts, [...at, 'parts'], registry, issues, tableParts);
    return checkTransformers(rule?.transformers, [...at, 'transformers'], registry, locate, issues, parts);
  });
}
