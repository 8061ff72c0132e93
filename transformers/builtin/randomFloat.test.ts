import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { numberKey } from '../../model/decimal.ts';
import { TransformTypeError, TransformValueError } from '../errors.ts';
import { createRegistry } from '../registry.ts';
import { randomFloat } from './randomFloat.ts';

const registry = createRegistry([randomFloat]);
const make = (options: Record<string, unknown>, salt = 'salt-1') => registry.instantiate({ type: 'randomFloat', options }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['price']) as { S: string }).S;
const n = (fn: ReturnType<typeof make>, input: string) => (fn({ N: input }, ['price']) as { N: string }).N;

describe('randomFloat', () => {
  it('takes N, S and their sets, keeps the type, and throws a TransformTypeError for others', () => {
    expect(randomFloat.accepts).toEqual(['N', 'NS', 'S', 'SS']);
    expect(randomFloat.produces).toBe('same');
    const fn = make({ percent: 10 });
    expect(fn({ N: '5.5' }, ['a'])).toHaveProperty('N');
    expect(fn({ S: '5.5' }, ['a'])).toHaveProperty('S');
    expect(fn({ NS: ['5.5', '6.5'] }, ['a'])).toHaveProperty('NS');
    expect(() => fn({ B: new Uint8Array([1]) }, ['a'])).toThrow(TransformTypeError);
    expect(() => fn({ S: 'about 5' }, ['a'])).toThrow(TransformValueError);
  });

  it('keeps the places the input shows by default: 8.30 gives two', () => {
    const fn = make({ percent: 10 });
    for (let i = 0; i < 100; i++) {
      const out = s(make({ percent: 10 }, `salt-${i}`), '8.30');
      expect(out).toMatch(/^\d\.\d\d$/);
      expect(Number(out)).toBeGreaterThanOrEqual(7.47);
      expect(Number(out)).toBeLessThanOrEqual(9.13);
      expect(out).not.toBe('8.30');
    }
    expect(s(fn, '100')).toMatch(/^\d+$/);
    expect(s(fn, '-0.0050')).toMatch(/^-0\.00\d\d$/);
  });

  it('writes the places asked for, as plain text without an exponent', () => {
    const out = n(make({ min: 0, max: 1e-7, precision: 9 }), '5');
    expect(out).toMatch(/^0\.000000\d{3}$/);
    expect(Number(out)).toBeLessThanOrEqual(1e-7);
    expect(n(make({ min: 1e20, max: 1e21, precision: 1 }), '5')).toMatch(/^\d{21,22}\.\d$/);
    expect(n(make({ min: 1, max: 2, precision: 0 }), '1.5')).toMatch(/^[12]$/);
  });

  it('stays exact for 38-digit numbers, and within 38 significant digits', () => {
    const input = '12345678901234567890123456789012345678';
    const out = n(make({ percent: 10 }), input);
    expect(out).toMatch(/^\d{38}$/);
    const delta = BigInt(out) - BigInt(input);
    expect(delta !== 0n && (delta < 0n ? -delta : delta) * 10n <= BigInt(input)).toBe(true);
    // Two more places would make 40 significant digits, which DynamoDB refuses: rounded to 38.
    const withPlaces = n(make({ percent: 10, precision: 2 }), input);
    expect(withPlaces).toMatch(/^\d{38}\.00$/);
    const small = n(make({ percent: 1 }), '1.2345678901234567890123456789012345678');
    expect(small).toMatch(/^1\.\d{37}$/);
  });

  it('never returns realistic inputs unchanged, as long as the range holds another value', () => {
    faker.seed(11);
    const inputs = Array.from({ length: 200 }, () => faker.commerce.price({ min: 0.5, max: 5000 }));
    const byPercent = make({ percent: 5 });
    const byRange = make({ min: 0, max: 5000 });
    for (const input of inputs) {
      const out = s(byPercent, input);
      expect(numberKey(out)).not.toBe(numberKey(input));
      expect(out.split('.')[1]?.length).toBe(input.split('.')[1]?.length);
      expect(numberKey(s(byRange, input))).not.toBe(numberKey(input));
    }
    // 0 ± 10% holds 0 alone.
    expect(n(make({ percent: 10 }), '0.00')).toBe('0.00');
    // No value with one place within 8.35 ± 0.1%: the nearest ones around it.
    expect(['8.3', '8.4']).toContain(n(make({ percent: 0.1, precision: 1 }), '8.35'));
  });

  it('is deterministic per salt and options, and differs across salts', () => {
    const inputs = Array.from({ length: 50 }, (_, i) => `${100 + i}.25`);
    const run = (salt: string, options: Record<string, unknown> = { percent: 20 }) => {
      const fn = make(options, salt);
      return inputs.map((input) => n(fn, input));
    };
    expect(run('salt-1')).toEqual(run('salt-1'));
    expect(run('salt-2')).not.toEqual(run('salt-1'));
    expect(run('salt-1', { percent: 20, precision: 3 })).not.toEqual(run('salt-1'));
  });

  it('keeps a set the same size, without numerically equal elements', () => {
    // Inputs of different places give outputs of different places: 7.9 and 7.90 would be one number.
    const input = ['7.9', '7.91', '7.92', '7.93', '8.0', '8.1'];
    for (let salt = 0; salt < 30; salt++) {
      const out = (make({ min: 7.8, max: 8.2 }, String(salt))({ NS: input }, ['a']) as { NS: string[] }).NS;
      expect(out).toHaveLength(input.length);
      expect(new Set(out.map(numberKey)).size).toBe(input.length);
    }
  });

  it('keeps an empty S empty', () => {
    expect(make({ percent: 10 })({ S: '' }, ['a'])).toEqual({ S: '' });
  });

  it('takes either min and max or percent, and a precision of 0 to 38', () => {
    const bad = (options: Record<string, unknown>) => () => randomFloat.options.parse(options);
    expect(bad({})).toThrow('give `min` and `max`');
    expect(bad({ min: 0, max: 1, percent: 5 })).toThrow('not both');
    expect(bad({ min: 0.5, max: 0.25 })).toThrow('`min` must not be greater than `max`');
    expect(bad({ percent: 5, precision: -1 })).toThrow();
    expect(bad({ percent: 5, precision: 39 })).toThrow();
    expect(bad({ percent: 5, precision: 1.5 })).toThrow();
    expect(bad({ percent: 5, places: 2 })).toThrow();
  });
});
