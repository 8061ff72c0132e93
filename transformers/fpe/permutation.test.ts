import { describe, expect, it } from 'vitest';
import { classify } from './formats.ts';
import { createPermutation, UnsupportedFormatError } from './index.ts';
import { deriveKeys } from './keys.ts';
import { RangePermutations } from './range-permutation.ts';
import { RecentValues } from './recent-values.ts';

const SCOPE = JSON.stringify(['fpe', {}]);
/** Timeout of the exhaustive tests: hundreds of thousands of values on a shared machine. */
const HEAVY = 120_000;
const permutation = createPermutation('test-salt', SCOPE);

/** mulberry32: reproducible inputs, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomString(next: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

function randomUuid(next: () => number, version: string): string {
  const hex = randomString(next, '0123456789abcdef', 32);
  const variant = '89ab'[Math.floor(next() * 4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Every string of `length` over `alphabet`. */
function* allStrings(alphabet: string, length: number): Generator<string> {
  const index = new Array<number>(length).fill(0);
  for (;;) {
    yield index.map((i) => alphabet[i]).join('');
    let k = length - 1;
    while (k >= 0 && ++index[k]! === alphabet.length) index[k--] = 0;
    if (k < 0) return;
  }
}

/** Permutes every input; checks each output keeps its input's shape, inverts back, and no two meet. */
function expectBijection(inputs: Iterable<string>): number {
  const outputs = new Set<string>();
  let count = 0;
  let shapeLost = 0;
  let notInverted = 0;
  for (const input of inputs) {
    const output = permutation.permute(input);
    if (classify(output) !== classify(input)) shapeLost++;
    if (permutation.invert(output) !== input) notInverted++;
    outputs.add(output);
    count++;
  }
  expect({ shapeLost, notInverted, collisions: count - outputs.size }).toEqual({ shapeLost: 0, notInverted: 0, collisions: 0 });
  return count;
}

const DIGITS = '0123456789';
const LOWER_HEX = '0123456789abcdef';
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('the permutation is a bijection of each format (exhaustively on small domains)', () => {
  it('all 10,000 strings of 4 digits', () => {
    const inputs = [...allStrings(DIGITS, 4)];
    expect(expectBijection(inputs)).toBe(10_000);
    // A bijection of a finite set onto itself: every 4-digit string is an output.
    expect(new Set(inputs.map((s) => permutation.permute(s))).size).toBe(10_000);
  });

  it('all 100,000 strings of 5 digits', () => {
    expect(expectBijection(allStrings(DIGITS, 5))).toBe(100_000);
  }, HEAVY);

  it('all 3-character hex strings, lower and upper case (the digit-only ones are digits)', () => {
    const lower = [...allStrings(LOWER_HEX, 3)].filter((s) => /[a-f]/.test(s));
    expect(lower).toHaveLength(4096 - 1000);
    expectBijection(lower);
    expectBijection(lower.map((s) => s.toUpperCase()));
    expect(lower.every((s) => permutation.permute(s) === permutation.permute(s.toUpperCase()).toLowerCase())).toBe(true);
  });

  it('every ASCII alphanumeric string of 1 to 3 characters, all formats together', () => {
    let count = 0;
    for (let length = 1; length <= 3; length++) count += expectBijection(allStrings(ALPHANUMERIC, length));
    expect(count).toBe(62 + 62 ** 2 + 62 ** 3);
  }, HEAVY);
});

describe('no collisions on large domains', () => {
  it('100,000 random UUIDs (v4 and v7)', () => {
    const next = random(1);
    const inputs = new Set<string>();
    while (inputs.size < 100_000) inputs.add(randomUuid(next, inputs.size % 2 === 0 ? '4' : '7'));
    const outputs = new Set<string>();
    let badShape = 0;
    for (const input of inputs) {
      const output = permutation.permute(input);
      // Version nibble and variant bits kept, the rest in place.
      if (output[14] !== input[14] || !'89ab'.includes(output[19]!) || classify(output) !== classify(input)) badShape++;
      outputs.add(output);
    }
    expect(badShape).toBe(0);
    expect(outputs.size).toBe(100_000);
  }, HEAVY);

  it('100,000 random 10-digit strings', () => {
    const next = random(2);
    const inputs = new Set<string>();
    while (inputs.size < 100_000) inputs.add(randomString(next, DIGITS, 10));
    const outputs = new Set<string>();
    for (const input of inputs) outputs.add(permutation.permute(input));
    expect(outputs.size).toBe(100_000);
    expect([...outputs].every((output) => /^\d{10}$/.test(output))).toBe(true);
  }, HEAVY);
});

describe('what a permuted value keeps', () => {
  const next = random(3);
  it('length and alphabet of digits, leading zeros included', () => {
    for (let i = 0; i < 200; i++) {
      const input = `00${randomString(next, DIGITS, 1 + (i % 30))}`;
      const output = permutation.permute(input);
      expect(output).toMatch(new RegExp(`^\\d{${input.length}}$`));
    }
  });

  it('length and case of hex, with at least one letter', () => {
    for (let i = 0; i < 200; i++) {
      const input = `${randomString(next, LOWER_HEX, i % 40)}e`;
      const lower = permutation.permute(input);
      const upper = permutation.permute(input.toUpperCase());
      expect(lower).toMatch(new RegExp(`^(?=.*[a-f])[0-9a-f]{${input.length}}$`));
      expect(upper).toMatch(new RegExp(`^(?=.*[A-F])[0-9A-F]{${input.length}}$`));
    }
  });

  it('a UUID’s version, variant, dashes and case; the same bits with or without dashes', () => {
    for (const version of '12345678') {
      const input = randomUuid(next, version);
      const output = permutation.permute(input);
      expect(output).toMatch(new RegExp(`^[0-9a-f]{8}-[0-9a-f]{4}-${version}[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
      expect(permutation.permute(input.toUpperCase())).toBe(output.toUpperCase());
      expect(permutation.permute(input.replaceAll('-', ''))).toBe(output.replaceAll('-', ''));
    }
  });

  it('the class of each position of an alphanumeric ID', () => {
    const classes = (s: string): string => s.replace(/[0-9]/g, '9').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a');
    for (let i = 0; i < 300; i++) {
      const input = `${randomString(next, ALPHANUMERIC, i % 30)}xY`;
      const output = permutation.permute(input);
      expect(classes(output)).toBe(classes(input));
      expect(permutation.format(output)).toBe('alphanumeric');
    }
  });

  it('names the format of a value', () => {
    expect(['0012', 'c0ffee', '550e8400-e29b-41d4-a716-446655440000', 'ORD1', 'USER#1'].map((s) => permutation.format(s))).toEqual([
      'digits',
      'hex',
      'uuid',
      'alphanumeric',
      undefined,
    ]);
  });
});

describe('keys and scope', () => {
  const samples = ['0012345678', '1234', 'deadbeef', '550e8400-e29b-41d4-a716-446655440000', 'AB12cd', 'ORD12345678'];

  it('is deterministic: the same salt and scope give the same outputs', () => {
    const again = createPermutation('test-salt', SCOPE);
    expect(samples.map((s) => again.permute(s))).toEqual(samples.map((s) => permutation.permute(s)));
  });

  it('pins its outputs: a change here re-keys every copy made so far', () => {
    expect(samples.map((s) => permutation.permute(s))).toEqual([
      '4425923419',
      '2750',
      '90e18f3e',
      'a09694d7-b256-4013-a473-8c527f528a68',
      'RI95up',
      'ZSO37736443',
    ]);
  });

  it('gives other outputs under another salt or another scope', () => {
    const otherSalt = createPermutation('other-salt', SCOPE);
    const otherScope = createPermutation('test-salt', JSON.stringify(['fpe', { prefix: 'x' }]));
    for (const other of [otherSalt, otherScope]) {
      const same = samples.filter((s) => other.permute(s) === permutation.permute(s));
      expect(same).toEqual([]);
    }
  });

  it('refuses an empty salt', () => {
    expect(() => createPermutation('', SCOPE)).toThrow('the identifier permutation needs a non-empty salt: an empty key would let anyone invert it');
  });
});

describe('numbers (an N attribute)', () => {
  const integers = (length: number): string[] =>
    length === 1 ? [...DIGITS] : [...allStrings(DIGITS, length)].filter((s) => s[0] !== '0');

  it('is a bijection of the integers of each length and sign, exhaustively up to 5 digits', () => {
    for (let length = 1; length <= 5; length++) {
      for (const sign of ['', '-']) {
        const inputs = integers(length).map((s) => sign + s).filter((s) => s !== '-0');
        const outputs = new Set(inputs.map((s) => permutation.permuteNumber(s)));
        expect(outputs).toEqual(new Set(inputs));
        expect(inputs.every((s) => permutation.invertNumber(permutation.permuteNumber(s)) === s)).toBe(true);
      }
    }
  }, HEAVY);

  it('keeps sign and count of digits, never a leading zero, on large numbers', () => {
    const next = random(5);
    const outputs = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const length = 6 + (i % 33); // up to DynamoDB's 38 digits
      const input = `${i % 3 === 0 ? '-' : ''}${1 + Math.floor(next() * 9)}${randomString(next, DIGITS, length - 1)}`;
      const output = permutation.permuteNumber(input);
      expect(output).toMatch(new RegExp(`^${input.startsWith('-') ? '-' : ''}[1-9]\\d{${length - 1}}$`));
      expect(permutation.invertNumber(output)).toBe(input);
      outputs.add(output);
    }
    expect(outputs.size).toBe(3000);
  });

  it('maps numbers apart from digit strings', () => {
    expect(permutation.permuteNumber('12345678')).not.toBe(permutation.permute('12345678'));
    expect(permutation.permuteNumber('-12345678')).toBe(`-${permutation.permuteNumber('12345678')}`);
  });

  it('refuses anything but an integer without leading zeros', () => {
    for (const text of ['', '-', '012', '-0', '+1', '1.5', '1e3', ' 1', 'abc']) {
      expect(() => permutation.permuteNumber(text)).toThrow(
        'cannot permute this value as an identifier: it is not an integer written without leading zeros (digits, a minus sign before them or not)',
      );
    }
  });
});

describe('values outside every format', () => {
  const cases: [string, string][] = [
    ['', 'it is empty'],
    ['USER#123', 'it has a character other than an ASCII letter or digit'],
    ['naïve', 'it has a character other than an ASCII letter or digit'],
    ['abc-def', 'it has a dash and is not a UUID'],
    ['550e8400-e29b-41d4-a716-44665544000g', 'it has a dash and is not a UUID'],
    ['550e8400-E29B-41d4-a716-446655440000', 'it is a UUID in mixed case'],
    ['00000000-0000-0000-0000-000000000000', 'it is a UUID of a version other than 1-8 or a variant other than RFC 9562 (the nil and max UUIDs among them)'],
  ];
  for (const [value, reason] of cases) {
    it(`${JSON.stringify(value)}: ${reason}`, () => {
      expect(permutation.format(value)).toBeUndefined();
      const message = `cannot permute this value as an identifier: ${reason} (formats: digits, hex, UUID, alphanumeric)`;
      expect(() => permutation.permuteNumber(value)).toThrow(UnsupportedFormatError);
      expect(() => permutation.permute(value)).toThrow(UnsupportedFormatError);
      expect(() => permutation.permute(value)).toThrow(message);
      expect(() => permutation.invert(value)).toThrow(message);
    });
  }

  it('never produces one: every output has its input’s format', () => {
    // So leaving unformatted values as they are cannot collide with a permuted one.
    const next = random(4);
    for (let i = 0; i < 2000; i++) {
      const input = randomString(next, ALPHANUMERIC, 1 + (i % 12));
      expect(permutation.format(permutation.permute(input))).toBe(permutation.format(input));
    }
  });
});

describe('the range permutations', () => {
  it('keep their shuffle tables within a byte budget, and rebuild an evicted one alike', () => {
    const ranges = new RangePermutations(deriveKeys('test-salt'), SCOPE, 1_000_000);
    const spec = (length: number) => ({ range: `digits:${length}`, table: `digits:${length}`, size: 10n ** BigInt(length), numerals: { radix: 10, length } });
    const before = Array.from({ length: 100 }, (_, x) => ranges.get(spec(5)).forward(x));
    for (let length = 1; length <= 4; length++) ranges.get(spec(length)).forward(0);
    const big = { range: 'alphanumeric:AAAa', table: 'alphanumeric:456976', size: 456_976n, numerals: undefined };
    ranges.get(big).forward(0);
    ranges.get(big).backward(0); // builds its inverse: 3.6 MB, over the budget alone
    ranges.get(spec(3)).forward(0);
    expect(ranges.tableBytes).toBeLessThanOrEqual(1_000_000);
    const after = Array.from({ length: 100 }, (_, x) => ranges.get(spec(5)).forward(x));
    expect(after).toEqual(before);
  });

  it('share one table between alphanumeric patterns of one size, with offsets of their own', () => {
    const ranges = new RangePermutations(deriveKeys('test-salt'), SCOPE);
    const pattern = (range: string) => ranges.get({ range, table: 'alphanumeric:6760', size: 6760n, numerals: undefined });
    const a = pattern('alphanumeric:A9a');
    const b = pattern('alphanumeric:aA9');
    const images = (p: typeof a) => Array.from({ length: 6760 }, (_, x) => p.forward(x) as number);
    expect(new Set(images(a)).size).toBe(6760);
    expect(new Set(images(b)).size).toBe(6760);
    const imagesOfB = images(b);
    const same = images(a).filter((y, x) => imagesOfB[x] === y).length;
    expect(same).toBeLessThan(10);
    expect(ranges.tableBytes).toBe(6760 * 4);
    expect(Array.from({ length: 6760 }, (_, x) => b.backward(b.forward(x)))).toEqual(Array.from({ length: 6760 }, (_, x) => x));
  });
});

describe('RecentValues', () => {
  it('keeps the newer generation and the older one, and drops the oldest', () => {
    const recent = new RecentValues(2);
    recent.set('a', '1');
    recent.set('b', '2');
    recent.set('c', '3'); // a, b become the older generation
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual(['1', '2', '3']);
    recent.set('d', '4');
    recent.set('e', '5');
    expect(recent.get('e')).toBe('5');
    expect(recent.get('a')).toBeUndefined(); // two generations ago
    expect(recent.get('zzz')).toBeUndefined();
  });

  it('gives a permutation the same answers for values it remembers as for fresh ones', () => {
    const fresh = createPermutation('test-salt', SCOPE);
    // More than a generation (4096), so some answers come from the older one.
    const ids = Array.from({ length: 5000 }, (_, i) => String(i * 7919).padStart(10, '0'));
    const first = ids.map((id) => fresh.permute(id));
    expect(ids.map((id) => fresh.permute(id))).toEqual(first);
    expect(ids.map((id) => createPermutation('test-salt', SCOPE).permute(id)).slice(0, 50)).toEqual(first.slice(0, 50));
  }, HEAVY);
});
