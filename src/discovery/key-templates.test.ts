import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { detectPaths } from './detect.ts';
import { discoverPaths } from './discover.ts';
import type { TableKeyRoles } from './key-roles.ts';
import { planTemplates } from './key-templates.ts';

const S = (value: string) => ({ S: value });
const key = (name: string, primary: boolean, type: 'S' | 'N' | 'B' = 'S') => ({ name, type, primary, roles: [primary ? `the table's ${name}` : `index key ${name}`] });

function plan(items: Item[], keys: TableKeyRoles) {
  const discovery = discoverPaths(items, { keys: keys.schema, keyAttributes: keys.keys.map((k) => k.name) });
  return planTemplates({ keys, shapes: discovery.shapes, verdicts: new Map(detectPaths(discovery.paths).map((v) => [v.path, v])) }, builtinRegistry);
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `${10_000_000 + i * 7919}`);

describe('planTemplates', () => {
  it('writes identifiers as permuteId parts, constant labels as fixed text, and the same part wherever the identifier stands', () => {
    const items = ids(8).flatMap((id, i): Item[] => [
      { pk: S(`ACCOUNT#${id}`), sk: S('PROFILE'), accountId: S(id) },
      { pk: S(`ACCOUNT#${id}`), sk: S(`ORDER#${i}A${i}B#ITEM#${i + 1}`), orderRef: S(`ACCOUNT#${id}`) },
    ]);
    const result = plan(items, { schema: { partitionKey: 'pk', sortKey: 'sk' }, keys: [key('pk', true), key('sk', true)] });
    expect(result.keys.get('pk')).toMatchObject({ kind: 'templates', templates: ['ACCOUNT#{accountId}'], allowKeyCollisions: false });
    expect(result.keys.get('sk')).toMatchObject({ kind: 'templates', templates: ['ORDER#{orderId}#ITEM#{itemId}', 'PROFILE'] });
    expect(result.attributes.get('accountId')).toMatchObject({ templates: ['{accountId}'] });
    expect(result.attributes.get('orderRef')).toMatchObject({ templates: ['ACCOUNT#{accountId}'] });
    expect(result.parts.map((part) => [part.name, part.transformer.type])).toEqual([
      ['accountId', 'permuteId'],
      ['itemId', 'permuteId'],
      ['orderId', 'permuteId'],
    ]);
  });

  it('lets an index key, never a table key, take a part through a transformer that may merge, and says why', () => {
    const items = ids(10).map((id, i): Item => ({ pk: S(`USER#${id}`), gsi: S(`EMAIL#u${i}@example.com`), email: S(`u${i}@example.com`) }));
    const asIndex = plan(items, { schema: { partitionKey: 'pk' }, keys: [key('pk', true), key('gsi', false)] });
    expect(asIndex.keys.get('gsi')).toMatchObject({ kind: 'templates', templates: ['EMAIL#{email}'], allowKeyCollisions: true });
    expect(asIndex.parts.find((part) => part.name === 'email')?.transformer.type).toBe('email');
    const asTable = plan(items.map((item) => ({ pk: item.gsi!, email: item.email! })), { schema: { partitionKey: 'pk' }, keys: [key('pk', true)] });
    expect(asTable.keys.get('pk')).toMatchObject({ kind: 'passthrough', reason: expect.stringContaining('init never lets table keys merge items') });
  });

  it('passes through what it cannot rewrite, with the reason', () => {
    const keys: TableKeyRoles = { schema: { partitionKey: 'pk' }, keys: [key('pk', true), key('bin', false, 'B'), key('score', false, 'N')] };
    const items = ids(6).map((id, i): Item => ({ pk: S(i % 2 === 0 ? `USER#${id}` : `plain-${id}`), bin: { B: new Uint8Array([i]) }, score: { N: `${i}.5` } }));
    const result = plan(items, keys);
    expect(result.keys.get('pk')).toEqual({ kind: 'passthrough', reason: '50% of sampled values carry no label prefix (capitals, digits and _, then #, | or :)' });
    expect(result.keys.get('bin')).toEqual({ kind: 'passthrough', reason: 'a binary key, which no template or permutation takes' });
    expect(result.keys.get('score')).toEqual({ kind: 'passthrough', reason: '100% of sampled values are not integers, which permuteId takes' });
    expect(result.parts).toEqual([]);
  });

  it('keeps an index key as it is where the table keys pass the same label through', () => {
    const items = ids(6).map((id, i): Item => ({ pk: S(`USER#${['ada', 'bob', 'cy', 'di', 'ed', 'flo'][i]}`), gsi: S(`USER#${id}`) }));
    const result = plan(items, { schema: { partitionKey: 'pk' }, keys: [key('pk', true), key('gsi', false)] });
    expect(result.keys.get('pk')).toMatchObject({ kind: 'passthrough' });
    expect(result.keys.get('gsi')).toEqual({ kind: 'passthrough', reason: "the table's keys pass USER… through, so its identifiers stay as they are here too" });
  });
});
