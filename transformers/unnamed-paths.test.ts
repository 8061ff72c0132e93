import { describe, expect, it } from 'vitest';
import type { Item } from '../model/item.ts';
import { builtinRegistry } from './builtin/index.ts';
import { buildPlan, type PlanCounts } from './plan.ts';
import { knownNamesOf } from './mapping-rules.ts';
import { listUnnamed, MAX_UNNAMED_LISTED, unnamedPaths } from './unnamed-paths.ts';

const S = (value: string) => ({ S: value });
const PASS = { type: 'passthrough', options: {} };

function unnamed(items: Item[], transformers: Record<string, typeof PASS>, rules?: { when: string; transformers: Record<string, typeof PASS> }[]): string[] {
  const plan = buildPlan({ transformers, defaults: { S: PASS }, keyAttributes: ['id'], salt: 's', ...(rules && { rules }) }, builtinRegistry);
  const counts: PlanCounts = { typeMismatches: 0, unmapped: new Map() };
  for (const item of items) plan.transformItem(item, counts);
  return unnamedPaths(counts.unmapped, knownNamesOf(Object.assign({}, transformers, ...(rules ?? []).map((rule) => rule.transformers))));
}

describe('unnamedPaths', () => {
  it('lists what no mapping names, defaults included; not the table keys, nor empty maps and lists', () => {
    const item: Item = { id: S('u1'), name: S('Ada'), fresh: S('x'), tags: { L: [] }, info: { M: {} }, lines: { L: [{ M: { sku: S('a'), qty: { N: '1' } } }] } };
    expect(unnamed([item], { name: PASS, 'lines[*].sku': PASS })).toEqual(['fresh', 'lines[*].*']);
    expect(unnamed([item], { name: PASS, 'lines[*].sku': PASS, 'lines[*].qty.x': PASS })).toEqual(['fresh', 'lines[*].qty']);
  });

  it('shows nested map keys the job does not name as *, since they may be data', () => {
    const item: Item = { id: S('u1'), contacts: { M: { 'ada@example.com': { M: { phone: S('1'), fax: S('2') } }, 'bob@example.com': { M: { fax: S('3') } } } } };
    expect(unnamed([item], { 'contacts.*.phone': PASS, 'contacts.*.fax.note': PASS })).toEqual(['contacts.*.fax']);
    expect(unnamed([item], { 'contacts.*.phone': PASS })).toEqual(['contacts.*.*']);
  });

  it("counts a rule set's mappings only for the items it takes", () => {
    const rules = [{ when: "kind = 'account'", transformers: { email: PASS } }];
    const account: Item = { id: S('1'), kind: S('account'), email: S('a@b.c') };
    const ticket: Item = { id: S('2'), kind: S('ticket'), email: S('a@b.c') };
    expect(unnamed([account], { kind: PASS }, rules)).toEqual([]);
    expect(unnamed([account, ticket], { kind: PASS }, rules)).toEqual(['email']);
  });

  it('lists at most MAX_UNNAMED_LISTED in a message, and says how many more', () => {
    const paths = Array.from({ length: MAX_UNNAMED_LISTED + 3 }, (_, i) => `a${String(i).padStart(2, '0')}`);
    expect(listUnnamed(paths)).toBe(`${paths.slice(0, MAX_UNNAMED_LISTED).join(', ')} and 3 more`);
    expect(listUnnamed(['x'])).toBe('x');
  });
});
