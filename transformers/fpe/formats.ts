/**
 * The identifier formats the permutation serves, and how each reads a string
 * as an integer in a range [0, size) and writes it back.
 *
 * Every string belongs to at most one shape, and a shape is what a permuted
 * string keeps: its format, its length, and
 *   - digits: nothing more (`0012345678` → ten digits, leading zeros too);
 *   - hex: its case (letters all lower or all upper, at least one letter:
 *     a string of digits alone is digits);
 *   - uuid: `8-4-4-4-12` or 32 hex digits, one case, RFC 9562 (version 1–8,
 *     variant bits 10): the version nibble, the variant bits, the dashes and
 *     the case are kept, the other 122 bits permuted. A v4 stays a valid v4;
 *     a v7 keeps its shape but its timestamp is scrambled with the rest, so
 *     sorting by it no longer follows creation time;
 *   - alphanumeric: ASCII letters and digits that are none of the above;
 *     each position keeps its class (digit, upper, lower). Mixed-case hex
 *     (`0aF3`) is alphanumeric: its letters may leave a–f.
 * The nil and max UUIDs, other versions and variants, dashes elsewhere, any
 * other character, and the empty string have no shape: the caller decides.
 *
 * Numbers (an N attribute) are classified apart (`classifyNumber`): as
 * digits, `1234` could become `0045`, which DynamoDB reads as 45, the image
 * of some 2-digit number too. An integer keeps its sign and its count of
 * digits, without leading zeros.
 *
 * The range of a shape is a set of renderings larger than the shape (a hex
 * range also holds the strings of digits alone; an upper-case UUID range,
 * those without letters). The permutation walks the cycle until it lands in
 * the shape again (permutation.ts), which is why shapes must be disjoint and
 * `classify` must be exact.
 *
 * Shapes that differ only in writing (case, dashes, a UUID's version) share
 * one range, so for hex `permute(s.toUpperCase())` is
 * `permute(s).toUpperCase()`, and for UUIDs case and dashes carry over the
 * same way except for the image in about 1.4 million that has no letter: a
 * lower-case dashed UUID can be that, the other spellings walk on past it.
 */

/** `integer` comes only from `classifyNumber`. */
export type FormatName = 'digits' | 'hex' | 'uuid' | 'alphanumeric' | 'integer';

/** Integers in a range: numbers while the range fits in 2^52 (so FF1 over its bits does too), BigInt above. */
export type RangeInteger = number | bigint;

/** Largest range whose integers are numbers. */
export const NUMBER_RANGE_LIMIT = 2n ** 52n;

export interface Shape {
  readonly format: FormatName;
  /** Equal for two strings exactly when they have this shape: `classify`'s answer. */
  readonly key: string;
  /** Names the range the shape is drawn from (part of the tweak). */
  readonly range: string;
  /** The shuffle table a range below 1,000,000 uses: the range's own, or one shared by every alphanumeric pattern of its size. */
  readonly table: string;
  readonly size: bigint;
  /** FF1 numerals the range lies within (all of them, or a part cycle-walked); undefined: the bits of size - 1. */
  readonly numerals: { readonly radix: number; readonly length: number } | undefined;
  toInteger(value: string): RangeInteger;
  fromInteger(x: RangeInteger): string;
}

// Character classes of an alphanumeric pattern, and their sizes.
const DIGIT = '9';
const UPPER = 'A';
const LOWER = 'a';

/**
 * The key of the shape `value` has, or undefined. One pass over the
 * characters; the key says everything the shape keeps.
 */
export function classify(value: string): string | undefined {
  const n = value.length;
  if (n === 0) return undefined;
  let digits = 0;
  let lowerHex = 0;
  let lowerOther = 0;
  let upperHex = 0;
  let upperOther = 0;
  let dashes = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 97 && c <= 102) lowerHex++;
    else if (c >= 103 && c <= 122) lowerOther++;
    else if (c >= 65 && c <= 70) upperHex++;
    else if (c >= 71 && c <= 90) upperOther++;
    else if (c === 45 && n === 36 && (i === 8 || i === 13 || i === 18 || i === 23)) dashes++;
    else return undefined;
  }
  const upper = upperHex + upperOther > 0;
  const oneCaseHex = lowerOther === 0 && upperOther === 0 && !(upper && lowerHex > 0);
  if (dashes > 0) {
    return dashes === 4 && oneCaseHex && isRfc9562(value, 14, 19) ? `u-${upper ? 'U' : 'l'}${value[14]}` : undefined;
  }
  if (digits === n) return `d${n}`;
  if (oneCaseHex) {
    if (n === 32 && isRfc9562(value, 12, 16)) return `u${upper ? 'U' : 'l'}${value[12]}`;
    return `x${n}${upper ? 'U' : 'l'}`;
  }
  let pattern = 'a';
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    pattern += c <= 57 ? DIGIT : c <= 90 ? UPPER : LOWER;
  }
  return pattern;
}

/** Version 1–8 at `versionAt`, variant bits 10 (8, 9, a, b) at `variantAt`. */
function isRfc9562(value: string, versionAt: number, variantAt: number): boolean {
  const version = value.charCodeAt(versionAt);
  const variant = value.charCodeAt(variantAt) | 0x20; // lower-case a letter
  return version >= 49 && version <= 56 && (variant === 56 || variant === 57 || variant === 97 || variant === 98);
}

/**
 * The key of the shape of an integer written as DynamoDB keeps a number:
 * digits without leading zeros, a minus sign before them or not (not `-0`).
 */
export function classifyNumber(text: string): string | undefined {
  const negative = text.startsWith('-');
  const start = negative ? 1 : 0;
  const n = text.length - start;
  if (n === 0 || (n > 1 && text.charCodeAt(start) === 48) || (negative && text === '-0')) return undefined;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return `n${negative ? '-' : ''}${n}`;
}

export function formatOfKey(key: string): FormatName {
  switch (key[0]) {
    case 'n':
      return 'integer';
    case 'd':
      return 'digits';
    case 'x':
      return 'hex';
    case 'u':
      return 'uuid';
    default:
      return 'alphanumeric';
  }
}

const shapes = new Map<string, Shape>();
/** Shapes are plain descriptions, shared by every permutation; alphanumeric patterns are unbounded, so the cache is not. */
const SHAPE_CACHE_ENTRIES = 4096;

/** The shape of a key from `classify`. */
export function shapeOfKey(key: string): Shape {
  let shape = shapes.get(key);
  if (shape === undefined) {
    shape = makeShape(key);
    if (shapes.size >= SHAPE_CACHE_ENTRIES) shapes.clear();
    shapes.set(key, shape);
  }
  return shape;
}

function makeShape(key: string): Shape {
  switch (key[0]) {
    case 'n':
      return key[1] === '-' ? integerShape(key, Number(key.slice(2)), true) : integerShape(key, Number(key.slice(1)), false);
    case 'd':
      return digitsShape(key, Number(key.slice(1)));
    case 'x':
      return hexShape(key, Number(key.slice(1, -1)), key.endsWith('U'));
    case 'u':
      return uuidShape(key, key[1] === '-', key.at(-2) === 'U', key.at(-1)!);
    default:
      return alphanumericShape(key, key.slice(1));
  }
}

function digitsShape(key: string, length: number): Shape {
  const size = 10n ** BigInt(length);
  const big = size > NUMBER_RANGE_LIMIT;
  return {
    format: 'digits',
    key,
    range: `digits:${length}`,
    table: `digits:${length}`,
    size,
    numerals: { radix: 10, length },
    toInteger: (value) => (big ? BigInt(value) : Number(value)),
    fromInteger: (x) => x.toString().padStart(length, '0'),
  };
}

/**
 * n digits without a leading zero: x = value − 10^(n−1), so the range is
 * 9·10^(n−1). One digit: 0–9, or 1–9 after a minus sign. Both signs of a
 * length share the range (the minus sign is kept), but for one digit.
 */
function integerShape(key: string, length: number, negative: boolean): Shape {
  const sign = negative ? '-' : '';
  const first = length === 1 ? (negative ? 1n : 0n) : 10n ** BigInt(length - 1);
  const size = 10n ** BigInt(length) - first;
  const big = size > NUMBER_RANGE_LIMIT;
  const firstNumber = Number(first);
  const range = length === 1 ? `integer:${sign}1` : `integer:${length}`;
  return {
    format: 'integer',
    key,
    range,
    table: range,
    size,
    numerals: { radix: 10, length },
    toInteger(text) {
      const digits = negative ? text.slice(1) : text;
      return big ? BigInt(digits) - first : Number(digits) - firstNumber;
    },
    fromInteger: (x) => sign + (typeof x === 'number' ? x + firstNumber : x + first).toString(),
  };
}

function hexShape(key: string, length: number, upper: boolean): Shape {
  const size = 16n ** BigInt(length);
  const big = size > NUMBER_RANGE_LIMIT;
  return {
    format: 'hex',
    key,
    range: `hex:${length}`,
    table: `hex:${length}`,
    size,
    numerals: { radix: 16, length },
    toInteger: (value) => (big ? BigInt(`0x${value}`) : Number.parseInt(value, 16)),
    fromInteger(x) {
      const hex = x.toString(16).padStart(length, '0');
      return upper ? hex.toUpperCase() : hex;
    },
  };
}

const MASK_60 = (1n << 60n) - 1n;

/**
 * The 122 free bits in order: the 12 hex digits before the version, the 3
 * after it, the 2 low bits of the variant digit, the last 15 hex digits.
 */
function uuidShape(key: string, dashed: boolean, upper: boolean, version: string): Shape {
  return {
    format: 'uuid',
    key,
    range: 'uuid',
    table: 'uuid',
    size: 1n << 122n,
    numerals: { radix: 2, length: 122 },
    toInteger(value) {
      const hex = dashed ? value.slice(0, 8) + value.slice(9, 13) + value.slice(15, 18) + value.slice(19, 23) + value.slice(24) : value.slice(0, 12) + value.slice(13);
      // hex is now 31 digits: the version is gone, the variant digit at 15.
      const variantLow = Number.parseInt(hex[15]!, 16) & 3;
      return (BigInt(`0x${hex.slice(0, 15)}`) << 62n) | (BigInt(variantLow) << 60n) | BigInt(`0x${hex.slice(16)}`);
    },
    fromInteger(x) {
      const x122 = x as bigint;
      const head = (x122 >> 62n).toString(16).padStart(15, '0');
      const variant = (8 + Number((x122 >> 60n) & 3n)).toString(16);
      const tail = (x122 & MASK_60).toString(16).padStart(15, '0');
      let out = dashed
        ? `${head.slice(0, 8)}-${head.slice(8, 12)}-${version}${head.slice(12)}-${variant}${tail.slice(0, 3)}-${tail.slice(3)}`
        : `${head.slice(0, 12)}${version}${head.slice(12)}${variant}${tail}`;
      if (upper) out = out.toUpperCase();
      return out;
    },
  };
}

const CLASS_SIZE: Record<string, number> = { [DIGIT]: 10, [UPPER]: 26, [LOWER]: 26 };
const CLASS_BASE: Record<string, number> = { [DIGIT]: 48, [UPPER]: 65, [LOWER]: 97 };

/** Mixed radix, most significant position first: the range is the product of the class sizes. */
function alphanumericShape(key: string, pattern: string): Shape {
  const radices = [...pattern].map((c) => CLASS_SIZE[c]!);
  const bases = [...pattern].map((c) => CLASS_BASE[c]!);
  const size = radices.reduce((acc, r) => acc * BigInt(r), 1n);
  const big = size > NUMBER_RANGE_LIMIT;
  const n = pattern.length;
  return {
    format: 'alphanumeric',
    key,
    range: `alphanumeric:${pattern}`,
    table: `alphanumeric:${size}`,
    size,
    numerals: undefined,
    toInteger(value) {
      if (!big) {
        let x = 0;
        for (let i = 0; i < n; i++) x = x * radices[i]! + (value.charCodeAt(i) - bases[i]!);
        return x;
      }
      // Chunks of up to 8 positions (62^8 < 2^53) as numbers, then one BigInt step each.
      let x = 0n;
      for (let i = 0; i < n; ) {
        let chunk = 0;
        let scale = 1;
        for (const end = Math.min(n, i + 8); i < end; i++) {
          chunk = chunk * radices[i]! + (value.charCodeAt(i) - bases[i]!);
          scale *= radices[i]!;
        }
        x = x * BigInt(scale) + BigInt(chunk);
      }
      return x;
    },
    fromInteger(x) {
      const codes = new Array<number>(n);
      if (typeof x === 'number') {
        let rest: number = x;
        for (let i = n - 1; i >= 0; i--) {
          const r = radices[i]!;
          const digit = rest % r;
          codes[i] = bases[i]! + digit;
          rest = (rest - digit) / r;
        }
      } else {
        for (let i = n; i > 0; ) {
          let scale = 1;
          const start = Math.max(0, i - 8);
          for (let k = start; k < i; k++) scale *= radices[k]!;
          const scaleBig = BigInt(scale);
          let chunk = Number(x % scaleBig);
          x /= scaleBig;
          for (let k = i - 1; k >= start; k--) {
            const r = radices[k]!;
            const digit = chunk % r;
            codes[k] = bases[k]! + digit;
            chunk = (chunk - digit) / r;
          }
          i = start;
        }
      }
      return String.fromCharCode(...codes);
    },
  };
}
