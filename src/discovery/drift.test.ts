import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { detectPaths } from './detect.ts';
import { discoverPaths } from './discover.ts';
import { tableDrift } from './drift.ts';
import type { TableKeyRoles } from './key-roles.ts';
import type { TableDiscovery } from './table-discovery.ts';

const S = (value: string) => ({ S: value });

const KEYS: TableKeyRoles = {
  schema: { partitionKey: 'id' },
  keys: [
    { name: 'id', primary: true, roles: ["the table's partition key"] },
    { name: 'byEmail', primary: false, roles: ['the partition key of index ByEmail'] },
  ],
};

function found(items: Item[]): TableDiscovery {
  const discovery = discoverPaths(items, { keys: KEYS.schema });
  return { table: 'T', description: {}, keys: KEYS, discovery, verdicts: detectPaths(discovery.paths), read: { items: items.length, readUnits: 1, pages: 1, segments: 1, complete: true, seconds: 0 } };
}

const items: Item[] = Array.from({ length: 8 }, (_, i) => ({
  id: S(`u${i}`),
  byEmail: S(`user${i}@example.com`),
  name: S('x'),
  info: { M: { plot: S('a plot'), rating: { N: '7' } } },
  contacts: { M: { [`friend${i}@example.com`]: { M: { phone: S('+44 20 7946 0958') } } } },
  tags: { L: [S('a'), S('b')] },
  backup: S(`other${i}@example.org`),
}));

describe('drift', () => {
  it('lists the paths no mapping pattern covers, with what init would write for them', () => {
    const drift = tableDrift({ name: {}, info: {}, 'contacts.*.phone': {}, 'tags[*]': {} }, found(items), builtinRegistry);
    // `info` covers what is inside it; the table's key is named by being one; an index key is not.
    expect(drift.unnamed).toEqual(['backup', 'byEmail']);
    const entries = drift.groups.flatMap((group) => group.entries).map((entry) => [entry.path, entry.transformer.type, entry.kind]);
    expect(entries).toEqual([
      ['byEmail', 'passthrough', 'key'],
      ['backup', 'email', 'flagged'],
    ]);
    expect(drift.flagged).toBe(1);
  });

  it('takes wildcards as covering what they stand for, and a literal key as covering only itself', () => {
    expect(tableDrift({ '*': {} }, found(items), builtinRegistry).unnamed).toEqual([]);
    const literal = tableDrift({ name: {}, info: {}, 'tags[0]': {}, backup: {}, byEmail: {}, 'contacts.x.phone': {} }, found(items), builtinRegistry);
    expect(literal.unnamed).toEqual(['contacts.*.phone', 'tags[*]']);
  });

  it('is empty when every path is named', () => {
    const drift = tableDrift({ name: {}, info: {}, contacts: {}, tags: {}, backup: {}, byEmail: {} }, found(items), builtinRegistry);
    expect(drift).toEqual({ unnamed: [], groups: [], flagged: 0 });
  });
});
