import { describe, expect, it } from 'vitest';
import { classify, classifyNumber, formatOfKey, shapeOfKey } from './formats.ts';

describe('classify', () => {
  const cases: [string, string | undefined][] = [
    ['0', 'd1'],
    ['0012345678', 'd10'],
    ['12345678123412348123123456789012', 'd32'], // digits win over a dashless UUID
    ['a', 'x1l'],
    ['deadbeef', 'x8l'],
    ['DEADBEEF', 'x8U'],
    ['00ff', 'x4l'],
    ['550e8400e29b41d4a716446655440000', 'ul4'],
    ['550E8400E29B41D4A716446655440000', 'uU4'],
    ['550e8400e29b01d4a716446655440000', 'x32l'], // version 0: plain hex
    ['550e8400e29b41d4c716446655440000', 'x32l'], // variant 110: plain hex
    ['550e8400-e29b-41d4-a716-446655440000', 'u-l4'],
    ['550E8400-E29B-41D4-A716-446655440000', 'u-U4'],
    ['0190b2a4-7c1e-7d3a-9f2b-3c4d5e6f7a8b', 'u-l7'],
    ['12345678-1234-8234-b234-123456789012', 'u-l8'],
    ['12345678-1234-1234-8234-123456789012', 'u-l1'],
    ['550e8400-E29B-41d4-a716-446655440000', undefined], // mixed case
    ['00000000-0000-0000-0000-000000000000', undefined], // nil
    ['ffffffff-ffff-ffff-ffff-ffffffffffff', undefined], // max
    ['550e8400-e29b-91d4-a716-446655440000', undefined], // version 9
    ['550e8400-e29b-41d4-7716-446655440000', undefined], // variant 0
    ['550e8400-e29b-41d4-a716-44665544000g', undefined],
    ['550e8400e-29b-41d4-a716-446655440000', undefined], // dash misplaced
    ['0aF3', 'a9aA9'], // mixed-case hex is alphanumeric
    ['g', 'aa'],
    ['ORD123', 'aAAA999'],
    ['AbZz09', 'aAaAa99'],
    ['01ARZ3NDEKTSV4RRFFQ69G5FAV', 'a99AAA9AAAAAAA9AAAAA99A9AAA'],
    ['', undefined],
    ['a-b', undefined],
    ['a_b', undefined],
    ['a b', undefined],
    ['é1', undefined],
    ['USER#123', undefined],
  ];
  for (const [value, key] of cases) {
    it(`${JSON.stringify(value)} → ${key}`, () => {
      expect(classify(value)).toBe(key);
    });
  }

  it('classifies numbers apart', () => {
    expect(['0', '7', '-7', '10', '-12345', '12345678901234567890123456789012345678'].map(classifyNumber)).toEqual(['n1', 'n1', 'n-1', 'n2', 'n-5', 'n38']);
    expect(['', '-', '-0', '00', '012', '+1', '1.0', '1e3', '0x1'].map(classifyNumber)).toEqual(Array(9).fill(undefined));
  });

  it('names the format of a key', () => {
    expect(['d10', 'x8l', 'u-U4', 'a9aA9', 'n-3'].map(formatOfKey)).toEqual(['digits', 'hex', 'uuid', 'alphanumeric', 'integer']);
  });
});

describe('shapes', () => {
  const values = [
    '0012345678',
    '0000000000000000',
    '98765432109876543210',
    'deadbeef',
    'DEADBEEF',
    '00000000000000a',
    'c0ffee0000000000000000000000000000000001',
    '550e8400e29b41d4a716446655440000',
    '550E8400-E29B-41D4-A716-446655440000',
    '0190b2a4-7c1e-7d3a-9f2b-3c4d5e6f7a8b',
    'ffffffff-ffff-8fff-bfff-ffffffffffff',
    '00000000-0000-1000-8000-000000000000',
    'ORD12345678',
    'Zz9',
    'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz0',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  ];
  const numbers = ['0', '9', '-1', '-9', '10', '99', '-100000', '1000000000000000', '9999999999999999', '-12345678901234567890123456789012345678'];
  for (const value of [...values, ...numbers]) {
    it(`reads and writes back ${value}`, () => {
      const shape = shapeOfKey((numbers.includes(value) ? classifyNumber(value) : classify(value))!);
      const x = shape.toInteger(value);
      expect(typeof x).toBe(shape.size > 2n ** 52n ? 'bigint' : 'number');
      expect(BigInt(x) >= 0n && BigInt(x) < shape.size).toBe(true);
      expect(shape.fromInteger(x)).toBe(value);
    });
  }

  it('gives the sizes the formats promise', () => {
    expect(shapeOfKey('d10').size).toBe(10n ** 10n);
    expect(shapeOfKey('x3l').size).toBe(4096n);
    expect(shapeOfKey('u-l4').size).toBe(2n ** 122n);
    expect(shapeOfKey('aA9a').size).toBe(26n * 10n * 26n);
    expect([shapeOfKey('n1').size, shapeOfKey('n-1').size, shapeOfKey('n3').size, shapeOfKey('n-3').size]).toEqual([10n, 9n, 900n, 900n]);
    expect(shapeOfKey('n-3').range).toBe(shapeOfKey('n3').range);
  });

  it('writes the extremes of a range in the shape', () => {
    const uuid = shapeOfKey('u-U7');
    expect(uuid.fromInteger(0n)).toBe('00000000-0000-7000-8000-000000000000');
    expect(uuid.fromInteger(2n ** 122n - 1n)).toBe('FFFFFFFF-FFFF-7FFF-BFFF-FFFFFFFFFFFF');
    const alnum = shapeOfKey('aA9a');
    expect(alnum.fromInteger(0)).toBe('A0a');
    expect(alnum.fromInteger(26 * 10 * 26 - 1)).toBe('Z9z');
  });

  it('shares one range between spellings of a UUID and cases of hex', () => {
    expect(new Set(['u-l4', 'u-U4', 'ul7', 'uU1'].map((key) => shapeOfKey(key).range))).toEqual(new Set(['uuid']));
    expect(shapeOfKey('x8l').range).toBe(shapeOfKey('x8U').range);
    expect(shapeOfKey('aA9').range).not.toBe(shapeOfKey('a9A').range);
  });
});
