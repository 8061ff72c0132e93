/**
 * Rule sets: the mappings of each item type of a single-table design, such
 * as `{ name: account, when: "begins_with(pk, 'ACCOUNT#')", transformers }`.
 *
 * Which rule set an item goes through: the first of its table whose `when`
 * holds on the source item, tried in the order the job writes them; an item
 * that none selects goes through the table's mappings alone. Conditions are
 * the WHERE language, evaluated in memory by the one evaluator
 * (model/condition/evaluate.ts), so a `when` selects exactly the items a
 * `where` of the same text would (DynamoDB Local's two-valued logic: a
 * comparison on a missing attribute is false, so `NOT` of it holds).
 *
 * What an item of a rule set becomes: the rule set's mappings are added to
 * the table's, as if written among them, and the plan's order of
 * specificity (mapping-rules.ts) decides at each value as it does within
 * one mapping set:
 * - a rule set's mapping of the same path (the same pattern, however
 *   quoted: `email`, `"email"`) replaces the table's;
 * - otherwise the more specific pattern wins, whoever wrote it (the longer
 *   one, then the one with more literal segments), so a rule set's `info.*`
 *   does not reach the table's `info.name`, and its `info.name` does reach
 *   past the table's `info.*`;
 * - between two equally specific patterns that both match a value (`*.x`
 *   and `a.*`), the rule set's wins;
 * - the job's defaults take what neither names.
 * A table key is transformed only by a mapping that names it literally, as
 * ever, so a rule set may give one item type's keys templates of its own;
 * each rule set's key mappings, merged, are checked against the key schema
 * like the table's (checkTableKeyMappings) before anything is written, and
 * a table key must go through the same mapping in every rule set and the
 * table, or their outputs could meet (key-mapping-agreement.ts).
 *
 * Pure and shared by the plan (plan.ts builds one compiled plan per rule
 * set plus the table's own, once per table), the key checks, and the
 * reports of `validate --sample` and `preview`.
 */
import { compileWhere, renderWhereProblem, type ItemPredicate } from '../model/condition/index.ts';
import type { AttributeType, Item } from '../model/item.ts';
import type { RuleSet, TransformerRef } from '../model/job.ts';
import { parsePathPattern } from '../model/path.ts';
import type { DocPath } from '../model/problems.ts';
import { keyMappingDisagreements } from './key-mapping-agreement.ts';
import { checkKeyMappings, type KeyAttribute, type KeyMappingCheck, type KeyMappingProblem } from './key-safety.ts';
import type { TransformerRegistry } from './registry.ts';

/** How messages and reports name a rule set: `rule set "account"`, or by its place, `rule set rules[2]`. */
export function ruleSetLabel(rule: Pick<RuleSet, 'name'>, index: number): string {
  return rule.name !== undefined ? `rule set ${JSON.stringify(rule.name)}` : `rule set rules[${index}]`;
}

/**
 * The mappings an item of this rule set goes through: the rule set's first
 * (so that it wins ties of specificity, which go to the one written first),
 * then the table's that it does not replace.
 */
export function ruleSetMappings(table: Record<string, TransformerRef>, rule: Pick<RuleSet, 'transformers'>): Record<string, TransformerRef> {
  const own = new Set(Object.keys(rule.transformers).map(canonical));
  const merged: Record<string, TransformerRef> = { ...rule.transformers };
  for (const [source, ref] of Object.entries(table)) {
    // Defined, not assigned: a path may be named `__proto__`.
    if (!own.has(canonical(source))) Object.defineProperty(merged, source, { value: ref, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

/** One predicate per rule set; throws on a condition the loader would have refused (a job from another version). */
export function compileRuleConditions(rules: readonly RuleSet[]): ItemPredicate[] {
  return rules.map((rule, index) => {
    const compiled = compileWhere(rule.when);
    if (!compiled.ok) throw new Error(`${ruleSetLabel(rule, index)}: when: ${renderWhereProblem(rule.when, compiled.problem)}`);
    return compiled.matches;
  });
}

/** The index of the first rule set whose condition holds on the item, or -1: one predicate call per rule set until one holds. */
export function selectRuleSet(predicates: readonly ItemPredicate[], item: Item): number {
  for (let i = 0; i < predicates.length; i++) if (predicates[i]!(item)) return i;
  return -1;
}

/** What the key checks need of a table's job. */
export interface TableMappings {
  readonly transformers: Record<string, TransformerRef>;
  readonly rules?: readonly RuleSet[];
  readonly allowKeyCollisions?: boolean;
  readonly onTypeMismatch?: 'error' | 'passthrough' | 'null';
}

/**
 * The key mappings of a table and of each of its rule sets (merged with the
 * table's, as its items see them), checked against the key schema
 * (key-safety.ts). A rule set's problem is placed at its own mapping
 * (`rules[1].transformers.pk`); one that comes from the table's mapping or
 * a default is the table's problem, reported once, at the table's place.
 */
export function checkTableKeyMappings(
  table: TableMappings,
  defaults: Partial<Record<AttributeType, TransformerRef>>,
  keys: readonly KeyAttribute[],
  registry: TransformerRegistry,
): KeyMappingCheck {
  const common = { defaults, keys, allowKeyCollisions: table.allowKeyCollisions === true, ...(table.onTypeMismatch ? { onTypeMismatch: table.onTypeMismatch } : {}) };
  const own = checkKeyMappings({ ...common, transformers: table.transformers }, registry);
  const problems: KeyMappingProblem[] = [...own.problems];
  let countMerges = own.countMerges;
  for (const [index, rule] of (table.rules ?? []).entries()) {
    const at: DocPath = ['rules', index, 'transformers'];
    const check = checkKeyMappings({ ...common, transformers: ruleSetMappings(table.transformers, rule), at }, registry);
    // The merged mappings hold the rule set's sources as it wrote them, so a path past `at` that is one of them is the rule set's own.
    problems.push(...check.problems.filter(({ path }) => path.length === at.length + 1 && Object.hasOwn(rule.transformers, path[at.length] as string)));
    countMerges ||= check.countMerges;
  }
  // Each set's key mappings may be one-to-one and still meet one another's outputs.
  const sets = { transformers: table.transformers, rules: (table.rules ?? []).map((rule, index) => ({ rule, label: ruleSetLabel(rule, index), merged: ruleSetMappings(table.transformers, rule) })) };
  const disagreements = keyMappingDisagreements(sets, keys, table.allowKeyCollisions === true, problems);
  problems.push(...disagreements.problems);
  countMerges ||= disagreements.merges;
  return { problems, countMerges };
}

/** Pattern text -> one string per path it names, so that `email` and `"email"` are the same path. */
function canonical(source: string): string {
  try {
    return JSON.stringify(parsePathPattern(source).segments);
  } catch {
    return source; // the loader reports bad patterns; here it is only not the same as another
  }
}
