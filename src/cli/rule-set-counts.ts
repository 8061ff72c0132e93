/**
 * How many sampled items each rule set of a table took, for `validate
 * --sample` and `preview`, and the rule sets that took none, said plainly:
 * a rule set that no sampled item reaches is most often a typo in its
 * condition, or sits behind an earlier rule set that takes its items first.
 * Counts and job text (names, conditions) only, never an item value.
 */
import { compileRuleConditions, ruleSetLabel } from '../../transformers/rule-sets.ts';
import type { Item } from '../../model/item.ts';
import type { RuleSet } from '../../model/job.ts';

export interface RuleSetCount {
  /** The rule set's name, or its place (`rules[2]`). */
  name: string;
  when: string;
  /** Sampled items that took this rule set (the first whose condition held). */
  taken: number;
  /** Sampled items its condition holds on, taken by it or by an earlier rule set; counted only for a rule set that took none. */
  holds?: number;
}

export interface RuleSetCounts {
  sampled: number;
  sets: RuleSetCount[];
  /** Sampled items no rule set took: the table's mappings alone. */
  unmatched: number;
}

/** `taken`: what the plan counted (PlanCounts.ruleSets) over these items. */
export function countRuleSets(rules: readonly RuleSet[], items: readonly Item[], taken: { matched: number[]; unmatched: number }): RuleSetCounts {
  const predicates = compileRuleConditions(rules);
  const sets = rules.map((rule, index): RuleSetCount => {
    const count = taken.matched[index] ?? 0;
    const base = { name: rule.name ?? `rules[${index}]`, when: rule.when, taken: count };
    return count > 0 ? base : { ...base, holds: items.filter((item) => predicates[index]!(item)).length };
  });
  return { sampled: items.length, sets, unmatched: taken.unmatched };
}

/** Rows of rule set, items taken and condition; then a sentence for each rule set that took none. */
export function renderRuleSetCounts(counts: RuleSetCounts, rules: readonly RuleSet[], indent = '    '): string[] {
  const rows = [...counts.sets.map((set) => ({ name: set.name, count: set.taken, what: `when ${set.when}` })), { name: '(no rule set)', count: counts.unmatched, what: "the table's mappings alone" }];
  const nameWidth = Math.max(...rows.map((row) => row.name.length));
  const countWidth = Math.max(...rows.map((row) => String(row.count).length));
  const lines = [
    `${indent}rule sets (each item takes the first whose condition holds), items of the sample:`,
    ...rows.map((row) => `${indent}  ${row.name.padEnd(nameWidth)}  ${String(row.count).padStart(countWidth)}  ${row.what}`),
  ];
  if (counts.sampled === 0) return lines;
  for (const [index, set] of counts.sets.entries()) {
    if (set.taken > 0) continue;
    const label = ruleSetLabel(rules[index]!, index);
    const of = `none of the ${counts.sampled} sampled item(s)`;
    lines.push(
      set.holds === 0 || set.holds === undefined
        ? `${indent}${label} took ${of}: its condition holds on none of them, which is often a typo in it (an attribute name, a prefix, quotes); check it, or sample more items`
        : `${indent}${label} took ${of}: its condition holds on ${set.holds} of them, but an earlier rule set takes each first (the first whose condition holds applies); move it up, or narrow the earlier one`,
    );
  }
  return lines;
}
