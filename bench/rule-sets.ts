/**
 * `node bench/rule-sets.ts`: what rule sets cost per item. The single-table
 * dataset through jobs/single-table.yaml (three rule sets), the choice of
 * rule set alone (conditions tested on each item until one holds, and how
 * many are tested per item), and the cost of one condition that does not
 * hold, with many rule sets ahead of the one that does. CPU time of this process, which a
 * shared machine distorts less than the clock. No I/O. Writes
 * bench/results/rule-sets.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { Item } from '../model/item.ts';
import type { RuleSet } from '../model/job.ts';
import { loadJobFile } from '../src/job/job-loader.ts';
import { singleTableItems } from '../src/local-stack/single-table-data.ts';
import { builtinRegistry } from '../transformers/builtin/index.ts';
import { buildPlan } from '../transformers/plan.ts';
import { compileRuleConditions, selectRuleSet } from '../transformers/rule-sets.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const salt = 'bench-salt';
const round = (us: number, places = 2) => Number(us.toFixed(places));
const cpu = (run: () => void): number => {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return user + system;
};
/** µs per item of `each` over every item, best of ROUNDS after a warm-up round (the least disturbed by other processes). */
const perItem = (items: readonly Item[], each: (item: Item) => void): number => {
  for (const item of items) each(item);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    best = Math.min(
      best,
      cpu(() => {
        for (const item of items) each(item);
      }) / items.length,
    );
  }
  return best;
};

const items = singleTableItems({ accounts: 1_000 });
const job = await loadJobFile(new URL('../jobs/single-table.yaml', import.meta.url).pathname, builtinRegistry, { DYNAMASK_SALT: salt });
const table = job.tables[0]!;
const rules = table.rules ?? [];
const common = { defaults: job.defaults, keyAttributes: ['pk', 'sk'], salt };

const withRules = buildPlan({ ...common, transformers: table.transformers, rules }, builtinRegistry);
const withRulesUs = perItem(items, (item) => void withRules.transformItem(item));

// The choice alone, and how many conditions it tests per item.
const predicates = compileRuleConditions(rules);
let tested = 0;
const counting = predicates.map((predicate) => (item: Item) => {
  tested++;
  return predicate(item);
});
for (const item of items) selectRuleSet(counting, item);
const testedPerItem = tested / items.length;
const chooseUs = perItem(items, (item) => void selectRuleSet(predicates, item));

// Many rule sets ahead of the one that holds: the cost of each condition that does not.
const decoys = (n: number): RuleSet[] => Array.from({ length: n }, (_, i) => ({ when: `begins_with(pk, 'KIND${i}#')`, transformers: {} }));
const conditionNs = (n: number) => {
  const many = compileRuleConditions([...decoys(n), { when: 'attribute_exists(pk)', transformers: {} }]);
  const one = compileRuleConditions([{ when: 'attribute_exists(pk)', transformers: {} }]);
  return ((perItem(items, (item) => void selectRuleSet(many, item)) - perItem(items, (item) => void selectRuleSet(one, item))) / n) * 1000;
};
const failingConditionNs = round(conditionNs(20), 0);

const counts = { typeMismatches: 0, ruleSets: { matched: [] as number[], unmatched: 0 } };
await withRules.transformPage(items, counts);

const results = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  items: items.length,
  ruleSets: rules.map((rule, i) => ({ name: rule.name, when: rule.when, items: counts.ruleSets.matched[i] ?? 0 })),
  itemsWithNoRuleSet: counts.ruleSets.unmatched,
  microsecondsPerItem: { exampleJob: round(withRulesUs), choosingTheRuleSet: round(chooseUs, 3) },
  conditionsTestedPerItem: round(testedPerItem),
  nanosecondsPerConditionThatDoesNotHold: failingConditionNs,
};
console.log(
  `single-table dataset, ${items.length} items (CPU µs an item, best of ${ROUNDS}):` +
    `\n  jobs/single-table.yaml with its ${rules.length} rule sets: ${results.microsecondsPerItem.exampleJob} µs, of which choosing the rule set ${results.microsecondsPerItem.choosingTheRuleSet} µs` +
    `\n  ${results.conditionsTestedPerItem} conditions tested an item (items per rule set: ${results.ruleSets.map((r) => `${r.name} ${r.items}`).join(', ')})` +
    `\n  a condition that does not hold (begins_with on the key), 20 rule sets ahead of the one that does: ${failingConditionNs} ns each`,
);
const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(new URL('rule-sets.json', dir), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results/rule-sets.json');
