import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { Item } from '../model/item.ts';
import type { TransformerRef } from '../model/job.ts';
import { builtinRegistry, builtinTransformers } from './builtin/index.ts';
import { defineTransformer } from './definition.ts';
import { createKeyInverse, KeyInverseError, nonInvertibleKeys, type KeyMappingSet } from './key-inverse.ts';
import { buildPlan } from './plan.ts';
import { createRegistry } from './registry.ts';
import { templateRef } from './templates/index.ts';

const SALT = 'key-inverse-salt';
const ref = (type: string, options: Record<string, unknown> = {}): TransformerRef => ({ type, options });
const permuteId = ref('permuteId');
const template = (templates: string[], parts: Record<string, TransformerRef>, otherwise: 'error' | TransformerRef = 'error') => templateRef({ templates, parts, otherwise });

/** The single-table dataset's key mappings (jobs/single-table.yaml). */
const SINGLE_TABLE: KeyMappingSet = {
  keyAttributes: ['pk', 'sk'],
  transformers: {
    pk: template(['ACCOUNT#{accountId}', 'TICKET#{ticketId}'], { accountId: permuteId, ticketId: permuteId }),
    sk: template(['PROFILE', 'ORDER#{date}#{orderId}', 'TICKET'], { date: ref('passthrough'), orderId: permuteId }),
    email: ref('email'),
    name: ref('fullName'),
  },
};

/** The copy's own plan over the mappings: what the destination gets. */
const forwardOf = (mappings: KeyMappingSet, registry = builtinRegistry) =>
  buildPlan({ transformers: mappings.transformers, defaults: {}, keyAttributes: mappings.keyAttributes, salt: SALT, ...(mappings.onTypeMismatch ? { onTypeMismatch: mappings.onTypeMismatch } : {}) }, registry);
const keyOf = (item: Item, names: readonly string[]): Item => Object.fromEntries(names.map((name) => [name, item[name]!]));

describe('createKeyInverse', () => {
  it('maps the keys of a single-table copy back to their source keys, templates of several parts included', () => {
    const forward = forwardOf(SINGLE_TABLE);
    const inverse = createKeyInverse({ ...SINGLE_TABLE, salt: SALT }, builtinRegistry);
    const sources: Item[] = [];
    for (let i = 0; i < 100; i++) {
      const account = `ACCOUNT#3f2504e0-4f89-41d3-9a0c-0305e82c${String(i).padStart(4, '0')}`;
      sources.push(
        { pk: { S: account }, sk: { S: 'PROFILE' }, email: { S: `a${i}@example.com` } },
        { pk: { S: account }, sk: { S: `ORDER#2026-01-${String((i % 28) + 1).padStart(2, '0')}#K7Q2M${String(i).padStart(3, '0')}X` } },
        { pk: { S: `TICKET#${String(i * 7919).padStart(8, '0')}` }, sk: { S: 'TICKET' }, name: { S: 'Ada Lovelace' } },
      );
    }
    const destination = sources.map((item) => keyOf(forward.transformItem(item), ['pk', 'sk']));
    expect(new Set(destination.map((key) => `${key['pk']!.S}|${key['sk']!.S}`)).size).toBe(sources.length);
    expect(destination.filter((key, i) => key['pk']!.S === sources[i]!['pk']!.S)).toEqual([]);
    expect(destination.map((key) => inverse.sourceKey(key))).toEqual(sources.map((item) => keyOf(item, ['pk', 'sk'])));
  });

  it('says no source key maps onto a key that matches no template or whose identifier has no format', () => {
    const inverse = createKeyInverse({ ...SINGLE_TABLE, salt: SALT }, builtinRegistry);
    for (const [pk, sk] of [
      ['GARBAGE#1', 'PROFILE'],
      ['ACCOUNT#not-an-id!', 'PROFILE'],
      ['TICKET#00000042', 'ORDER#2026-01-01'],
      ['ACCOUNT#3f2504e0-4f89-41d3-9a0c-0305e82c0001', 'SETTINGS'],
    ]) {
      expect(inverse.sourceKey({ pk: { S: pk! }, sk: { S: sk! } }), `${pk}|${sk}`).toBeUndefined();
    }
  });

  it('maps N keys back through permuteNumber, and copies values the mapping passes through', () => {
    const mappings: KeyMappingSet = { keyAttributes: ['id', 'version'], transformers: { id: ref('permuteId', { otherwise: 'passthrough' }) } };
    const forward = forwardOf(mappings);
    const inverse = createKeyInverse({ ...mappings, salt: SALT }, builtinRegistry);
    const keys: Item[] = Array.from({ length: 500 }, (_, i) => ({ id: { N: String(1000 + i * 37) }, version: { N: String(i % 3) } }));
    keys.push({ id: { N: '1.5' }, version: { N: '1' } }, { id: { N: '-77' }, version: { N: '2' } });
    const destination = keys.map((key) => forward.transformItem(key));
    expect(destination.filter((key, i) => key['id']!.N === keys[i]!['id']!.N).length).toBeLessThan(3);
    expect(destination.map((key) => inverse.sourceKey(key))).toEqual(keys);
  });

  it('copies back a key of a type its mapping does not take when onTypeMismatch copies it, and finds none otherwise', () => {
    const mappings = (onTypeMismatch: KeyMappingSet['onTypeMismatch']): KeyMappingSet => ({ keyAttributes: ['pk'], transformers: { pk: template(['U#{id}'], { id: permuteId }) }, onTypeMismatch });
    expect(createKeyInverse({ ...mappings('passthrough'), salt: SALT }, builtinRegistry).sourceKey({ pk: { N: '42' } })).toEqual({ pk: { N: '42' } });
    expect(createKeyInverse({ ...mappings('error'), salt: SALT }, builtinRegistry).sourceKey({ pk: { N: '42' } })).toBeUndefined();
  });

  it('gives back keys nobody maps, and keys mapped by passthrough, as they are; the first mapping written that names a key is the one', () => {
    const plain = createKeyInverse({ keyAttributes: ['pk', 'sk'], transformers: { '*': ref('redact'), 'pk.x': ref('hash'), sk: ref('passthrough'), email: ref('email') }, salt: SALT }, builtinRegistry);
    const key = { pk: { S: 'USER#1' }, sk: { B: new Uint8Array([1, 2]) } };
    expect(plain.sourceKey(key)).toEqual(key);
    const twice: KeyMappingSet = { keyAttributes: ['pk'], transformers: { pk: permuteId, '"pk"': ref('passthrough') } };
    const out = forwardOf(twice).transformItem({ pk: { S: '0042' } });
    expect(out['pk']!.S).not.toBe('0042');
    expect(createKeyInverse({ ...twice, salt: SALT }, builtinRegistry).sourceKey(out)).toEqual({ pk: { S: '0042' } });
  });

  it('fails, naming the mapping and never the key, when an inverse gives a key that does not map back', () => {
    const liar = defineTransformer({
      name: 'liar',
      description: 'Appends x; its inverse forgets to take it off.',
      accepts: ['S'],
      produces: 'same',
      uniqueness: 'preserved',
      options: z.strictObject({}),
      make: () => (value) => ({ S: `${value.S}x` }),
      makeInverse: () => (value) => value,
    });
    const registry = createRegistry([...builtinTransformers, liar]);
    const inverse = createKeyInverse({ keyAttributes: ['pk'], transformers: { pk: ref('liar') }, salt: SALT }, registry);
    let error: unknown;
    try {
      inverse.sourceKey({ pk: { S: 'secret-key-42x' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyInverseError);
    expect((error as Error).message).toBe('the inverse of the key mapping "pk" (liar) gave a source key that does not map back onto its destination key: it maps to another key');
  });

  it('refuses mappings without an inverse', () => {
    expect(() => createKeyInverse({ keyAttributes: ['pk'], transformers: { pk: ref('hash') }, salt: SALT }, builtinRegistry)).toThrow('key mappings without an inverse: pk (transformer "hash")');
  });
});

describe('nonInvertibleKeys', () => {
  const check = (transformers: Record<string, TransformerRef>) => nonInvertibleKeys({ keyAttributes: ['pk', 'sk'], transformers }, builtinRegistry);

  it('finds none for passthrough, permuteId, templates of such parts, and keys no mapping names', () => {
    expect(check(SINGLE_TABLE.transformers)).toEqual([]);
    expect(check({ pk: template(['U#{id}'], { id: ref('permuteId', { domain: 'users' }) }, ref('passthrough')), email: ref('hash') })).toEqual([]);
    expect(check({ '*': ref('hash'), 'pk.inner': ref('fullName') })).toEqual([]);
  });

  it('names each key whose mapping has none, and why', () => {
    expect(check({ pk: ref('hash'), '"sk"': { type: 'js', options: { code: 'return value' } } })).toEqual([
      { attribute: 'pk', pattern: 'pk', why: 'transformer "hash"' },
      { attribute: 'sk', pattern: '"sk"', why: 'a js script' },
    ]);
    expect(check({ pk: template(['U#{id}#{mail}'], { id: permuteId, mail: ref('email') }), sk: template(['S#{id}'], { id: permuteId }, ref('hash')) })).toEqual([
      { attribute: 'pk', pattern: 'pk', why: 'a template through part {mail} (transformer "email")' },
      { attribute: 'sk', pattern: 'sk', why: 'a template through otherwise (transformer "hash", whose output may match a template)' },
    ]);
  });

  it('knows which built-ins have an inverse: passthrough and permuteId', () => {
    const invertible = builtinTransformers.filter((definition) => definition.makeInverse !== undefined).map((definition) => definition.name);
    expect(invertible.sort()).toEqual(['passthrough', 'permuteId']);
  });
});
