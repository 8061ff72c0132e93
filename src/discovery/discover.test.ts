import { beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { parsePathPattern } from '../../model/path.ts';
import { loadMovies } from '../local-stack/movie-data.ts';
import { MAX_ITEM_TYPES, discoverPaths, type Discovery } from './discover.ts';
import { MAX_MAP_KEYS, MAX_NODES, formatPattern, type DiscoveredPath } from './path-tree.ts';
import { MAX_SAMPLED_CHARS, SAMPLE_SIZE } from './value-sample.ts';

const S = (value: string) => ({ S: value });
const N = (value: string) => ({ N: value });
const M = (value: Item) => ({ M: value });

function stats(discovery: { paths: readonly DiscoveredPath[] }) {
  return Object.fromEntries(discovery.paths.map((path) => [path.stats.path, { items: path.stats.items, presence: path.stats.presence, types: path.stats.types }]));
}

describe('discovery on movies', () => {
  let movies: Item[];
  beforeAll(async () => {
    movies = await loadMovies();
  });

  it('folds lists, keeps the names of info, and counts presence per item', () => {
    const discovery = discoverPaths(movies.slice(0, 8), { keys: { partitionKey: 'year', sortKey: 'title' } });
    expect(discovery.items).toBe(8);
    expect(stats(discovery)).toEqual({
      info: { items: 8, presence: 1, types: { M: 8 } },
      'info.actors': { items: 8, presence: 1, types: { L: 8 } },
      'info.actors[*]': { items: 8, presence: 1, types: { S: 24 } },
      'info.directors': { items: 8, presence: 1, types: { L: 8 } },
      'info.directors[*]': { items: 8, presence: 1, types: { S: 9 } },
      'info.genres': { items: 8, presence: 1, types: { L: 8 } },
      'info.genres[*]': { items: 8, presence: 1, types: { S: 27 } },
      'info.image_url': { items: 8, presence: 1, types: { S: 8 } },
      'info.plot': { items: 8, presence: 1, types: { S: 8 } },
      'info.rank': { items: 8, presence: 1, types: { N: 8 } },
      'info.rating': { items: 5, presence: 0.625, types: { N: 5 } },
      'info.release_date': { items: 8, presence: 1, types: { S: 8 } },
      'info.running_time_secs': { items: 6, presence: 0.75, types: { N: 6 } },
      title: { items: 8, presence: 1, types: { S: 8 } },
      year: { items: 8, presence: 1, types: { N: 8 } },
    });
    expect(discovery.itemTypes).toEqual([]);
    const actors = discovery.paths.find((path) => path.stats.path === 'info.actors[*]')!;
    expect(actors.stats).toMatchObject({ values: 24, scalarValues: 24, distinctValues: 21 });
    expect(actors.sample.map((value) => value.type)).toEqual(Array(24).fill('S'));
  });

  it('keeps the same fifteen paths over the whole file, and takes no movie title for an item type', () => {
    const discovery = discoverPaths(movies, { keys: { partitionKey: 'year', sortKey: 'title' } });
    expect(discovery.paths.map((path) => path.stats.path)).toEqual(Object.keys(stats(discoverPaths(movies.slice(0, 8)))));
    // "JFK", "TRON: Legacy": labels on a few items only, so not a single-table design.
    expect(discovery.itemTypes).toEqual([]);
    expect(discovery.itemTypesDropped).toBe(true);
    expect(discovery.paths.find((path) => path.stats.path === 'info.rating')!.stats).toMatchObject({ items: 4405, types: { N: 4405 } });
    for (const path of discovery.paths) expect(path.sample.length).toBeLessThanOrEqual(SAMPLE_SIZE);
  });
});

describe('discovery on a single-table design', () => {
  const user = (id: string, contacts: Item, extra: Item = {}): Item => ({
    PK: S(`USER#${id}`),
    SK: S(`USER#${id}`),
    email: S(`${id}@example.com`),
    prefs: M({ theme: S('dark'), language: S('en') }),
    contacts: M(contacts),
    ...extra,
  });
  const order = (userId: string, date: string, no: string, lines: Item[]): Item => ({
    PK: S(`USER#${userId}`),
    SK: S(`ORDER#${date}#${no}`),
    total: N('19.90'),
    status: S('shipped'),
    lines: { L: lines.map(M) },
  });
  const items: Item[] = [
    user('ada', { 'grace@example.com': M({ phone: S('+44 20 7946 0958'), since: S('2024-01-02') }), 'alan@example.com': M({ phone: S('+44 20 7946 0000') }) }),
    user('grace', { 'ada@example.com': M({ since: S('2023-05-06') }) }),
    user('alan', {}, { prefs: M({ theme: S('light') }) }),
    order('ada', '2026-01-05', '1001', [{ sku: S('SKU-12345-XL'), qty: N('2') }, { sku: S('SKU-777-S'), qty: N('1') }]),
    order('ada', '2026-02-11', '1002', [{ sku: S('SKU-12345-XL'), qty: N('1') }]),
  ];
  let discovery: Discovery;
  beforeAll(() => {
    discovery = discoverPaths(items, { keys: { partitionKey: 'PK', sortKey: 'SK' } });
  });

  it('folds a map keyed by emails into *, with presence counted per item', () => {
    expect(stats(discovery)).toMatchObject({
      contacts: { items: 3, presence: 0.6, types: { M: 3 } },
      'contacts.*': { items: 2, presence: 0.4, types: { M: 3 } },
      'contacts.*.phone': { items: 1, presence: 0.2, types: { S: 2 } },
      'contacts.*.since': { items: 2, presence: 0.4, types: { S: 2 } },
    });
    expect(discovery.paths.some((path) => path.stats.path.includes('@'))).toBe(false);
  });

  it('keeps the names of a map whose keys are a schema', () => {
    expect(stats(discovery)).toMatchObject({
      'prefs.theme': { items: 3, presence: 0.6, types: { S: 3 } },
      'prefs.language': { items: 2, presence: 0.4, types: { S: 2 } },
    });
  });

  it('tells USER and ORDER items apart by their sort-key prefix and keeps paths per type', () => {
    expect(discovery.itemTypes.map(({ name, partition, sort, items, share }) => ({ name, partition, sort, items, share }))).toEqual([
      { name: 'ORDER', partition: { attribute: 'PK', prefix: 'USER#', whole: false }, sort: { attribute: 'SK', prefix: 'ORDER#', whole: false }, items: 2, share: 0.4 },
      { name: 'USER', partition: { attribute: 'PK', prefix: 'USER#', whole: false }, sort: { attribute: 'SK', prefix: 'USER#', whole: false }, items: 3, share: 0.6 },
    ]);
    const [orders, users] = discovery.itemTypes;
    expect(stats(orders!)).toEqual({
      PK: { items: 2, presence: 1, types: { S: 2 } },
      SK: { items: 2, presence: 1, types: { S: 2 } },
      lines: { items: 2, presence: 1, types: { L: 2 } },
      'lines[*]': { items: 2, presence: 1, types: { M: 3 } },
      'lines[*].qty': { items: 2, presence: 1, types: { N: 3 } },
      'lines[*].sku': { items: 2, presence: 1, types: { S: 3 } },
      status: { items: 2, presence: 1, types: { S: 2 } },
      total: { items: 2, presence: 1, types: { N: 2 } },
    });
    expect(stats(users!)).toMatchObject({
      'contacts.*': { items: 2, presence: 2 / 3 },
      'contacts.*.phone': { items: 1, presence: 1 / 3 },
      email: { items: 3, presence: 1 },
    });
    expect(Object.keys(stats(users!))).not.toContain('lines');
  });

  it('gives the table the same statistics with and without item types', () => {
    const untyped = discoverPaths(items);
    expect(untyped.itemTypes).toEqual([]);
    expect(discovery.paths.map((path) => path.stats)).toEqual(untyped.paths.map((path) => path.stats));
  });

  it('names two types with one sort-key label by both prefixes', () => {
    const metadata = discoverPaths(
      [
        { PK: S('USER#1'), SK: S('METADATA') },
        { PK: S('ORDER#9'), SK: S('METADATA') },
        { PK: S('ORDER#9'), SK: S('ITEM#1') },
      ],
      { keys: { partitionKey: 'PK', sortKey: 'SK' } },
    );
    expect(metadata.itemTypes.map((type) => type.name)).toEqual(['ITEM', 'ORDER/METADATA', 'USER/METADATA']);
  });
});

describe('folding maps', () => {
  it('folds a map with more than MAX_MAP_KEYS distinct keys, with exact presence', () => {
    const items: Item[] = Array.from({ length: 30 }, (_, i) => ({
      tags: M({ [`tag${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`]: S('x'), common: S('y') }),
    }));
    items.push({ other: S('no tags') });
    for (let i = 0; i < MAX_MAP_KEYS; i++) items.push({ tags: M({ [`more${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`]: S('z') }) });
    const discovery = discoverPaths(items);
    expect(stats(discovery)).toEqual({
      other: { items: 1, presence: 1 / 71, types: { S: 1 } },
      tags: { items: 70, presence: 70 / 71, types: { M: 70 } },
      'tags.*': { items: 70, presence: 70 / 71, types: { S: 100 } },
    });
    expect(discovery.paths.every((path) => path.stats.estimated === undefined)).toBe(true);
  });

  it('folds a map whose keys each occur once, though they look like words', () => {
    const words = ['apple', 'banana', 'cherry', 'damson', 'elder', 'fig', 'grape', 'guava', 'kiwi', 'lemon', 'lime', 'mango', 'melon', 'olive', 'peach', 'pear', 'plum', 'quince', 'rowan', 'sloe'];
    const discovery = discoverPaths(words.map((word) => ({ scores: M({ [word]: N('1') }) })));
    expect(Object.keys(stats(discovery))).toEqual(['scores', 'scores.*']);
  });

  it('keeps a few optional names of a small sample', () => {
    const discovery = discoverPaths([{ a: M({ x: N('1') }) }, { a: M({ y: N('2') }) }, { a: M({ x: N('3'), z: N('4') }) }]);
    expect(Object.keys(stats(discovery))).toEqual(['a', 'a.x', 'a.y', 'a.z']);
  });

  it('folds maps keyed by numbers, ids and names of people', () => {
    const discovery = discoverPaths([
      { byYear: M({ '2024': N('1'), '2025': N('2') }), pets: M({ Judith: M({ age: N('3') }) }), devices: M({ '3f2c8a1e-9b7d-4c2a-8e1f-0a9b8c7d6e5f': S('ios') }) },
      { byYear: M({ '2026': N('1') }), pets: M({ Oscar: M({ age: N('5') }), Mabel: M({}) }), devices: M({ 'USER#42': S('web') }) },
    ]);
    expect(Object.keys(stats(discovery))).toEqual(['byYear', 'byYear.*', 'devices', 'devices.*', 'pets', 'pets.*', 'pets.*.age']);
    expect(stats(discovery)['pets.*']).toEqual({ items: 2, presence: 1, types: { M: 3 } });
  });

  it('says when presence is an estimate: a map folded below the levels it tracks both ways', () => {
    // Maps keyed by emails four deep: the fourth is past MAX_VERSIONS, so its `*` side is merged from its named keys,
    // whose items overlap; the sum is capped by the enclosing map's count and marked.
    const nest = (leaf: Item): Item => ({ a: M({ 'a@x.io': M({ 'b@x.io': M({ 'c@x.io': M(leaf) }) }) }) });
    const discovery = discoverPaths([nest({ 'd@x.io': M({ v: N('1') }), 'e@x.io': M({ v: N('2') }) }), nest({ 'd@x.io': M({ w: N('3') }) })]);
    const paths = Object.fromEntries(discovery.paths.map((path) => [path.stats.path, path.stats]));
    expect(Object.keys(paths)).toEqual(['a', 'a.*', 'a.*.*', 'a.*.*.*', 'a.*.*.*.*', 'a.*.*.*.*.v', 'a.*.*.*.*.w']);
    expect(paths['a.*.*.*']).toMatchObject({ items: 2 });
    expect(paths['a.*.*.*']!.estimated).toBeUndefined();
    expect(paths['a.*.*.*.*']).toMatchObject({ items: 2, estimated: true });
    // One item holds v, under two keys: counted twice, capped at the two items of the map above.
    expect(paths['a.*.*.*.*.v']).toMatchObject({ items: 2, values: 2, estimated: true });
  });
});

describe('paths', () => {
  it('render as patterns that parse back to the same segments', () => {
    const discovery = discoverPaths([{ 'a.b': M({ 'x"y': S('1'), '*': S('2') }), list: { L: [{ L: [S('deep')] }] } }]);
    expect(discovery.paths.map((path) => path.stats.path)).toEqual(['"a.b"', '"a.b"."*"', '"a.b"."x\\"y"', 'list', 'list[*]', 'list[*][*]']);
    for (const path of discovery.paths) {
      expect(parsePathPattern(path.stats.path).segments).toEqual(path.segments);
      expect(formatPattern(parsePathPattern(path.stats.path).segments)).toBe(path.stats.path);
    }
  });

  it('sample set elements one by one and clip long values', () => {
    const long = 'x'.repeat(10 * 1024);
    const discovery = discoverPaths(Array.from({ length: 100 }, (_, i) => ({ tags: { SS: [`t${i}`, `u${i}`] }, scores: { NS: [String(i)] }, note: S(long) })));
    const paths = Object.fromEntries(discovery.paths.map((path) => [path.stats.path, path]));
    expect(paths.tags!.stats).toMatchObject({ values: 100, scalarValues: 200, distinctValues: 200, distinctAtLeast: false, types: { SS: 100 } });
    expect(paths.tags!.sample).toHaveLength(SAMPLE_SIZE);
    expect(paths.scores!.sample.every((value) => value.type === 'N')).toBe(true);
    expect(paths.note!.sample.every((value) => value.clipped && value.text.length === MAX_SAMPLED_CHARS)).toBe(true);
    expect(paths.note!.stats.distinctValues).toBe(1);
  });
});

describe('bounds', () => {
  it('stop tracking new paths at MAX_NODES, across item types, and say so', () => {
    const wide = (from: number): Item => Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`a${from + i}`, N('1')]));
    const items = [0, 1000, 2000, 3000, 4000].map((from, i) => ({ PK: S(`T${i}#1`), ...wide(from) }));
    const discovery = discoverPaths(items, { keys: { partitionKey: 'PK' } });
    expect(discovery.truncated).toBe(true);
    expect(discovery.paths.length).toBeLessThanOrEqual(MAX_NODES);
    expect(discovery.itemTypes.reduce((sum, type) => sum + type.paths.length, 0)).toBeLessThanOrEqual(MAX_NODES);
    expect(discoverPaths(items.slice(0, 3), { keys: { partitionKey: 'PK' } }).truncated).toBe(false);
  });
});

describe('item types', () => {
  it('are dropped when there are more prefixes than MAX_ITEM_TYPES, and the table stays exact', () => {
    const items: Item[] = Array.from({ length: MAX_ITEM_TYPES + 6 }, (_, i) => ({ PK: S(`T${i}#1`), v: N(String(i)) }));
    const discovery = discoverPaths(items, { keys: { partitionKey: 'PK' } });
    expect(discovery.itemTypes).toEqual([]);
    expect(discovery.itemTypesDropped).toBe(true);
    expect(stats(discovery)).toEqual({ PK: { items: 30, presence: 1, types: { S: 30 } }, v: { items: 30, presence: 1, types: { N: 30 } } });
  });

  it('are one when every key has the same prefix', () => {
    const discovery = discoverPaths([{ PK: S('USER#1') }, { PK: S('USER#2') }], { keys: { partitionKey: 'PK' } });
    expect(discovery.itemTypes.map((type) => [type.name, type.items])).toEqual([['USER', 2]]);
  });

  it('include the items without a prefix as a type of their own when most keys have one', () => {
    const discovery = discoverPaths([{ PK: S('USER#1') }, { PK: S('USER#2') }, { PK: S('legacy-3') }], { keys: { partitionKey: 'PK' } });
    expect(discovery.itemTypes.map((type) => [type.name, type.items])).toEqual([
      ['', 1],
      ['USER', 2],
    ]);
  });
});
