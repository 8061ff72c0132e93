import { describe, expect, it } from 'vitest';
import {
  addDecimals,
  compareDecimals,
  decimalFromNumber,
  fitsPlaces,
  formatDecimal,
  limitSignificantDigits,
  normalizeDecimal,
  numberKey,
  parseDecimal,
  percentRange,
  rescale,
  subtractDecimals,
  type Decimal,
} from './decimal.ts';

const d = (text: string): Decimal => parseDecimal(text)!;
const f = formatDecimal;

describe('parseDecimal and formatDecimal', () => {
  it('read DynamoDB and JSON number text and keep the places it shows', () => {
    expect(d('8.30')).toEqual({ units: 830n, scale: 2 });
    expect(d('-12.5')).toEqual({ units: -125n, scale: 1 });
    expect(d('+7')).toEqual({ units: 7n, scale: 0 });
    expect(d('.5')).toEqual({ units: 5n, scale: 1 });
    expect(d('5.')).toEqual({ units: 5n, scale: 0 });
    expect(d('1.5E3')).toEqual({ units: 1500n, scale: 0 });
    expect(d('1e-7')).toEqual({ units: 1n, scale: 7 });
    expect(d('2.50e-1')).toEqual({ units: 250n, scale: 3 });
  });

  it('refuse anything else', () => {
    for (const text of ['', '.', '-', 'e5', '1e', '1.2.3', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '1,5', '1e999999']) {
      expect(parseDecimal(text), text).toBeUndefined();
    }
  });

  it('write plain text with exactly the scale in places', () => {
    expect(f({ units: 830n, scale: 2 })).toBe('8.30');
    expect(f({ units: -5n, scale: 3 })).toBe('-0.005');
    expect(f({ units: 0n, scale: 2 })).toBe('0.00');
    expect(f({ units: -0n, scale: 0 })).toBe('0');
    expect(f(d('1e-7'))).toBe('0.0000001');
    expect(f(d('1.5E30'))).toBe('1500000000000000000000000000000');
  });

  it('round-trip 38-digit numbers exactly', () => {
    for (const text of ['12345678901234567890123456789012345678', '-9.9999999999999999999999999999999999999', '0.00000000000000000000000000000000000001']) {
      expect(f(d(text))).toBe(text);
    }
  });
});

describe('decimalFromNumber', () => {
  it('takes the digits JavaScript prints, not the binary expansion', () => {
    expect(f(decimalFromNumber(0.1))).toBe('0.1');
    expect(f(decimalFromNumber(1e21))).toBe('1000000000000000000000');
    expect(f(decimalFromNumber(-2.5e-7))).toBe('-0.00000025');
    expect(() => decimalFromNumber(Number.NaN)).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  it('rescales with the rounding asked for', () => {
    expect(f(rescale(d('8.3'), 3))).toBe('8.300');
    expect(f(rescale(d('8.345'), 2))).toBe('8.34'); // half to even
    expect(f(rescale(d('8.355'), 2))).toBe('8.36');
    expect(f(rescale(d('-8.345'), 2))).toBe('-8.34');
    expect(f(rescale(d('8.341'), 2, 'ceil'))).toBe('8.35');
    expect(f(rescale(d('-8.341'), 2, 'ceil'))).toBe('-8.34');
    expect(f(rescale(d('8.349'), 2, 'floor'))).toBe('8.34');
    expect(f(rescale(d('-8.341'), 2, 'floor'))).toBe('-8.35');
  });

  it('adds, subtracts and compares across scales', () => {
    expect(f(addDecimals(d('0.1'), d('0.2')))).toBe('0.3');
    expect(f(subtractDecimals(d('1'), d('0.001')))).toBe('0.999');
    expect(compareDecimals(d('8.30'), d('8.3'))).toBe(0);
    expect(compareDecimals(d('-1'), d('0.5'))).toBe(-1);
    expect(compareDecimals(d('12345678901234567890123456789012345678'), d('12345678901234567890123456789012345677'))).toBe(1);
  });

  it('gives a range of ± a percentage of the value, exactly', () => {
    expect(percentRange(d('8.30'), d('10')).map(f)).toEqual(['7.4700', '9.1300']);
    expect(percentRange(d('-200'), d('2.5')).map(f)).toEqual(['-205.000', '-195.000']);
    const [lo, hi] = percentRange(d('12345678901234567890123456789012345678'), d('10'));
    expect(f(lo)).toBe('11111111011111111101111111110111111110.20');
    expect(f(hi)).toBe('13580246791358024679135802467913580245.80');
  });

  it('tells whether a value fits some places, and normalizes away trailing zeros', () => {
    expect(fitsPlaces(d('8.30'), 1)).toBe(true);
    expect(fitsPlaces(d('8.31'), 1)).toBe(false);
    expect(fitsPlaces(d('8'), 0)).toBe(true);
    expect(normalizeDecimal(d('8.300'))).toEqual({ units: 83n, scale: 1 });
    expect(normalizeDecimal(d('100'))).toEqual({ units: 100n, scale: 0 });
  });

  it('keys equal numbers alike, as DynamoDB compares set elements', () => {
    expect(numberKey('8.30')).toBe(numberKey('8.3'));
    expect(numberKey('83E-1')).toBe('8.3');
    expect(numberKey('-0.0')).toBe('0');
    expect(numberKey('1e2')).toBe('100');
    expect(numberKey('not a number')).toBe('not a number');
  });

  it('rounds to 38 significant digits, which DynamoDB can store', () => {
    const long = d('123456789012345678901234567890123456789.25'); // 41 significant digits
    expect(f(limitSignificantDigits(long))).toBe('123456789012345678901234567890123456790.00');
    expect(limitSignificantDigits(d('8.30'))).toEqual(d('8.30'));
  });
});
