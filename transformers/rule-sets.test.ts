/**
 * Rule sets in the plan: which rule set an item takes, how a rule set's
 * mappings stand against the table's (same path, wildcards, specificity,
 * defaults), keys, templates and JavaScript inside rule sets, the counts,
 * and the key checks of rule sets at their own paths.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Item } from '../model/item.ts';
import type { RuleSet, TransformerRef } from '../model/job.ts';
import { builtinRegistry } from './builtin/index.ts';
import { SandboxPool } from './js/sandbox-pool.ts';
import { keyCollisionsAllowed, type KeyAttribute } from './key-safety.ts';
import { buildPlan, type PlanCounts, type PlanInput } from './plan.ts';
import { checkTableKeyMappings, ruleSetMappings, selectRuleSet } from './rule-sets.ts';
import { templateRef } from './templates/index.ts';

const ref = (type: string, options: Record<string, unknown> = {}): TransformerRef => ({ type, options });
const constant = (value: string): TransformerRef => ref('constant', { value });
const js = (code: string): TransformerRef => ({ type: 'js', options: { code } });
const permuteId = (): TransformerRef => ({ type: 'permuteId', options: { format: 'auto', otherwise: 'error' } });

const pool = new SandboxPool({ graceMs: 1_000 });
afterAll(() => pool.close());

const plan = (input: Partial<PlanInput>) =>
  buildPlan({ transformers: {}, defaults: {}, keyAttributes: ['pk', 'sk'], salt: 'rule-salt', ...input }, builtinRegistry, { sandboxes: pool });

const s = (text: string) => ({ S: text });
const account = (): Item => ({ pk: s('ACCOUNT#a1'), sk: s('PROFILE'), type: s('account'), name: s('Ada Lovelace'), email: s('ada@example.com'), note: s('vip') });
const order = (): Item => ({ pk: s('ACCOUNT#a1'), sk: s('ORDER#2026-01-02#K7Q2'), type: s('order'), total: { N: '12.50' }, note: s('gift wrap') });
const other = (): Item => ({ pk: s('CONFIG#x'), sk: s('CONFIG'), note: s('internal') });

const ACCOUNT: RuleSet = { name: 'account', when: `"type" = 'account'`, transformers: { name: constant('NAME'), email: constant('EMAIL') } };
const ORDER: RuleSet = { name: 'order', when: "begins_with(sk, 'ORDER#')", transformers: { total: ref('constant', { value: 1 }) } };

describe('choosing a rule set', () => {
  it('gives each item the first rule set whose condition holds, and an item none selects the table mappings alone', () => {
    const p = plan({ transformers: { note: constant('NOTE') }, rules: [ACCOUNT, ORDER] });
    expect(p.transformItem(account())).toEqual({ ...account(), name: s('NAME'), email: s('EMAIL'), note: s('NOTE') });
    expect(p.transformItem(order())).toEqual({ ...order(), total: { N: '1' }, note: s('NOTE') });
    expect(p.transformItem(other())).toEqual({ ...other(), note: s('NOTE') });
  });

  it('takes the first that holds when several do, in the order the job writes them', () => {
    const first: RuleSet = { name: 'first', when: "attribute_exists(note)", transformers: { note: constant('FIRST') } };
    const second: RuleSet = { name: 'second', when: `"type" = 'account'`, transformers: { note: constant('SECOND') } };
    expect(plan({ rules: [first, second] }).transformItem(account())['note']).toEqual(s('FIRST'));
    expect(plan({ rules: [second, first] }).transformItem(account())['note']).toEqual(s('SECOND'));
  });

  it('evaluates the conditions on the source item, with the two-valued logic of DynamoDB Local', () => {
    // `"type" <> 'order'` holds on an item without `type`: NOT of a comparison on a missing attribute.
    const notOrder: RuleSet = { when: `"type" <> 'order'`, transformers: { note: constant('NOT-ORDER') } };
    // The table's mapping changes `type` first in no way that matters: conditions see the source values.
    const p = plan({ transformers: { type: constant('changed') }, rules: [notOrder] });
    expect(p.transformItem(other())['note']).toEqual(s('NOT-ORDER'));
    expect(p.transformItem(order())['note']).toEqual(s('gift wrap'));
    expect(p.transformItem(account())).toMatchObject({ note: s('NOT-ORDER'), type: s('changed') });
  });

  it('calls one predicate per rule set until one holds', () => {
    const calls: number[] = [];
    const predicates = [0, 1, 2, 3].map((index) => (item: Item) => {
      calls.push(index);
      return item['hit']?.N === String(index);
    });
    expect(selectRuleSet(predicates, { hit: { N: '2' } })).toBe(2);
    expect(calls).toEqual([0, 1, 2]);
    calls.length = 0;
    expect(selectRuleSet(predicates, { hit: { N: '9' } })).toBe(-1);
    expect(calls).toEqual([0, 1, 2, 3]);
  });

  it('counts the items each rule set took, and those none took', () => {
    const counts: PlanCounts = { typeMismatches: 0, ruleSets: { matched: [], unmatched: 0 } };
    const never: RuleSet = { name: 'never', when: "pk = 'nothing'", transformers: {} };
    plan({ rules: [ACCOUNT, never, ORDER] }).transformItem(account(), counts);
    for (const item of [order(), order(), other()]) plan({ rules: [ACCOUNT, never, ORDER] }).transformItem(item, counts);
    expect(counts.ruleSets).toEqual({ matched: [1, undefined, 2], unmatched: 1 });
  });

  it('refuses a condition the loader would have refused, naming the rule set', () => {
    expect(() => plan({ rules: [ACCOUNT, { when: 'a = ', transformers: {} }] })).toThrow('rule set rules[1]: when: column 5, at the end: the condition ends where a value or attribute was expected');
  });
});

describe("a rule set's mappings against the table's", () => {
  it('replace the mapping of the same path, however it is written', () => {
    const rule: RuleSet = { when: 'attribute_exists(note)', transformers: { '"note"': constant('RULE') } };
    expect(plan({ transformers: { note: constant('TABLE') }, rules: [rule] }).transformItem(account())['note']).toEqual(s('RULE'));
    expect(Object.keys(ruleSetMappings({ note: constant('TABLE'), name: constant('N') }, rule))).toEqual(['"note"', 'name']);
  });

  it('win when more specific, and lose when less: a wildcard names only what no more specific mapping of either names', () => {
    const item: Item = { pk: s('p'), sk: s('s'), profile: { M: { name: s('Ada'), city: s('Paris') } }, note: s('n') };
    // The rule set's profile.name is more specific than the table's profile.*.
    const specific: RuleSet = { when: 'attribute_exists(profile)', transformers: { 'profile.name': constant('RULE') } };
    expect(plan({ transformers: { 'profile.*': constant('TABLE') }, rules: [specific] }).transformItem(item)['profile']).toEqual({ M: { name: s('RULE'), city: s('TABLE') } });
    // The rule set's profile.* does not reach past the table's profile.name, nor its * past the table's note.
    const wildcard: RuleSet = { when: 'attribute_exists(profile)', transformers: { 'profile.*': constant('RULE'), '*': constant('ANY') } };
    const out = plan({ transformers: { 'profile.name': constant('TABLE'), note: constant('NOTE') }, rules: [wildcard] }).transformItem(item);
    expect(out['profile']).toEqual({ M: { name: s('TABLE'), city: s('RULE') } });
    expect(out['note']).toEqual(s('NOTE'));
    // A top-level wildcard never reaches the table's keys.
    expect(out['pk']).toEqual(s('p'));
  });

  it('win ties: of two equally specific patterns that match one value, the rule set wins', () => {
    const item: Item = { pk: s('p'), sk: s('s'), a: { M: { x: s('v') } } };
    const rule: RuleSet = { when: 'attribute_exists(a)', transformers: { '*.x': constant('RULE') } };
    expect(plan({ transformers: { 'a.*': constant('TABLE') }, rules: [rule] }).transformItem(item)['a']).toEqual({ M: { x: s('RULE') } });
    const reversed: RuleSet = { when: 'attribute_exists(a)', transformers: { 'a.*': constant('RULE') } };
    expect(plan({ transformers: { '*.x': constant('TABLE') }, rules: [reversed] }).transformItem(item)['a']).toEqual({ M: { x: s('RULE') } });
  });

  it('leave the defaults what neither names', () => {
    const p = plan({ transformers: { note: constant('NOTE') }, defaults: { S: constant('DEFAULT') }, rules: [ACCOUNT] });
    expect(p.transformItem(account())).toEqual({ ...account(), type: s('DEFAULT'), name: s('NAME'), email: s('EMAIL'), note: s('NOTE') });
    // Keys keep passing through the defaults, whatever the rule set.
    expect(p.transformItem(other())).toEqual({ ...other(), note: s('NOTE') });
  });

  it("may map a table key for their items alone, by naming it; the other items keep the table's key mapping", () => {
    const tableSk = templateRef({ templates: ['PROFILE', 'CONFIG', 'ORDER#{date}#{orderId}'], parts: { date: ref('passthrough'), orderId: permuteId() }, otherwise: 'error' });
    const orderSk = templateRef({ templates: ['ORDER#{date}#{orderId}'], parts: { date: constant('2000-01-01'), orderId: permuteId() }, otherwise: 'error' });
    const pk = templateRef({ templates: ['ACCOUNT#{accountId}', 'CONFIG#{c}'], parts: { accountId: permuteId(), c: ref('passthrough') }, otherwise: 'error' });
    const rule: RuleSet = { name: 'order', when: "begins_with(sk, 'ORDER#')", transformers: { sk: orderSk } };
    const p = plan({ transformers: { pk, sk: tableSk }, rules: [rule] });
    const tableOnly = plan({ transformers: { pk, sk: tableSk } });
    const [a, o] = [p.transformItem(account()), p.transformItem(order())];
    expect(a).toEqual(tableOnly.transformItem(account()));
    // The same part with the same transformer gives the same output in either mapping: the collection stays one.
    expect(o['pk']).toEqual(a['pk']);
    expect(o['sk']!.S).toMatch(/^ORDER#2000-01-01#[A-Z0-9]{4}$/);
    expect(o['sk']!.S!.slice(-4)).toBe(tableOnly.transformItem(order())['sk']!.S!.slice(-4));
  });

  it("name the rule set in a template's failure", () => {
    const rule: RuleSet = { name: 'account', when: `"type" = 'account'`, transformers: { name: templateRef({ templates: ['USER#{id}'], parts: { id: permuteId() }, otherwise: 'error' }) } };
    expect(() => plan({ rules: [rule] }).transformItem(account())).toThrow('name: the value matches none of the templates "USER#{id}"');
  });
});

describe('JavaScript inside rule sets', () => {
  it("runs a whole page of mixed items in one crossing into the sandbox, each item's script its rule set's", async () => {
    const rules: RuleSet[] = [
      { name: 'account', when: `"type" = 'account'`, transformers: { note: js("'account:' + value") } },
      { name: 'order', when: `"type" = 'order'`, transformers: { note: js("'order:' + value"), total: js('value * 2') } },
    ];
    const p = plan({ transformers: { note: js("'table:' + value") }, rules });
    try {
      const run = vi.spyOn(pool, 'run');
      const outs = await p.transformPage([account(), order(), other(), order()]);
      expect(run).toHaveBeenCalledTimes(1);
      run.mockRestore();
      expect(outs.map((out) => out['note'])).toEqual([s('account:vip'), s('order:gift wrap'), s('table:internal'), s('order:gift wrap')]);
      expect(outs[1]!['total']).toEqual({ N: '25' });
    } finally {
      p.dispose();
    }
  });

  it("names the rule set of a failing script's mapping", async () => {
    const rules: RuleSet[] = [{ name: 'order', when: `"type" = 'order'`, transformers: { note: js("throw new Error('no')") } }];
    const p = plan({ transformers: { note: js('value') }, rules });
    try {
      await expect(p.transformPage([account(), order()])).rejects.toThrow(
        'note of the item with key pk, sk: the js mapping of "note" in rule set "order" threw Error at line 1, column 7: no',
      );
    } finally {
      p.dispose();
    }
  });
});

describe('key checks of rule sets', () => {
  const KEYS: KeyAttribute[] = [
    { name: 'pk', type: 'S', primary: true, roles: ["the table's hash key"] },
    { name: 'sk', type: 'S', primary: true, roles: ["the table's range key"] },
    { name: 'GSI1PK', type: 'S', primary: false, roles: ['the hash key of index GSI1'] },
  ];
  const lossy = ref('zipCode', { format: '####' });

  it("place a rule set's refused key mapping at its own path, and the table's once, at the table's", () => {
    const check = checkTableKeyMappings(
      {
        transformers: { sk: lossy },
        rules: [
          { name: 'ok', when: 'a = 1', transformers: { note: constant('x') } },
          { name: 'bad', when: 'a = 2', transformers: { pk: lossy, '*': constant('x') } },
        ],
      },
      {},
      KEYS,
      builtinRegistry,
    );
    expect(check.problems.map((problem) => problem.path)).toEqual([
      ['transformers', 'sk'],
      ['rules', 1, 'transformers', 'pk'],
      ['rules', 1, 'transformers', '*'],
    ]);
    expect(check.problems[1]!.message).toMatch(/^pk is the table's hash key; its mapping \(transformer "zipCode"\) does not keep distinct values distinct \(lossy\)/);
    expect(check.problems[2]!.message).toMatch(/^GSI1PK is the hash key of index GSI1; its mapping \(transformer "constant"\) does not keep distinct values distinct \(lossy\)/);
    expect(check.countMerges).toBe(false);
  });

  it("refuse a rule set that drops a table key or changes its type, at the rule set's own mapping", () => {
    const bytes: KeyAttribute[] = [{ name: 'id', type: 'B', primary: true, roles: ["the table's hash key"] }];
    const number: KeyAttribute[] = [{ name: 'n', type: 'N', primary: true, roles: ["the table's range key"] }];
    const rules = (transformers: Record<string, TransformerRef>): RuleSet[] => [
      { name: 'ok', when: 'a = 1', transformers: {} },
      { name: 'bad', when: 'a = 2', transformers },
    ];
    expect(checkTableKeyMappings({ transformers: {}, rules: rules({ pk: ref('drop') }) }, {}, KEYS, builtinRegistry).problems).toEqual([
      { path: ['rules', 1, 'transformers', 'pk'], message: 'pk is the table\'s hash key, of type S; transformer "drop" removes the value, and an item cannot lose a key' },
    ]);
    expect(checkTableKeyMappings({ transformers: {}, rules: rules({ id: ref('hash') }), allowKeyCollisions: true }, {}, bytes, builtinRegistry).problems).toEqual([
      { path: ['rules', 1, 'transformers', 'id'], message: 'id is the table\'s hash key, of type B; transformer "hash" gives S, and a key keeps its type' },
    ]);
    const template = templateRef({ templates: ['{x}'], parts: { x: permuteId() }, otherwise: 'error' });
    expect(checkTableKeyMappings({ transformers: {}, rules: rules({ n: template }) }, {}, number, builtinRegistry).problems).toEqual([
      { path: ['rules', 1, 'transformers', 'n'], message: "n is the table's range key, of type N; a template maps strings (S), and a key keeps its type" },
    ]);
    // The table's own problem is reported once, at the table's place, not again for every rule set that inherits it.
    expect(checkTableKeyMappings({ transformers: { pk: ref('drop') }, rules: rules({ note: constant('x') }) }, {}, KEYS, builtinRegistry).problems.map((p) => p.path)).toEqual([['transformers', 'pk']]);
  });

  it('count merges when a rule set allows its key template to merge, and let the writer keep the last of a page', () => {
    const merging = templateRef({ templates: ['USER#{id}'], parts: { id: lossy }, otherwise: 'error' }, true);
    const table = { transformers: {}, rules: [{ when: 'a = 1', transformers: { pk: merging } }] };
    expect(checkTableKeyMappings(table, {}, KEYS, builtinRegistry)).toEqual({ problems: [], countMerges: true });
    expect(keyCollisionsAllowed(table, ['pk', 'sk'])).toBe(true);
    expect(keyCollisionsAllowed({ transformers: {}, rules: [{ transformers: { note: merging } }] }, ['pk', 'sk'])).toBe(false);
  });
});

describe('key mappings that differ between rule sets', () => {
  const KEYS: KeyAttribute[] = [
    { name: 'pk', type: 'S', primary: true, roles: ["the table's hash key"] },
    { name: 'sk', type: 'S', primary: true, roles: ["the table's range key"] },
    { name: 'GSI1PK', type: 'S', primary: false, roles: ['the hash key of index GSI1'] },
  ];
  const permuteIn = (domain: string): TransformerRef => ({ type: 'permuteId', options: { format: 'auto', otherwise: 'error', domain } });
  const check = (table: Parameters<typeof checkTableKeyMappings>[0]) => checkTableKeyMappings(table, {}, KEYS, builtinRegistry);

  it("refuse a table key passed through by the table and mapped one to one by a rule set, at the rule set's mapping, saying why and the fix", () => {
    const result = check({ transformers: {}, rules: [{ name: 'users', when: 'a = 1', transformers: { pk: permuteId() } }] });
    expect(result).toEqual({
      problems: [
        {
          path: ['rules', 0, 'transformers', 'pk'],
          message:
            'pk is the table\'s hash key, mapped differently by rule set "users" (transformer "permuteId" {"format":"auto","otherwise":"error"}) and by the table\'s own mappings for items no rule set takes (passed through); ' +
            'each mapping keeps distinct values distinct, but together they do not (not guaranteed): an item of one could get the key of an item of another, so two source items could become one. ' +
            'Map pk the same way in every rule set and the table; or allow it with allowKeyCollisions: true on the table, and the run counts the items that merge',
        },
      ],
      countMerges: false,
    });
  });

  it('refuse two rule sets that permute a key in different domains, naming both, even when the table maps it like one of them', () => {
    const rules: RuleSet[] = [
      { name: 'a', when: 'a = 1', transformers: { sk: permuteIn('one') } },
      { name: 'b', when: 'a = 2', transformers: { sk: permuteIn('two') } },
    ];
    const [problem, ...more] = check({ transformers: {}, rules }).problems;
    expect(more).toEqual([]);
    expect(problem!.path).toEqual(['rules', 0, 'transformers', 'sk']);
    expect(problem!.message).toMatch(/^sk is the table's range key, mapped differently by rule set "a" \(transformer "permuteId" \{"domain":"one",.*\}\), rule set "b" \(transformer "permuteId" \{"domain":"two",.*\}\) and by the table's own mappings/);
    const likeA = check({ transformers: { sk: permuteIn('one') }, rules }).problems;
    expect(likeA.map((p) => p.path)).toEqual([['rules', 1, 'transformers', 'sk']]);
    expect(likeA[0]!.message).toContain('mapped differently by rule set "b"');
  });

  it('pass mappings that are the same everywhere: the same transformer and options however written, passthrough as no mapping, rule sets that inherit the table\'s', () => {
    const reordered: TransformerRef = { type: 'permuteId', options: { otherwise: 'error', format: 'auto' } };
    const rules: RuleSet[] = [
      { name: 'same', when: 'a = 1', transformers: { '"pk"': reordered, sk: ref('passthrough') } },
      { name: 'inherits', when: 'a = 2', transformers: { note: constant('x') } },
    ];
    expect(check({ transformers: { pk: permuteId() }, rules })).toEqual({ problems: [], countMerges: false });
    // Index keys are not table keys: items of different rule sets may map them differently (key-safety.ts checks each).
    expect(check({ transformers: {}, rules: [{ when: 'a = 1', transformers: { GSI1PK: permuteId() } }] })).toEqual({ problems: [], countMerges: false });
  });

  it('with allowKeyCollisions on the table (or on each differing mapping), pass and ask for the merges to be counted', () => {
    const rules: RuleSet[] = [{ name: 'users', when: 'a = 1', transformers: { pk: permuteId() } }];
    expect(check({ transformers: {}, rules, allowKeyCollisions: true })).toEqual({ problems: [], countMerges: true });
    const flagged = templateRef({ templates: ['U#{id}'], parts: { id: permuteId() }, otherwise: 'error' }, true);
    expect(check({ transformers: {}, rules: [{ when: 'a = 1', transformers: { pk: flagged } }] })).toEqual({ problems: [], countMerges: true });
  });

  it('name templates by their text, and say so when only their parts differ', () => {
    const parts = (id: TransformerRef) => templateRef({ templates: ['U#{id}'], parts: { id }, otherwise: 'error' });
    const [problem] = check({ transformers: { pk: parts(permuteId()) }, rules: [{ name: 'other', when: 'a = 1', transformers: { pk: parts(permuteIn('x')) } }] }).problems;
    expect(problem!.message).toMatch(/^pk is the table's hash key, mapped differently by rule set "other" \(the template "U#\{id\}", with other parts or options\) and by the table's own mappings for items no rule set takes \(the template "U#\{id\}"\);/);
  });

  it('leave a key whose mapping is refused on its own to that refusal', () => {
    const result = check({ transformers: {}, rules: [{ name: 'users', when: 'a = 1', transformers: { pk: ref('zipCode', { format: '####' }) } }] });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toMatch(/^pk is the table's hash key; its mapping \(transformer "zipCode"\)/);
  });
});
