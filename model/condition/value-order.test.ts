import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test/support/prng.ts';
import { compareDecimals, parseDecimal } from '../decimal.ts';
import { compareIntegerTo, compareNumberText, compareNumberTo, compareStrings, exactFloat, prepareNumber } from './value-order.ts';

const sign = (x: number): number => (Number.isNaN(x) ? Number.NaN : Math.sign(x));

/** Number text as DynamoDB and job files write it: signs, leading and trailing zeros, points, exponents, 1 to 40 digits. */
function randomNumberText(random: () => number): string {
  const digits = 1 + Math.floor(random() * (random() < 0.7 ? 15 : 40));
  let body = '';
  for (let i = 0; i < digits; i++) body += String(Math.floor(random() * (random() < 0.3 ? 2 : 10)));
  if (random() < 0.6) {
    const point = Math.floor(random() * (digits + 1));
    body = `${body.slice(0, point)}.${body.slice(point)}`;
    if (body === '.') body = '0.';
  }
  const exponent = random() < 0.4 ? `${random() < 0.5 ? 'e' : 'E'}${random() < 0.5 ? '-' : random() < 0.5 ? '+' : ''}${Math.floor(random() * 40)}` : '';
  const prefix = random() < 0.3 ? '-' : random() < 0.05 ? '+' : '';
  return `${prefix}${body}${exponent}`;
}

describe('numbers', () => {
  it('exactFloat is the double nearest to the text, or undefined beyond 15 digits, or NaN when it is no number', () => {
    const random = mulberry32(1);
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const text = randomNumberText(random);
      const digits = text.split(/[eE]/)[0]!.replace(/[^0-9]/g, '').length;
      if (!Object.is(exactFloat(text), digits > 15 ? undefined : Number(text))) wrong.push(text);
    }
    expect(wrong).toStrictEqual([]);
    for (const text of ['', '-', '.', '1.2.3', '1e', '1e+', '0x1F', ' 1', '1 ', 'Infinity', 'NaN', '1_0']) expect(exactFloat(text), text).toBeNaN();
  });

  it('compares as exact decimals, whatever the spelling and the number of digits', () => {
    const random = mulberry32(2);
    const texts = Array.from({ length: 300 }, () => randomNumberText(random));
    // Neighbours and spellings of one value, where a float comparison would be wrong or a tie.
    texts.push(
      '12345678901234567890123456789012345678',
      '12345678901234567890123456789012345677',
      '1.2345678901234567890123456789012345678E37',
      '0.12345678901234567890123456789012345678',
      '0.123456789012345678901234567890123456781',
      '9007199254740993',
      '9007199254740992',
      '9007199254740992.000000000000000',
      '8.3',
      '8.30',
      '83E-1',
      '8.300000000000000000000001',
      '-0',
      '0.0',
      '1E-130',
      '9.9999999999999999999999999999999999999E+125',
    );
    const wrong: string[] = [];
    for (const b of texts) {
      const prepared = prepareNumber(b);
      for (const a of texts) {
        const expected = compareDecimals(parseDecimal(a)!, parseDecimal(b)!);
        if (sign(compareNumberText(a, b)) !== expected) wrong.push(`${a} vs ${b}`);
        if (sign(compareNumberTo(a, prepared)) !== expected) wrong.push(`${a} vs prepared ${b}`);
      }
    }
    expect(wrong).toStrictEqual([]);
  });

  it('compares a size with a number literal exactly', () => {
    expect(compareIntegerTo(2, prepareNumber('2.0'))).toBe(0);
    expect(compareIntegerTo(2, prepareNumber('2.000000000000000000001'))).toBeLessThan(0);
    expect(compareIntegerTo(9007199254740992, prepareNumber('9007199254740993'))).toBeLessThan(0);
    expect(compareIntegerTo(3, prepareNumber('2.5'))).toBeGreaterThan(0);
  });

  it('says NaN, never an order, when either side is not a number', () => {
    expect(compareNumberText('1', 'x')).toBeNaN();
    expect(compareNumberText('0x1F', '31')).toBeNaN();
    expect(compareNumberText('1234567890123456789', 'x')).toBeNaN();
    expect(compareNumberTo('x', prepareNumber('1'))).toBeNaN();
    expect(compareNumberTo('1', prepareNumber('x'))).toBeNaN();
  });
});

describe('strings', () => {
  /** The reference: code points, which is UTF-8 byte order. */
  const byCodePoints = (a: string, b: string): number => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return Math.sign(x[i]! - y[i]!);
    return Math.sign(x.length - y.length);
  };

  it('orders by code point (UTF-8 bytes), not by UTF-16 code unit', () => {
    expect(compareStrings('😀', 'ｱ')).toBeGreaterThan(0);
    expect('😀' < 'ｱ').toBe(true); // what JavaScript's own order says
    const pool = ['a', 'b', 'é', '\u07FF', '\u0800', '\uD7FF', '\uE000', 'ｱ', '\uFFFF', '😀', '😁', '\u{10000}', '\u{10FFFF}'];
    const random = mulberry32(3);
    const strings = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(random() * 4) }, () => pool[Math.floor(random() * pool.length)]).join(''));
    const wrong: string[] = [];
    for (const a of strings) for (const b of strings) if (Math.sign(compareStrings(a, b)) !== byCodePoints(a, b)) wrong.push(`${a} vs ${b}`);
    expect(wrong).toStrictEqual([]);
  });
});
