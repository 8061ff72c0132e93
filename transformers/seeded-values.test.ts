import { describe, expect, it } from 'vitest';
import type { AttributeType } from '../model/item.ts';
import { TransformTypeError, TransformValueError } from './errors.ts';
import { transformerContext } from './registry.ts';
import { transformerScope } from './seed-scope.ts';
import { SeededFaker } from './seeded-faker.ts';
import { MAX_ATTEMPTS, mappedValueFunction, randomBigInt, randomBigIntExcept, seededValueFunction, valueKey, type SeededValuesOptions } from './seeded-values.ts';

const ALL: readonly AttributeType[] = ['S', 'N', 'B', 'SS', 'NS', 'BS'];

/** The context the registry would give a definition of that name and types. */
const context = (name: string, accepts: readonly AttributeType[] = ALL, options: Record<string, unknown> = {}, salt = 's') => transformerContext({ name, accepts }, options, { salt });

interface PoolSettings extends Partial<SeededValuesOptions> {
  accepts?: readonly AttributeType[];
  salt?: string;
}

/** Picks from a tiny pool, so that collisions with the input and between elements are certain. */
const fromPool = (pool: string[], { accepts = ALL, salt = 'salt', ...extra }: PoolSettings = {}) =>
  seededValueFunction(context('pool', accepts, { pool }, salt), { derive: (faker) => faker.helpers.arrayElement(pool), ...extra });

describe('seededValueFunction', () => {
  it('keeps the type of scalars and sets', () => {
    const fn = fromPool(['1', '2']);
    expect(fn({ S: '1' }, ['x'])).toEqual({ S: '2' });
    expect(fn({ N: '1' }, ['x'])).toEqual({ N: '2' });
    expect(fn({ SS: ['1', '2'] }, ['x'])).toEqual({ SS: ['2', '1'] });
    expect(fn({ NS: ['1', '2'] }, ['x'])).toEqual({ NS: ['2', '1'] });
  });

  it('hands B elements to derive as base64 and turns the output back into bytes', () => {
    const seen: string[] = [];
    const fn = seededValueFunction(context('bytes', ['B', 'BS']), {
      derive(_faker, input, type) {
        seen.push(`${type}:${input}`);
        return Buffer.from(Buffer.from(input, 'base64').reverse()).toString('base64');
      },
    });
    expect(fn({ B: new Uint8Array([1, 2, 3]) }, ['x'])).toEqual({ B: new Uint8Array([3, 2, 1]) });
    expect(fn({ BS: [new Uint8Array([1, 2]), new Uint8Array([5, 6])] }, ['x'])).toEqual({ BS: [new Uint8Array([2, 1]), new Uint8Array([6, 5])] });
    expect(seen[0]).toBe('B:AQID');
  });

  it('leaves an empty S or B empty without deriving', () => {
    const fn = fromPool(['a', 'b']);
    expect(fn({ S: '' }, ['x'])).toEqual({ S: '' });
    expect(fn({ B: new Uint8Array() }, ['x'])).toEqual({ B: new Uint8Array() });
  });

  it('never returns the input unchanged, unless the transformer allows it', () => {
    const fn = fromPool(['a', 'b']);
    for (let i = 0; i < 20; i++) expect(fn({ S: 'a' }, ['x'])).toEqual({ S: 'b' });
    expect(fromPool(['a'], { allowUnchanged: true })({ S: 'a' }, ['x'])).toEqual({ S: 'a' });
  });

  it('compares numbers by value: 8.30 is its input 8.3 unchanged', () => {
    const fn = fromPool(['8.30', '9']);
    expect(fn({ N: '8.3' }, ['x'])).toEqual({ N: '9' });
    const set = fn({ NS: ['8.3', '9.0'] }, ['x']) as { NS: string[] };
    expect(set.NS.map((n) => valueKey('N', n)).sort()).toEqual(['8.3', '9']);
  });

  it('re-derives set duplicates so the set keeps its size, and resolves them whatever the element order', () => {
    const fn = fromPool(['a', 'b', 'c', 'd', 'e']);
    for (let salt = 0; salt < 20; salt++) {
      const out = fromPool(['a', 'b', 'c', 'd'], { salt: String(salt) })({ SS: ['a', 'b', 'c'] }, ['x']) as { SS: string[] };
      expect(new Set(out.SS).size).toBe(3);
      out.SS.forEach((element, i) => expect(element).not.toBe(['a', 'b', 'c'][i]));
    }
    const one = fn({ SS: ['a', 'b', 'c'] }, ['x']) as { SS: string[] };
    const two = fn({ SS: ['c', 'a', 'b'] }, ['x']) as { SS: string[] };
    expect(two.SS).toEqual([one.SS[2], one.SS[0], one.SS[1]]);
  });

  it('merges set duplicates when the transformer asks for it', () => {
    const fn = fromPool(['z'], { setDuplicates: 'merge' });
    expect(fn({ SS: ['a', 'b', 'c'] }, ['x'])).toEqual({ SS: ['z'] });
  });

  it('passes the keys already taken in a set to derive', () => {
    const takenSeen: string[][] = [];
    const fn = seededValueFunction(context('upper', ['SS']), {
      derive(_faker, input, _type, _attempt, taken) {
        takenSeen.push([...taken]);
        return input.toUpperCase();
      },
    });
    expect(fn({ SS: ['b', 'a'] }, ['x'])).toEqual({ SS: ['B', 'A'] });
    expect(takenSeen).toEqual([[], ['A']]);
  });

  it('gives up after MAX_ATTEMPTS with a message that names the path but not the value', () => {
    const fn = fromPool(['SECRET-VALUE']);
    expect(() => fn({ S: 'SECRET-VALUE' }, ['profile', 'nick'])).toThrow(
      `profile.nick: transformer "pool" found no value distinct from the input after ${MAX_ATTEMPTS} attempts`,
    );
    expect(() => fromPool(['1', '2'])({ NS: ['1', '2', '3'] }, ['profile', 'nick'])).toThrow(
      `profile.nick: transformer "pool" found no value distinct from its input element and the other values of its set after ${MAX_ATTEMPTS} attempts`,
    );
  });

  it('calls its outputs fakes in that message when the transformer says so', () => {
    const fn = fromPool(['SECRET-VALUE'], { outputNoun: 'fake', accepts: ['S', 'SS'] });
    expect(() => fn({ S: 'SECRET-VALUE' }, ['profile', 'nick'])).toThrow(
      `profile.nick: transformer "pool" found no fake distinct from the input after ${MAX_ATTEMPTS} attempts`,
    );
    expect(() => fn({ SS: ['SECRET-VALUE'] }, ['profile', 'nick'])).toThrow(
      `profile.nick: transformer "pool" found no fake distinct from its input element and the other fakes of its set after ${MAX_ATTEMPTS} attempts`,
    );
  });

  it('leaves an empty element of a set empty, and derives the others', () => {
    expect(fromPool(['a', 'b'])({ SS: ['', 'a'] }, ['x'])).toEqual({ SS: ['', 'b'] });
  });

  it('throws a TransformValueError, without the value, when derive cannot read the input', () => {
    const fn = seededValueFunction(context('date', ['S']), { expects: 'a date', derive: () => undefined });
    expect(() => fn({ S: 'SECRET' }, ['info', 0])).toThrow(TransformValueError);
    expect(() => fn({ S: 'SECRET' }, ['info', 0])).toThrow('info[0]: transformer "date" cannot read this S value as a date');
    try {
      fn({ S: 'SECRET' }, ['info', 0]);
    } catch (error) {
      expect(String(error)).not.toContain('SECRET');
      expect(error).toMatchObject({ path: 'info[0]', transformer: 'date' });
    }
  });

  it('throws a TransformTypeError for types the transformer does not take', () => {
    const fn = fromPool(['a'], { accepts: ['S', 'SS'] });
    expect(() => fn({ N: '42' }, ['info', 'rating'])).toThrow(TransformTypeError);
    expect(() => fn({ N: '42' }, ['info', 'rating'])).toThrow('info.rating: transformer "pool" accepts S, SS; got N');
    expect(() => fromPool(['a'], { accepts: ['S', 'BOOL'] })({ BOOL: true }, ['b'])).toThrow('b: transformer "pool" accepts S; got BOOL');
  });

  it('refuses a definition that accepts any type: it cannot tell what to take', () => {
    expect(() => seededValueFunction(transformerContext({ name: 'loose', accepts: 'any' }, {}, { salt: 's' }), { derive: () => 'x' })).toThrow(
      `transformer "loose" works element by element, so it must list the types it accepts rather than 'any'`,
    );
  });

  it('seeds from (salt, scope, attempt, input) as SeededFaker does', () => {
    const derive = (faker: { string: { alphanumeric(n: number): string } }) => faker.string.alphanumeric(12);
    const fn = seededValueFunction(context('x', ['S'], { a: 1 }), { derive });
    const expected = new SeededFaker('s', transformerScope('x', { a: 1 })).reseed('input', 0).string.alphanumeric(12);
    expect(fn({ S: 'input' }, ['p'])).toEqual({ S: expected });
  });
});

describe('mappedValueFunction', () => {
  const upper = mappedValueFunction(context('upper', ['S', 'SS', 'B']), { output: 'S', map: (input) => input.toUpperCase() });

  it('maps scalars and sets, into S and SS when asked', () => {
    expect(upper({ S: 'ab' }, ['x'])).toEqual({ S: 'AB' });
    expect(upper({ B: new Uint8Array([0xff]) }, ['x'])).toEqual({ S: '/W==' });
    expect(upper({ SS: ['a', 'b'] }, ['x'])).toEqual({ SS: ['A', 'B'] });
  });

  it('merges set elements that map alike', () => {
    expect(upper({ SS: ['a', 'A', 'b'] }, ['x'])).toEqual({ SS: ['A', 'B'] });
  });

  it('leaves empty values empty and rejects other types', () => {
    expect(upper({ S: '' }, ['x'])).toEqual({ S: '' });
    expect(upper({ B: new Uint8Array() }, ['x'])).toEqual({ S: '' });
    expect(() => upper({ N: '1' }, ['x'])).toThrow(TransformTypeError);
  });
});

describe('randomBigInt', () => {
  const faker = new SeededFaker('s', 'bigint').reseed('x');

  it('draws every value of a small range, and only those', () => {
    const seen = new Set(Array.from({ length: 500 }, () => randomBigInt(faker, -3n, 3n)));
    expect([...seen].sort((a, b) => Number(a - b))).toEqual([-3n, -2n, -1n, 0n, 1n, 2n, 3n]);
  });

  it('covers ranges far beyond 2^53', () => {
    const lo = 10n ** 37n;
    const hi = 2n * 10n ** 37n;
    const draws = Array.from({ length: 200 }, () => randomBigInt(faker, lo, hi));
    for (const draw of draws) expect(draw >= lo && draw <= hi).toBe(true);
    expect(new Set(draws).size).toBe(200);
    // Both halves get draws: the top words are random too.
    expect(draws.some((draw) => draw < (lo + hi) / 2n) && draws.some((draw) => draw > (lo + hi) / 2n)).toBe(true);
  });

  it('skips the excluded value unless it is the only one', () => {
    const seen = new Set(Array.from({ length: 300 }, () => randomBigIntExcept(faker, 0n, 3n, 2n)));
    expect([...seen].sort()).toEqual([0n, 1n, 3n]);
    expect(randomBigIntExcept(faker, 5n, 5n, 5n)).toBe(5n);
    expect(randomBigIntExcept(faker, 0n, 1n, 9n) <= 1n).toBe(true);
  });
});
