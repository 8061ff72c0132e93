import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { MAX_ATTEMPTS } from '../seeded-faker.ts';
import { fakeDecimalValueFunction, formatDecimal, hexCase, keepEmptyString, parseDecimal } from './_shared-places.ts';

describe('parseDecimal', () => {
  it('reads number text with the decimal places it shows', () => {
    expect(parseDecimal('45.10')).toEqual({ value: 45.1, decimals: 2 });
    expect(parseDecimal('-12')).toEqual({ value: -12, decimals: 0 });
    expect(parseDecimal('+.5')).toEqual({ value: 0.5, decimals: 1 });
    expect(parseDecimal('3.')).toEqual({ value: 3, decimals: 0 });
    expect(parseDecimal('1e-7')).toEqual({ value: 1e-7, decimals: 7 });
    expect(parseDecimal('1.25E1')).toEqual({ value: 12.5, decimals: 1 });
    expect(parseDecimal('1.5e3')).toEqual({ value: 1500, decimals: 0 });
  });

  it('reads nothing else', () => {
    for (const text of ['', ' 1', '1 ', '1,5', 'NaN', 'Infinity', '0x10', '1e999', '.', '-', '12°']) expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('formatDecimal', () => {
  it('writes plain decimal text with exactly the places asked for, never -0', () => {
    expect(formatDecimal(1e-7, 7)).toBe('0.0000001');
    expect(formatDecimal(-1e-7, 3)).toBe('0.000');
    expect(formatDecimal(-0.4, 0)).toBe('0');
    expect(formatDecimal(-0.6, 0)).toBe('-1');
    expect(formatDecimal(179.99999999, 2)).toBe('180.00');
    expect(formatDecimal(45.1, 15)).toMatch(/^45\.1\d{14}$/);
  });
});

describe('fakeDecimalValueFunction', () => {
  /** Fakes drawn from a tiny pool, so collisions with the input and between elements are certain. */
  const fromPool = (pool: string[], salt = 'salt') =>
    fakeDecimalValueFunction({ name: 'pool', options: { pool }, context: { salt }, fake: (faker) => faker.helpers.arrayElement(pool) });

  it('gives N for N and S for S, never the same number', () => {
    const fn = fromPool(['1', '1.0', '2']);
    for (let i = 0; i < 20; i++) {
      expect(fromPool(['1', '1.0', '2'], String(i))({ N: '1' }, ['x'])).toEqual({ N: '2' });
    }
    expect(fn({ S: '1' }, ['x'])).toHaveProperty('S');
  });

  it('gives an NS distinct numbers (1 and 1.0 are one number), each unlike its input, whatever the order', () => {
    const pool = ['1', '1.0', '2', '3', '4'];
    for (let salt = 0; salt < 20; salt++) {
      const fn = fromPool(pool, String(salt));
      const out = fn({ NS: ['1', '2', '3'] }, ['x']) as { NS: string[] };
      expect(new Set(out.NS.map(Number)).size).toBe(3);
      out.NS.forEach((element, i) => expect(Number(element)).not.toBe(Number(['1', '2', '3'][i])));
      expect(fn({ NS: ['3', '1', '2'] }, ['x'])).toEqual({ NS: [out.NS[2], out.NS[0], out.NS[1]] });
    }
  });

  it('gives up after MAX_ATTEMPTS with a message that names the path but not the value', () => {
    const fn = fromPool(['12345.678']);
    expect(() => fn({ N: '12345.678' }, ['geo', 'lat'])).toThrow(`geo.lat: transformer "pool" found no fake distinct from the input after ${MAX_ATTEMPTS} attempts`);
    expect(() => fn({ NS: ['12345.6780'] }, ['geo', 'lat'])).toThrow(
      `geo.lat: transformer "pool" found no fake distinct from its input element and the other fakes of its set after ${MAX_ATTEMPTS} attempts`,
    );
  });

  it('throws a TransformTypeError for other types', () => {
    const fn = fromPool(['1', '2']);
    expect(() => fn({ BOOL: true }, ['geo'])).toThrow(TransformTypeError);
    expect(() => fn({ BOOL: true }, ['geo'])).toThrow('geo: transformer "pool" accepts N, NS, S, SS; got BOOL');
  });
});

describe('hexCase', () => {
  it('is upper only for upper-case hex letters without lower-case ones', () => {
    expect(hexCase('AB:CD::1')).toBe('upper');
    expect(hexCase('ab:cd::1')).toBe('lower');
    expect(hexCase('Ab')).toBe('lower');
    expect(hexCase('1234')).toBe('lower');
    expect(hexCase('')).toBe('lower');
  });
});

describe('keepEmptyString', () => {
  it('returns an empty S as it is and hands everything else on', () => {
    const fn = keepEmptyString(() => ({ S: 'fake' }));
    const empty = { S: '' };
    expect(fn(empty, ['x'])).toBe(empty);
    expect(fn({ S: ' ' }, ['x'])).toEqual({ S: 'fake' });
    expect(fn({ SS: ['a'] }, ['x'])).toEqual({ S: 'fake' });
    expect(fn({ N: '0' }, ['x'])).toEqual({ S: 'fake' });
  });
});
