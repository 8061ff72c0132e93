import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../model/decimal.ts';
import { TransformTypeError, TransformValueError } from '../errors.ts';
import { createRegistry } from '../registry.ts';
import { randomInt } from './randomInt.ts';

const registry = createRegistry([randomInt]);
const make = (options: Record<string, unknown>, salt = 'salt-1') => registry.instantiate({ type: 'randomInt', options }, { salt });
const n = (fn: ReturnType<typeof make>, input: string) => (fn({ N: input }, ['qty']) as { N: string }).N;

describe('randomInt', () => {
  it('takes N, S and their sets, keeps the type, and throws a TransformTypeError for others', () => {
    expect(randomInt.accepts).toEqual(['N', 'NS', 'S', 'SS']);
    expect(randomInt.produces).toBe('same');
    const fn = make({ min: 1, max: 100 });
    expect(fn({ N: '5' }, ['a'])).toHaveProperty('N');
    expect(fn({ S: '5' }, ['a'])).toHaveProperty('S');
    expect(fn({ NS: ['5', '6'] }, ['a'])).toHaveProperty('NS');
    expect(fn({ SS: ['5', '6'] }, ['a'])).toHaveProperty('SS');
    expect(() => fn({ BOOL: true }, ['stock', 0])).toThrow(TransformTypeError);
    expect(() => fn({ BOOL: true }, ['stock', 0])).toThrow('stock[0]: transformer "randomInt" accepts N, NS, S, SS; got BOOL');
  });

  it('throws a TransformValueError naming the path, not the value, for an S that is not a number', () => {
    const fn = make({ percent: 10 });
    expect(() => fn({ S: 'ten apples' }, ['qty'])).toThrow(TransformValueError);
    expect(() => fn({ S: 'ten apples' }, ['qty'])).toThrow('qty: transformer "randomInt" cannot read this S value as a number');
  });

  it('draws integers within an absolute range, inclusive, reaching both ends', () => {
    const fn = make({ min: -2, max: 2 });
    const outs = Array.from({ length: 300 }, (_, i) => Number(n(fn, String(1000 + i))));
    expect(new Set(outs)).toEqual(new Set([-2, -1, 0, 1, 2]));
  });

  it('draws integers within ± percent of the input', () => {
    const fn = make({ percent: 10 });
    for (let i = 0; i < 200; i++) {
      const input = 1000 + i * 37;
      const out = Number(n(fn, String(input)));
      expect(Number.isInteger(out)).toBe(true);
      expect(Math.abs(out - input)).toBeLessThanOrEqual(input * 0.1);
      expect(out).not.toBe(input);
    }
    expect(Number(n(make({ percent: 10 }), '-500'))).toBeLessThan(-449);
  });

  it('stays exact for 38-digit integers', () => {
    const input = '12345678901234567890123456789012345678';
    const out = n(make({ percent: 10 }), input);
    expect(out).toMatch(/^\d{38}$/);
    const delta = BigInt(out) - BigInt(input);
    expect(delta !== 0n && (delta < 0n ? -delta : delta) * 10n <= BigInt(input)).toBe(true);
  });

  it('returns an integer for a decimal input', () => {
    expect(n(make({ percent: 20 }), '8.5')).toMatch(/^(7|8|9|10)$/);
  });

  it('never returns realistic inputs unchanged, as long as the range holds another integer', () => {
    faker.seed(7);
    const inputs = Array.from({ length: 200 }, () => String(faker.number.int({ min: 1, max: 1_000_000 })));
    const byPercent = make({ percent: 5 });
    const byRange = make({ min: 0, max: 1_000_000 });
    for (const input of inputs) {
      expect(n(byPercent, input)).not.toBe(input);
      expect(n(byRange, input)).not.toBe(input);
    }
    // The only integer in range: nothing else to give.
    expect(n(make({ percent: 10 }), '0')).toBe('0');
    expect(n(make({ min: 3, max: 3 }), '3')).toBe('3');
    // Exactly one other: always that one.
    expect(n(make({ min: 3, max: 4 }), '3')).toBe('4');
  });

  it('is deterministic per salt and options, and differs across salts', () => {
    const inputs = Array.from({ length: 50 }, (_, i) => String(10_000 + i));
    const run = (salt: string, options: Record<string, unknown> = { percent: 50 }) => {
      const fn = make(options, salt);
      return inputs.map((input) => n(fn, input));
    };
    expect(run('salt-1')).toEqual(run('salt-1'));
    expect(run('salt-2')).not.toEqual(run('salt-1'));
    expect(run('salt-1', { percent: 40 })).not.toEqual(run('salt-1'));
  });

  it('keeps a set the same size, without duplicates (numbers compared by value)', () => {
    const input = Array.from({ length: 40 }, (_, i) => String(100 + i));
    const out = (make({ min: 100, max: 160 })({ NS: input }, ['a']) as { NS: string[] }).NS;
    expect(out).toHaveLength(40);
    expect(new Set(out.map((x) => parseDecimal(x)!.units)).size).toBe(40);
    out.forEach((x, i) => expect(x).not.toBe(input[i]));
  });

  it('keeps an empty S empty', () => {
    expect(make({ percent: 10 })({ S: '' }, ['a'])).toEqual({ S: '' });
  });

  it('takes either min and max or percent, integers only', () => {
    const bad = (options: Record<string, unknown>) => () => randomInt.options.parse(options);
    expect(bad({})).toThrow('give `min` and `max` (an absolute range) or `percent` (a range around the input)');
    expect(bad({ min: 1 })).toThrow('give `min` and `max`');
    expect(bad({ min: 1, max: 2, percent: 5 })).toThrow('not both');
    expect(bad({ min: 3, max: 2 })).toThrow('`min` must not be greater than `max`');
    expect(bad({ min: 1.5, max: 2 })).toThrow();
    expect(bad({ percent: 0 })).toThrow();
    expect(bad({ percent: 5, precision: 2 })).toThrow();
    expect(randomInt.options.parse({ percent: 5 })).toEqual({ percent: 5 });
  });
});
