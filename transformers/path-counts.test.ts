/**
 * The privacy report's rows as the plan's walk counts them (PlanCounts.paths)
 * and as counts add up across pages, calls and continueAsNew
 * (model/counts.ts): exact on a small page.
 */
import { describe, expect, it } from 'vitest';
import { addCounts, liveCounts, MAX_REPORTED_PATHS, ZERO_COUNTS, type PathCount } from '../model/counts.ts';
import type { Item } from '../model/item.ts';
import { builtinRegistry } from './builtin/index.ts';
import { buildPlan, type PlanCounts } from './plan.ts';

const S = (value: string) => ({ S: value });
const ref = (type: string) => ({ type, options: {} });

describe('the rows of the privacy report', () => {
  it('count per path and transformer the values taken and the type mismatches, and mark unnamed paths', () => {
    const plan = buildPlan(
      { transformers: { email: ref('email'), status: ref('passthrough'), 'contacts.*.phone': ref('redact') }, defaults: { S: ref('characterScramble') }, keyAttributes: ['id'], salt: 's', onTypeMismatch: 'null' },
      builtinRegistry,
    );
    const items: Item[] = [
      { id: S('1'), email: S('a@example.com'), status: S('on'), contacts: { M: { 'ada@example.com': { M: { phone: S('1'), fax: { N: '2' } } } } }, tags: { L: [S('x'), S('y')] } },
      { id: S('2'), email: { N: '7' }, status: S('off'), nickname: S('Ada') },
      { id: S('3'), email: S('b@example.com') },
    ];
    const counts: PlanCounts = { typeMismatches: 0, paths: new Map() };
    for (const item of items) plan.transformItem(item, counts);
    const rows = [...counts.paths!.values()].sort((a, b) => a.path.localeCompare(b.path));
    expect(rows).toEqual([
      // The data key of contacts shows as *: the rows leave the worker.
      { path: 'contacts.*.*', values: 1, typeMismatches: 0, unnamed: true },
      { path: 'contacts.*.phone', transformer: 'redact', values: 1, typeMismatches: 0 },
      { path: 'email', transformer: 'email', values: 2, typeMismatches: 1 },
      { path: 'nickname', transformer: 'characterScramble', values: 1, typeMismatches: 0, unnamed: true },
      { path: 'status', transformer: 'passthrough', values: 2, typeMismatches: 0 },
      { path: 'tags[*]', transformer: 'characterScramble', values: 2, typeMismatches: 0, unnamed: true },
    ]);
    expect(counts.typeMismatches).toBe(1);
  });

  it('add up by path and transformer across calls, and keep at most MAX_REPORTED_PATHS rows, saying so', () => {
    const row = (path: string, values: number, transformer = 'email'): PathCount => ({ path, transformer, values, typeMismatches: values % 2 });
    const a = addCounts(ZERO_COUNTS, { read: 2, paths: [row('email', 2), row('name', 1, 'fullName')] });
    const b = addCounts(a, { read: 3, paths: [row('email', 3), row('email', 1, 'passthrough')] });
    expect(b.paths).toEqual([row('email', 5), row('name', 1, 'fullName'), row('email', 1, 'passthrough')].map((r) => (r.path === 'email' && r.transformer === 'email' ? { ...r, typeMismatches: 1 } : r)));
    expect(b.pathsTruncated).toBeUndefined();
    const many = addCounts(b, { paths: Array.from({ length: MAX_REPORTED_PATHS }, (_, i) => row(`p${i}`, 1)) });
    expect(many.paths).toHaveLength(MAX_REPORTED_PATHS);
    expect(many.pathsTruncated).toBe(true);
    // Rows already kept still count; the flag stays through later additions.
    const later = addCounts(many, { paths: [row('email', 10)] });
    expect(later.paths!.find((r) => r.path === 'email' && r.transformer === 'email')!.values).toBe(15);
    expect(later.pathsTruncated).toBe(true);
    expect(addCounts(ZERO_COUNTS, { read: 1 }).paths).toBeUndefined();
    // Progress reports and queries carry no rows: only a result, a heartbeat and a continueAsNew input do.
    expect(liveCounts(later)).toEqual({ read: 5, written: 0, typeMismatches: 0, deleted: 0 });
    expect(JSON.stringify(later.paths).length).toBeLessThan(MAX_REPORTED_PATHS * 80);
  });
});
