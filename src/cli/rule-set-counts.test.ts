import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import type { RuleSet } from '../../model/job.ts';
import { countRuleSets, renderRuleSetCounts } from './rule-set-counts.ts';

const RULES: RuleSet[] = [
  { name: 'account', when: `"type" = 'account'`, transformers: {} },
  { name: 'order', when: `"type" = 'order'`, transformers: {} },
  { when: `"type" = 'tikcet'`, transformers: {} },
  { name: 'late', when: `begins_with(pk, 'ACCOUNT#')`, transformers: {} },
];
const item = (pk: string, type: string): Item => ({ pk: { S: pk }, type: { S: type } });
const ITEMS = [item('ACCOUNT#1', 'account'), item('ACCOUNT#1', 'order'), item('ACCOUNT#1', 'order'), item('TICKET#1', 'ticket')];

describe('rule set counts of a sample', () => {
  it("say what each rule set took, and why one took none: a condition that holds on nothing, or an earlier rule set's items", () => {
    const counts = countRuleSets(RULES, ITEMS, { matched: [1, 2], unmatched: 1 });
    expect(counts).toEqual({
      sampled: 4,
      sets: [
        { name: 'account', when: `"type" = 'account'`, taken: 1 },
        { name: 'order', when: `"type" = 'order'`, taken: 2 },
        { name: 'rules[2]', when: `"type" = 'tikcet'`, taken: 0, holds: 0 },
        { name: 'late', when: `begins_with(pk, 'ACCOUNT#')`, taken: 0, holds: 3 },
      ],
      unmatched: 1,
    });
    expect(renderRuleSetCounts(counts, RULES)).toEqual([
      '    rule sets (each item takes the first whose condition holds), items of the sample:',
      `      account        1  when "type" = 'account'`,
      `      order          2  when "type" = 'order'`,
      `      rules[2]       0  when "type" = 'tikcet'`,
      `      late           0  when begins_with(pk, 'ACCOUNT#')`,
      "      (no rule set)  1  the table's mappings alone",
      '    rule set rules[2] took none of the 4 sampled item(s): its condition holds on none of them, which is often a typo in it (an attribute name, a prefix, quotes); check it, or sample more items',
      '    rule set "late" took none of the 4 sampled item(s): its condition holds on 3 of them, but an earlier rule set takes each first (the first whose condition holds applies); move it up, or narrow the earlier one',
    ]);
  });

  it('say nothing of rule sets that took none of an empty sample', () => {
    const counts = countRuleSets(RULES.slice(0, 1), [], { matched: [], unmatched: 0 });
    expect(renderRuleSetCounts(counts, RULES.slice(0, 1), '')).toEqual([
      'rule sets (each item takes the first whose condition holds), items of the sample:',
      `  account        0  when "type" = 'account'`,
      "  (no rule set)  0  the table's mappings alone",
    ]);
  });
});
