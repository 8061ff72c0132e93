import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, SeededFaker, fakeStringValueFunction, transformerScope } from './seeded-faker.ts';
import { TransformTypeError } from './errors.ts';

const scope = transformerScope('fullName', {});

describe('SeededFaker', () => {
  it('gives the same output for the same (salt, scope, input) across separately made instances', () => {
    const one = new SeededFaker('salt-1', scope);
    const two = new SeededFaker('salt-1', scope);
    const inputs = ['Ada Lovelace', 'Alan Turing', '', 'ünïcødé ✓'];
    const first = inputs.map((input) => one.reseed(input).person.fullName());
    // Interleave other draws on the second instance: no state leaks between values.
    two.reseed('something else').person.fullName();
    const second = inputs.map((input) => two.reseed(input).person.fullName());
    expect(second).toEqual(first);
  });

  it('gives different outputs for different salts, scopes, inputs and attempts', () => {
    const draw = (salt: string, s: string, input: string, attempt = 0) =>
      Array.from({ length: 4 }, () => new SeededFaker(salt, s).reseed(input, attempt).string.alphanumeric(24));
    const base = draw('salt-1', scope, 'Ada Lovelace');
    expect(draw('salt-2', scope, 'Ada Lovelace')).not.toEqual(base);
    expect(draw('salt-1', transformerScope('firstName', {}), 'Ada Lovelace')).not.toEqual(base);
    expect(draw('salt-1', scope, 'Ada Lovelace.')).not.toEqual(base);
    expect(draw('salt-1', scope, 'Ada Lovelace', 1)).not.toEqual(base);
  });

  it('draws uniformly enough from [0, 1)', () => {
    const faker = new SeededFaker('salt', scope).reseed('x');
    const draws = Array.from({ length: 20_000 }, () => faker.number.float());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('transformerScope', () => {
  it('does not depend on option key order', () => {
    expect(transformerScope('email', { a: 1, b: { d: 2, c: 3 } })).toBe(transformerScope('email', { b: { c: 3, d: 2 }, a: 1 }));
    expect(transformerScope('email', { a: 1 })).not.toBe(transformerScope('email', { a: 2 }));
  });
});

describe('fakeStringValueFunction', () => {
  /** A fake drawn from a tiny pool, so collisions with the input and between elements are certain. */
  const fromPool = (pool: string[], salt = 'salt') =>
    fakeStringValueFunction({ name: 'pool', options: { pool }, context: { salt }, fake: (faker) => faker.helpers.arrayElement(pool) });

  it('never returns the input unchanged', () => {
    const fn = fromPool(['a', 'b']);
    for (let i = 0; i < 20; i++) {
      expect(fn({ S: 'a' }, ['x'])).toEqual({ S: 'b' });
      expect(fn({ S: 'b' }, ['x'])).toEqual({ S: 'a' });
    }
  });

  it('replaces every element of a set, each differently from its input, without duplicates', () => {
    const pool = ['a', 'b', 'c', 'd'];
    const fn = fromPool(pool);
    for (let salt = 0; salt < 20; salt++) {
      const out = fromPool(pool, String(salt))({ SS: ['a', 'b', 'c'] }, ['x']) as { SS: string[] };
      expect(new Set(out.SS).size).toBe(3);
      out.SS.forEach((element, i) => expect(element).not.toBe(['a', 'b', 'c'][i]));
    }
    expect(fn({ SS: ['c', 'a', 'b'] }, ['x'])).toEqual(fn({ SS: ['c', 'a', 'b'] }, ['x']));
  });

  it('gives a set the same fakes whatever order its elements come in', () => {
    const fn = fromPool(['a', 'b', 'c', 'd', 'e']);
    const one = fn({ SS: ['a', 'b', 'c'] }, ['x']) as { SS: string[] };
    const two = fn({ SS: ['c', 'a', 'b'] }, ['x']) as { SS: string[] };
    expect(two.SS).toEqual([one.SS[2], one.SS[0], one.SS[1]]);
  });

  it('gives up after MAX_ATTEMPTS with a message that names the path but not the value', () => {
    const fn = fromPool(['SECRET-VALUE']);
    expect(() => fn({ S: 'SECRET-VALUE' }, ['profile', 'nick'])).toThrow(
      `profile.nick: transformer "pool" found no fake distinct from the input after ${MAX_ATTEMPTS} attempts`,
    );
    expect(() => fn({ SS: ['SECRET-VALUE'] }, ['profile', 'nick'])).toThrow(
      `profile.nick: transformer "pool" found no fake distinct from its input element and the other fakes of its set after ${MAX_ATTEMPTS} attempts`,
    );
  });

  it('leaves an empty S, or an empty element of an SS, empty', () => {
    const fn = fromPool(['a', 'b']);
    expect(fn({ S: '' }, ['x'])).toEqual({ S: '' });
    const out = fn({ SS: ['', 'a'] }, ['x']) as { SS: string[] };
    expect(out.SS).toEqual(['', 'b']);
  });

  it('throws a TransformTypeError for other types', () => {
    const fn = fromPool(['a', 'b']);
    expect(() => fn({ N: '42' }, ['info', 'rating'])).toThrow(TransformTypeError);
    expect(() => fn({ N: '42' }, ['info', 'rating'])).toThrow('info.rating: transformer "pool" accepts S, SS; got N');
  });
});
