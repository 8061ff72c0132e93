import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, NumberValueImpl, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  ATTRIBUTE_TYPES,
  attributeType,
  flattenItem,
  type AttributeType,
  type FlatEntry,
  type Item,
} from '../../model/item.ts';
import { formatPath, parsePathPattern, patternMatches } from '../../model/path.ts';
import { passthrough } from '../../transformers/builtin/passthrough.ts';
import { buildPlan } from '../../transformers/plan.ts';
import { createRegistry } from '../../transformers/registry.ts';
import { mulberry32 } from '../support/prng.ts';

// ---------------------------------------------------------------------------
// helpers


/** Adds an own enumerable property even when the key is `__proto__`. */
function own<T extends object>(target: T, key: string, value: AttributeValue): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/**
 * A structural form for comparing items: own keys (sorted) as pairs, bytes as
 * arrays. vitest's own equality consults `.constructor` and cannot see an own
 * `__proto__` key reliably, and attribute names like `constructor` or
 * `__proto__` are exactly what some tests use.
 */
function canon(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: Array.from(value) };
  if (Array.isArray(value)) return value.map(canon);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    return {
      proto: proto === Object.prototype ? 'Object' : String(proto?.constructor?.name),
      entries: Object.keys(value)
        .sort()
        .map((k) => [k, canon(Object.getOwnPropertyDescriptor(value, k)!.value)]),
    };
  }
  return value;
}

function expectSameItem(actual: unknown, expected: unknown): void {
  expect(canon(actual)).toStrictEqual(canon(expected));
}

/**
 * How an item nothing maps is copied: the plan's walk rebuilds it, and must
 * give back exactly what it read (numbers as written, sets as sets, empty
 * containers, awkward names).
 */
const copyPlan = buildPlan({ transformers: {}, defaults: {}, keyAttributes: ['pk'], salt: 'item-test' }, createRegistry([passthrough]));
function roundTrip(item: Item): Item {
  return copyPlan.transformItem(item);
}

const bytes = (...b: number[]) => new Uint8Array(b);

/** A container that still has children must never appear as a leaf. */
function expectOnlyLeaves(entries: FlatEntry[]): void {
  for (const { value } of entries) {
    if (value.M !== undefined) expect(Object.keys(value.M)).toHaveLength(0);
    if (value.L !== undefined) expect(value.L).toHaveLength(0);
  }
}

// ---------------------------------------------------------------------------
// fixtures

const NUMBERS = [
  '0',
  '-0',
  '8.30',
  '1.2345678901234567890123456789012345678',
  '-9.9999999999999999999999999999999999999E+125',
  '1E-130',
  '9007199254740993',
  '-9007199254740993',
  '99999999999999999999999999999999999999',
  '0.000000000000000000000000000000000000010',
];

const AWKWARD_NAMES = [
  'a.b',
  'a[0]',
  '[*]',
  '*',
  'say "hi"',
  '"',
  'back\\slash',
  'ends\\',
  'x]y',
  'x[y',
  'tab\there',
  'line\nbreak',
  ' ',
  'é',
  'naïve',
  '名前',
  '🎬',
  'Ünïcødé.🎬["x"]',
  '0',
  '12',
  '-1',
  '1e3',
  'constructor',
  'toString',
  'hasOwnProperty',
];

/** Every DynamoDB type, at the top level and nested. */
function everyTypeItem(): Item {
  return {
    pk: { S: 'USER#1' },
    sk: { N: '1' },
    s: { S: 'hello' },
    emptyString: { S: '' },
    n: { N: '42' },
    trailingZero: { N: '8.30' },
    digits38: { N: '1.2345678901234567890123456789012345678' },
    bigNegExp: { N: '-9.9999999999999999999999999999999999999E+125' },
    beyond2to53: { N: '9007199254740993' },
    b: { B: bytes(0, 1, 2, 253, 254, 255) },
    emptyBinary: { B: bytes() },
    t: { BOOL: true },
    f: { BOOL: false },
    nil: { NULL: true },
    m: { M: { inner: { S: 'x' }, deeper: { M: { n: { N: '-0.5' } } } } },
    l: { L: [{ S: 'a' }, { N: '1' }, { BOOL: false }, { NULL: true }] },
    ss: { SS: ['a', '', 'c'] },
    ns: { NS: ['1', '8.30', '9007199254740993', '-9.9999999999999999999999999999999999999E+125'] },
    bs: { BS: [bytes(1), bytes(2, 3), bytes()] },
    emptyMap: { M: {} },
    emptyList: { L: [] },
    nestedEmpties: { M: { m: { M: {} }, l: { L: [] }, ll: { L: [{ L: [] }, { M: {} }] } } },
    listOfMapsOfSets: {
      L: [
        { M: { ss: { SS: ['x', 'y'] }, ns: { NS: ['1.10', '2'] } } },
        { M: { bs: { BS: [bytes(9), bytes(8, 7)] }, l: { L: [{ M: { ss: { SS: ['deep'] } } }] } } },
        { L: [{ L: [{ NS: ['0'] }] }] },
      ],
    },
  };
}

function moviedataItem(): Item {
  return {
    year: { N: '2013' },
    title: { S: 'Rush' },
    info: { M: { actors: { L: [{ S: 'A' }, { S: 'B' }] }, rating: { N: '8.3' } } },
  };
}

// ---------------------------------------------------------------------------

describe('test helper: canon', () => {
  it('tells apart items that differ in a value, a key, a byte or an own __proto__ key', () => {
    const base = () => ({ a: { B: bytes(1, 2) }, b: { M: { c: { N: '1' } } } });
    expect(canon(base())).toStrictEqual(canon(base()));
    expect(canon(base())).not.toStrictEqual(canon({ ...base(), b: { M: { c: { N: '1.0' } } } }));
    expect(canon(base())).not.toStrictEqual(canon({ ...base(), a: { B: bytes(1, 3) } }));
    expect(canon(base())).not.toStrictEqual(canon({ a: base().a, bb: base().b }));
    expect(canon(base())).not.toStrictEqual(canon(own(base(), '__proto__', { S: 'x' })));
    expect(canon({ a: { L: [] } })).not.toStrictEqual(canon({ a: { M: {} } }));
  });
});

describe('attributeType', () => {
  it('names every DynamoDB type, including falsy members', () => {
    const samples: Record<AttributeType, AttributeValue> = {
      S: { S: '' },
      N: { N: '0' },
      B: { B: bytes() },
      BOOL: { BOOL: false },
      NULL: { NULL: true },
      M: { M: {} },
      L: { L: [] },
      SS: { SS: ['a'] },
      NS: { NS: ['1'] },
      BS: { BS: [bytes(1)] },
    };
    for (const type of ATTRIBUTE_TYPES) expect(attributeType(samples[type])).toBe(type);
    expect([...ATTRIBUTE_TYPES].sort()).toEqual(Object.keys(samples).sort());
  });

  it('rejects a value with no known member', () => {
    expect(() => attributeType({ $unknown: ['X', 1] } as unknown as AttributeValue)).toThrow(TypeError);
  });
});

describe('flattenItem', () => {
  it('lists the leaves of a moviedata item depth-first, in attribute order', () => {
    const entries = flattenItem(moviedataItem());
    expect(entries).toStrictEqual([
      { path: ['year'], value: { N: '2013' } },
      { path: ['title'], value: { S: 'Rush' } },
      { path: ['info', 'actors', 0], value: { S: 'A' } },
      { path: ['info', 'actors', 1], value: { S: 'B' } },
      { path: ['info', 'rating'], value: { N: '8.3' } },
    ]);
    expect(entries.map((e) => formatPath(e.path))).toEqual([
      'year',
      'title',
      'info.actors[0]',
      'info.actors[1]',
      'info.rating',
    ]);
  });

  it('keeps sets, empty containers and numbers as leaves, untouched', () => {
    const entries = flattenItem({
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['8.30'] },
      bs: { BS: [bytes(1)] },
      em: { M: {} },
      el: { L: [] },
      n: { N: '8.30' },
    });
    expect(entries).toStrictEqual([
      { path: ['ss'], value: { SS: ['a', 'b'] } },
      { path: ['ns'], value: { NS: ['8.30'] } },
      { path: ['bs'], value: { BS: [bytes(1)] } },
      { path: ['em'], value: { M: {} } },
      { path: ['el'], value: { L: [] } },
      { path: ['n'], value: { N: '8.30' } },
    ]);
  });

  it('uses string segments for map keys that look like numbers and number segments for list indexes', () => {
    const entries = flattenItem({
      m: { M: { '0': { S: 'zero' }, '10': { S: 'ten' } } },
      l: { L: [{ S: 'first' }] },
    });
    expect(entries.map((e) => e.path)).toStrictEqual([
      ['m', '0'],
      ['m', '10'],
      ['l', 0],
    ]);
  });

  it('never emits a non-empty container as a leaf, and does not mutate its input', () => {
    const item = everyTypeItem();
    const before = structuredClone(item);
    const entries = flattenItem(item);
    expectOnlyLeaves(entries);
    expect(item).toStrictEqual(before);
    // Every leaf type shows up.
    expect(new Set(entries.map((e) => attributeType(e.value)))).toEqual(new Set(ATTRIBUTE_TYPES));
  });
});

describe('round trip: an unmapped item through the plan', () => {
  it('restores an item that uses every DynamoDB type', () => {
    const item = everyTypeItem();
    const expected = structuredClone(item);
    const out = roundTrip(item);
    expect(out).toStrictEqual(expected);
    // Spot checks that cannot pass by accident.
    expect(out.trailingZero).toStrictEqual({ N: '8.30' });
    expect(out.digits38).toStrictEqual({ N: '1.2345678901234567890123456789012345678' });
    expect(out.bigNegExp).toStrictEqual({ N: '-9.9999999999999999999999999999999999999E+125' });
    expect(out.beyond2to53).toStrictEqual({ N: '9007199254740993' });
    expect(out.emptyString).toStrictEqual({ S: '' });
    expect(out.emptyMap).toStrictEqual({ M: {} });
    expect(out.emptyList).toStrictEqual({ L: [] });
    expect(out.b?.B).toBeInstanceOf(Uint8Array);
    expect(out.bs?.BS?.[1]).toBeInstanceOf(Uint8Array);
    expect(out.f).toStrictEqual({ BOOL: false });
  });

  it.each(NUMBERS)('keeps the number %s exactly as written', (n) => {
    const item: Item = { top: { N: n }, nested: { M: { l: { L: [{ N: n }] } } }, set: { NS: [n] } };
    const out = roundTrip(item);
    expect(out.top?.N).toBe(n);
    expect(out.nested?.M?.l?.L?.[0]?.N).toBe(n);
    expect(out.set?.NS).toStrictEqual([n]);
  });

  it('keeps binary contents byte for byte', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const item: Item = { b: { B: all }, bs: { BS: [all.slice(0, 3), all.slice(200)] }, l: { L: [{ B: bytes(0) }] } };
    const out = roundTrip(item);
    expect(Array.from(out.b!.B!)).toStrictEqual(Array.from(all));
    expect(out.bs!.BS!.map((b) => Array.from(b))).toStrictEqual([[0, 1, 2], Array.from(all.slice(200))]);
    expect(out.l).toStrictEqual({ L: [{ B: bytes(0) }] });
  });

  it('keeps nested lists of maps of sets', () => {
    const item: Item = {
      l: {
        L: [
          { M: { tags: { SS: ['x', 'y'] }, scores: { NS: ['1', '2.50'] } } },
          { L: [{ M: { blobs: { BS: [bytes(1), bytes(2)] } } }, { M: {} }, { L: [] }] },
        ],
      },
    };
    const expected = structuredClone(item);
    expect(roundTrip(item)).toStrictEqual(expected);
    expect(flattenItem(item).map((e) => e.path)).toStrictEqual([
      ['l', 0, 'tags'],
      ['l', 0, 'scores'],
      ['l', 1, 0, 'blobs'],
      ['l', 1, 1],
      ['l', 1, 2],
    ]);
  });

  it('keeps attribute names and map keys with dots, brackets, quotes, unicode and number-like keys', () => {
    const item: Item = {};
    const inner: Record<string, AttributeValue> = {};
    AWKWARD_NAMES.forEach((name, i) => {
      item[name] = { S: `top ${i}` };
      inner[name] = { M: { [name]: { N: String(i) } } };
    });
    item['m'] = { M: inner };
    const expected = structuredClone(item);
    const out = roundTrip(item);
    expectSameItem(out, expected);
    // "0" is a map key, not a list index: it must come back inside an M.
    expect(out.m?.M?.['0']).toStrictEqual({ M: { '0': { N: String(AWKWARD_NAMES.indexOf('0')) } } });
    expect(out.m?.L).toBeUndefined();
  });

  it('keeps a map whose only keys look like list indexes as a map', () => {
    const item: Item = { m: { M: { '0': { S: 'a' }, '1': { S: 'b' } } } };
    expect(roundTrip(item)).toStrictEqual({ m: { M: { '0': { S: 'a' }, '1': { S: 'b' } } } });
  });

  it('keeps an attribute named __proto__ as an own attribute, at the top level and in maps', () => {
    const item: Item = {};
    own(item, '__proto__', { S: 'top' });
    item['m'] = { M: own({}, '__proto__', { M: own({}, '__proto__', { N: '1' }) }) };
    const out = roundTrip(item);
    expect(Object.keys(out)).toEqual(['__proto__', 'm']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toStrictEqual({ S: 'top' });
    const m = out.m!.M!;
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.keys(m)).toEqual(['__proto__']);
    const inner = Object.getOwnPropertyDescriptor(m, '__proto__')?.value as AttributeValue;
    expect(Object.keys(inner.M!)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(inner.M, '__proto__')?.value).toStrictEqual({ N: '1' });
  });

  it('round-trips an empty item', () => {
    expect(flattenItem({})).toStrictEqual([]);
    expect(roundTrip({})).toStrictEqual({});
  });
});

describe('cross-check with @aws-sdk/util-dynamodb', () => {
  it('unmarshall(roundTrip(marshall(x))) equals x', () => {
    const x = {
      id: 'user-1',
      count: 3,
      ratio: -0.25,
      active: true,
      deleted: false,
      nothing: null,
      empty: '',
      'a.b': { '[0]': 'bracket', '"q"': 'quote', '名前': 'unicode', '0': 'zero' },
      list: [1, 'two', [3, { four: 4 }], {}, []],
      tags: new Set(['x', 'y']),
      scores: new Set([1, 2.5]),
      blob: bytes(1, 2, 3),
      blobs: new Set([bytes(4), bytes(5, 6)]),
      nested: { deeper: { deepest: [{ sets: new Set(['z']) }] } },
    };
    const expected = structuredClone(x);
    expect(unmarshall(roundTrip(marshall(x)))).toStrictEqual(expected);
  });

  it('preserves numbers beyond double precision through marshall/unmarshall with wrapNumbers', () => {
    const x = {
      big: new NumberValueImpl('9007199254740993'),
      precise: new NumberValueImpl('1.2345678901234567890123456789012345678'),
      trailing: new NumberValueImpl('8.30'),
      list: [new NumberValueImpl('-9.9999999999999999999999999999999999999E+125')],
    };
    const back = unmarshall(roundTrip(marshall(x)), { wrapNumbers: true });
    expect(back.big.toString()).toBe('9007199254740993');
    expect(back.precise.toString()).toBe('1.2345678901234567890123456789012345678');
    expect(back.trailing.toString()).toBe('8.30');
    expect(back.list[0].toString()).toBe('-9.9999999999999999999999999999999999999E+125');
  });
});

// ---------------------------------------------------------------------------
// property-style test

const KEY_POOL = [...AWKWARD_NAMES, 'a', 'b', 'info', 'name', '', '__proto__'];
const STRING_POOL = ['', 'x', 'hello world', '名前', '🎬🎬', 'quote"d', 'back\\', 'a.b[0]', '\u0000', 'line\n'];

function randomNumber(rnd: () => number): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  const sign = rnd() < 0.3 ? '-' : '';
  switch (Math.floor(rnd() * 5)) {
    case 0:
      return sign + String(Math.floor(rnd() * 1000));
    case 1:
      return `${sign}${1 + Math.floor(rnd() * 9)}${digits(Math.floor(rnd() * 37))}`; // up to 38 digits
    case 2:
      return `${sign}${Math.floor(rnd() * 100)}.${digits(1 + Math.floor(rnd() * 4))}0`; // trailing zero
    case 3:
      return `${sign}${1 + Math.floor(rnd() * 9)}.${digits(37)}E${rnd() < 0.5 ? '+' : '-'}${Math.floor(rnd() * 126)}`;
    default:
      return NUMBERS[Math.floor(rnd() * NUMBERS.length)]!;
  }
}

function randomBytes(rnd: () => number): Uint8Array {
  return new Uint8Array(Math.floor(rnd() * 6)).map(() => Math.floor(rnd() * 256));
}

function pick<T>(rnd: () => number, pool: readonly T[]): T {
  return pool[Math.floor(rnd() * pool.length)]!;
}

function distinct<T>(rnd: () => number, make: () => T, key: (t: T) => string): T[] {
  const out = new Map<string, T>();
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const v = make();
    out.set(key(v), v);
  }
  return [...out.values()];
}

function randomValue(rnd: () => number, depth: number): AttributeValue {
  const types: AttributeType[] = depth >= 5 ? ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS'] : [...ATTRIBUTE_TYPES, 'M', 'L'];
  switch (pick(rnd, types)) {
    case 'S':
      return { S: rnd() < 0.5 ? pick(rnd, STRING_POOL) : pick(rnd, KEY_POOL) };
    case 'N':
      return { N: randomNumber(rnd) };
    case 'B':
      return { B: randomBytes(rnd) };
    case 'BOOL':
      return { BOOL: rnd() < 0.5 };
    case 'NULL':
      return { NULL: true };
    case 'SS':
      return { SS: distinct(rnd, () => pick(rnd, STRING_POOL), (s) => s) };
    case 'NS':
      return { NS: distinct(rnd, () => randomNumber(rnd), (s) => s) };
    case 'BS':
      return { BS: distinct(rnd, () => randomBytes(rnd), (b) => b.join(',')) };
    case 'M': {
      const M: Record<string, AttributeValue> = {};
      const n = Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) own(M, pick(rnd, KEY_POOL), randomValue(rnd, depth + 1));
      return { M };
    }
    case 'L':
      return { L: Array.from({ length: Math.floor(rnd() * 5) }, () => randomValue(rnd, depth + 1)) };
  }
}

function randomItem(rnd: () => number): Item {
  const item: Item = {};
  const n = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    const name = pick(rnd, KEY_POOL.filter((k) => k !== ''));
    own(item, name, randomValue(rnd, 1));
  }
  return item;
}

describe('property: random nested items', () => {
  const SEED = 0x5eed_2013;
  const COUNT = 500;

  it(`round-trips ${COUNT} random items (seed ${SEED})`, () => {
    const rnd = mulberry32(SEED);
    const seen = new Set<AttributeType>();
    let leaves = 0;
    for (let i = 0; i < COUNT; i++) {
      const item = randomItem(rnd);
      const expected = structuredClone(item);
      const entries = flattenItem(item);
      expectOnlyLeaves(entries);
      for (const e of entries) seen.add(attributeType(e.value));
      leaves += entries.length;
      const out = roundTrip(item);
      try {
        expectSameItem(out, expected);
        expect(Object.keys(out)).toStrictEqual(Object.keys(expected));
      } catch (err) {
        throw new Error(`random item #${i} (seed ${SEED}) failed: ${(err as Error).message}`);
      }
    }
    // Guard against a generator that degenerated into trivial items.
    expect(seen).toEqual(new Set(ATTRIBUTE_TYPES));
    expect(leaves).toBeGreaterThan(COUNT * 3);
  });

  it('every flattened path survives formatPath -> parsePathPattern and matches only itself', () => {
    const rnd = mulberry32(SEED + 1);
    for (let i = 0; i < 100; i++) {
      const entries = flattenItem(randomItem(rnd));
      for (const [j, { path }] of entries.entries()) {
        const pattern = parsePathPattern(formatPath(path));
        expect(patternMatches(pattern, path)).toBe(true);
        // Paths are distinct, so no other leaf of the same item may match.
        for (const [k, other] of entries.entries()) if (k !== j) expect(patternMatches(pattern, other.path)).toBe(false);
      }
    }
  });
});
