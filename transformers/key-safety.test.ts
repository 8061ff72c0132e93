import { describe, expect, it } from 'vitest';
import type { TransformerRef } from '../model/job.ts';
import { builtinRegistry, builtinTransformers } from './builtin/index.ts';
import { UNIQUENESS_LEVELS } from './definition.ts';
import { checkKeyMappings, mappingUniqueness, type KeyAttribute, type KeyMappings } from './key-safety.ts';
import { uniquenessOf } from './registry.ts';
import { templateRef } from './templates/index.ts';

const ref = (type: string, options: Record<string, unknown> = {}): TransformerRef => ({ type, options });
const parsed = (type: string, options: Record<string, unknown> = {}): TransformerRef => {
  const checked = builtinRegistry.validateOptions(type, options);
  if (!checked.ok) throw new Error(type);
  return { type, options: checked.options };
};
const KEYS: KeyAttribute[] = [
  { name: 'pk', type: 'S', primary: true, roles: ["the table's hash key"] },
  { name: 'sk', type: 'S', primary: true, roles: ["the table's range key"] },
  { name: 'GSI1PK', type: 'S', primary: false, roles: ['the hash key of index GSI1'] },
  { name: 'created', type: 'N', primary: false, roles: ['the range key of index GSI1'] },
];
const check = (mappings: Partial<KeyMappings>) => checkKeyMappings({ transformers: {}, defaults: {}, keys: KEYS, allowKeyCollisions: false, ...mappings }, builtinRegistry);
const template = (templates: string[], parts: Record<string, TransformerRef>, otherwise: 'error' | TransformerRef = 'error', allow = false) =>
  templateRef({ templates, parts, otherwise }, allow);

describe('uniqueness declarations', () => {
  it('come with every built-in, as one of the three levels', () => {
    for (const definition of builtinTransformers) {
      const level = uniquenessOf(definition, definition.options.parse(definition.sample.options ?? {}) as Record<string, unknown>);
      expect(UNIQUENESS_LEVELS, definition.name).toContain(level);
    }
  });

  it('say preserved only for bijections and keyed hashes of 128 bits or more', () => {
    const preserved = builtinTransformers.filter((d) => uniquenessOf(d, d.options.parse(d.sample.options ?? {}) as Record<string, unknown>) === 'preserved').map((d) => d.name);
    expect(preserved.sort()).toEqual(['hash', 'passthrough', 'permuteId']);
    expect(builtinRegistry.uniqueness(parsed('hash', { length: 32 }))).toBe('preserved');
    expect(builtinRegistry.uniqueness(parsed('hash', { length: 31 }))).toBe('not guaranteed');
    expect(builtinRegistry.uniqueness(parsed('hash', { encoding: 'base64', length: 22 }))).toBe('preserved');
    expect(builtinRegistry.uniqueness(parsed('hash', { encoding: 'base64', length: 21 }))).toBe('not guaranteed');
    expect(builtinRegistry.uniqueness(parsed('zipCode'))).toBe('not guaranteed');
    expect(builtinRegistry.uniqueness(parsed('zipCode', { format: '####' }))).toBe('lossy');
    for (const name of ['mask', 'redact', 'constant', 'null', 'categorical', 'state']) expect(builtinTransformers.find((d) => d.name === name)!.uniqueness, name).toBe('lossy');
    for (const name of ['uuid', 'email', 'fullName']) expect(builtinTransformers.find((d) => d.name === name)!.uniqueness, name).toBe('not guaranteed');
  });

  it('of a template follow from its parts and its otherwise; a script is never known to preserve', () => {
    const id = parsed('permuteId');
    expect(mappingUniqueness(template(['USER#{id}'], { id }), builtinRegistry)).toBe('preserved');
    expect(mappingUniqueness(template(['USER#{id}'], { id }, ref('passthrough')), builtinRegistry)).toBe('preserved');
    expect(mappingUniqueness(template(['USER#{id}#{m}'], { id, m: parsed('email') }), builtinRegistry)).toBe('not guaranteed');
    expect(mappingUniqueness(template(['USER#{id}#{m}'], { id, m: parsed('mask') }), builtinRegistry)).toBe('lossy');
    expect(mappingUniqueness(template(['USER#{id}'], { id }, parsed('permuteId')), builtinRegistry)).toBe('not guaranteed');
    expect(mappingUniqueness({ type: 'js', options: { code: 'value' } }, builtinRegistry)).toBe('not guaranteed');
  });
});

describe('checkKeyMappings', () => {
  it('passes keys that are copied or mapped one to one', () => {
    const id = parsed('permuteId');
    const result = check({
      transformers: { pk: template(['USER#{id}'], { id }), sk: ref('passthrough'), GSI1PK: parsed('hash'), created: id },
      defaults: { S: ref('characterScramble') },
    });
    expect(result).toEqual({ problems: [], countMerges: false });
  });

  it('refuses a table key mapped by a transformer that can merge, naming the path and why', () => {
    expect(check({ transformers: { pk: parsed('zipCode', { format: '####' }) } }).problems).toEqual([
      {
        path: ['transformers', 'pk'],
        message:
          'pk is the table\'s hash key; its mapping (transformer "zipCode") does not keep distinct values distinct (lossy), so two source items could become one. ' +
          'Map it with permuteId, hash, passthrough or a template of such parts; or allow it with allowKeyCollisions: true on the table, and the run counts the items that merge',
      },
    ]);
  });

  it('places problems where the mappings are written, for mappings other than the table\'s own (rule sets)', () => {
    const problems = check({ transformers: { pk: parsed('mask') }, at: ['ruleSets', 1, 'transformers'] }).problems;
    expect(problems.map((p) => p.path)).toEqual([['ruleSets', 1, 'transformers', 'pk']]);
  });

  it('names the parts that make a template merge', () => {
    const problems = check({ transformers: { sk: template(['ORDER#{date}#{id}'], { date: parsed('dateShift'), id: parsed('permuteId') }) } }).problems;
    expect(problems.map((p) => p.message)).toEqual([
      'sk is the table\'s range key; its template mapping does not keep distinct values distinct (not guaranteed, through part {date} (transformer "dateShift", not guaranteed)), so two source items could become one. ' +
        'Map it with permuteId, hash, passthrough or a template of such parts; or allow it with allowKeyCollisions: true (on the table, or on this template), and the run counts the items that merge',
    ]);
  });

  it('reaches index keys through wildcards and defaults too, but table keys only through their names', () => {
    const wildcard = check({ transformers: { '*': parsed('fullName') }, onTypeMismatch: 'passthrough' }).problems;
    // `created` is N, which fullName does not take: with onTypeMismatch: passthrough it is copied.
    expect(wildcard.map((p) => p.path)).toEqual([['transformers', '*']]);
    expect(wildcard[0]!.message).toMatch(/^GSI1PK is the hash key of index GSI1; its mapping \(transformer "fullName"\) does not keep distinct values distinct \(not guaranteed\), so a query of the index could find two items under one key\./);
    const defaulted = check({ defaults: { S: ref('characterScramble') } }).problems;
    expect(defaulted).toEqual([
      {
        path: ['transformers'],
        message:
          'GSI1PK is the hash key of index GSI1; no mapping names it, so the default for S (transformer "characterScramble") applies, which does not keep distinct values distinct (not guaranteed), so a query of the index could find two items under one key. ' +
          'Map it with permuteId, hash, passthrough or a template of such parts; or allow it with allowKeyCollisions: true on the table',
      },
    ]);
  });

  it('refuses a key mapping that changes or cannot take the key type', () => {
    const problems = check({ transformers: { pk: parsed('null'), created: parsed('email'), sk: template(['X#{id}'], { id: parsed('permuteId') }) } }).problems;
    expect(problems.map((p) => p.message)).toEqual(['pk is the table\'s hash key, of type S; transformer "null" gives NULL, and a key keeps its type', 'created is the range key of index GSI1, of type N; transformer "email" does not take N (it takes S, SS), and onTypeMismatch would fail or null every item']);
    const keys: KeyAttribute[] = [{ name: 'id', type: 'B', primary: true, roles: ["the table's hash key"] }];
    expect(checkKeyMappings({ transformers: { id: parsed('hash') }, defaults: {}, keys, allowKeyCollisions: true }, builtinRegistry).problems[0]!.message).toBe(
      'id is the table\'s hash key, of type B; transformer "hash" gives S, and a key keeps its type',
    );
    const numeric: KeyAttribute[] = [{ name: 'id', type: 'N', primary: true, roles: ["the table's hash key"] }];
    expect(checkKeyMappings({ transformers: { id: template(['{x}'], { x: parsed('permuteId') }) }, defaults: {}, keys: numeric, allowKeyCollisions: false }, builtinRegistry).problems[0]!.message).toBe(
      "id is the table's hash key, of type N; a template maps strings (S), and a key keeps its type",
    );
  });

  it('refuses dropping a table key, whatever else the job allows, and lets an index key go (its item leaves the index)', () => {
    const dropped = "pk is the table's hash key, of type S; transformer \"drop\" removes the value, and an item cannot lose a key";
    expect(check({ transformers: { pk: parsed('drop') } })).toEqual({ problems: [{ path: ['transformers', 'pk'], message: dropped }], countMerges: false });
    // Allowing collisions allows merging, not losing the key.
    expect(check({ transformers: { pk: parsed('drop') }, allowKeyCollisions: true }).problems).toEqual([{ path: ['transformers', 'pk'], message: dropped }]);
    expect(check({ transformers: { '"sk"': parsed('drop') } }).problems).toEqual([
      { path: ['transformers', '"sk"'], message: "sk is the table's range key, of type S; transformer \"drop\" removes the value, and an item cannot lose a key" },
    ]);
    // A wildcard never reaches a table key, so `*: drop` drops only what is not one.
    expect(check({ transformers: { '*': parsed('drop') } }).problems).toEqual([]);
  });

  it('lets the job allow collisions, on the table or on one template, and then asks for the merges to be counted', () => {
    expect(check({ transformers: { pk: parsed('zipCode', { format: '####' }) }, allowKeyCollisions: true })).toEqual({ problems: [], countMerges: true });
    const allowed = template(['USER#{m}'], { m: parsed('email') }, 'error', true);
    expect(check({ transformers: { pk: allowed } })).toEqual({ problems: [], countMerges: true });
    // Only a primary key's collisions merge items.
    expect(check({ transformers: { GSI1PK: allowed } })).toEqual({ problems: [], countMerges: false });
    expect(check({ transformers: { GSI1PK: parsed('drop') } })).toEqual({ problems: [], countMerges: false });
  });
});
