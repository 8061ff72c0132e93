import { describe, expect, it } from 'vitest';
import type { TableJob, TransformerRef } from '../../model/job.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { templateRef } from '../../transformers/templates/index.ts';
import { pruneWayOf, tablePruneWay } from './prune-way.ts';

const ref = (type: string, options: Record<string, unknown> = {}): TransformerRef => ({ type, options });
const permuteId = ref('permuteId', { format: 'auto', otherwise: 'error' });
const table = (over: Partial<TableJob>): TableJob => ({
  source: 'App',
  destination: 'AppCopy',
  sourceConnection: 'a',
  destinationConnection: 'a',
  consistentRead: false,
  onTypeMismatch: 'error',
  transformers: { Email: ref('email') },
  mode: 'replace',
  createTable: false,
  segments: 1,
  ...over,
});
const way = (over: Partial<TableJob>) => pruneWayOf(table(over), ['pk', 'sk'], builtinRegistry);

describe('which prune a replaced table needs', () => {
  it('inverse when every key mapping has an inverse and no rule set maps a key otherwise than the table', () => {
    expect(way({})).toEqual({ way: 'inverse' });
    expect(way({ transformers: { pk: permuteId, sk: templateRef({ templates: ['O#{id}'], parts: { id: permuteId }, otherwise: 'error' }) } })).toEqual({ way: 'inverse' });
    const rules = [{ name: 'user', when: 'a = 1', transformers: { Name: ref('fullName'), pk: ref('passthrough') } }];
    expect(way({ rules })).toEqual({ way: 'inverse' });
    // A rule set that maps a key exactly as the table does is inverted as the table's.
    expect(way({ transformers: { pk: permuteId }, rules: [{ when: 'a = 1', transformers: { '"pk"': { type: 'permuteId', options: { otherwise: 'error', format: 'auto' } } } }] })).toEqual({ way: 'inverse' });
  });

  it('forward for deterministic key mappings without an inverse, and for rule sets that map a key otherwise than the table', () => {
    expect(way({ transformers: { pk: ref('hash') } })).toEqual({ way: 'forward' });
    expect(way({ transformers: { sk: templateRef({ templates: ['U#{m}'], parts: { m: ref('email') }, otherwise: 'error' }, true) } })).toEqual({ way: 'forward' });
    expect(way({ rules: [{ name: 'user', when: 'a = 1', transformers: {} }, { when: 'a = 2', transformers: { pk: permuteId } }] })).toEqual({ way: 'forward' });
  });

  it('refused for a key mapping that may give another key on another run, naming it and the way out', () => {
    expect(way({ rules: [{ name: 'user', when: 'a = 1', transformers: { sk: { type: 'js', options: { code: 'return value' } } } }] })).toEqual({
      problem:
        'mode replace deletes the destination items that no selected item maps to, finding them by mapping every selected item\'s key again, but the mapping of key attribute sk in rule set "user" (a js script, which can read the clock) may give another key on another run; ' +
        'map key attributes with built-in transformers or templates of them, or use mode upsert',
    });
  });

  it('refused for a table read from an index, either way', () => {
    expect(way({ index: 'byStatus', transformers: { pk: ref('hash') } })).toEqual({
      problem: 'mode replace cannot read from index "byStatus": the prune step checks destination keys against the base table; read the table itself, or use mode upsert',
    });
  });
});

describe('which prune a table needs, by its mode', () => {
  const hashed = { transformers: { pk: ref('hash') } };
  const ruleKey = { rules: [{ name: 'user', when: 'a = 1', transformers: { pk: permuteId } }] };
  const of = (over: Partial<TableJob>) => tablePruneWay(table(over), ['pk', 'sk'], builtinRegistry);

  it('none for upsert; for replace, what pruneWayOf says', () => {
    expect(of({ mode: 'upsert', ...hashed })).toBeUndefined();
    expect(of(hashed)).toEqual({ way: 'forward' });
    expect(of(ruleKey)).toEqual({ way: 'forward' });
  });

  it("for incremental, what replace needs, and no rule set that maps a key otherwise than the table: a stream record may carry the keys alone", () => {
    expect(of({ mode: 'incremental' })).toEqual({ way: 'inverse' });
    expect(of({ mode: 'incremental', ...hashed })).toEqual({ way: 'forward' });
    expect(of({ mode: 'incremental', ...ruleKey })).toEqual({
      problem:
        "mode incremental deletes a removed item's copy under the key its rule set maps it to, and a stream record that carries only the keys cannot say which rule set that is; a rule set maps a key otherwise than the table: map key attributes the same way in every rule set and the table, or use mode replace",
    });
    expect(of({ mode: 'incremental', index: 'byStatus' })).toEqual({
      problem:
        'mode incremental copies in full and prunes as mode replace does when its stream cannot serve: mode replace cannot read from index "byStatus": the prune step checks destination keys against the base table; read the table itself, or use mode upsert',
    });
  });
});
