/**
 * Equality and order of AttributeValues as DynamoDB's conditions see them
 * (checked against DynamoDB Local's PartiQL; see evaluate.ts):
 * - numbers by exact decimal value (`8.3 = 8.30 = 83E-1`, 38 digits);
 * - strings by their UTF-8 bytes, which is code point order, not
 *   JavaScript's UTF-16 order (`'😀' > 'ｱ'`);
 * - binary by unsigned bytes, a shorter prefix first;
 * - only numbers, strings and binaries have an order; equality is deep
 *   (lists in order, maps and sets whatever the order, numbers inside them
 *   by value) and NULL equals NULL.
 *
 * These run once or more per item, so the common cases allocate nothing.
 * Number text of at most 15 digits is read straight into the double nearest
 * to it, which is exact for order and equality (a double tells apart, and
 * keeps in order, every decimal of 15 significant digits in DynamoDB's
 * range); V8's own Number() of decimal text costs several times more. For
 * longer text the nearest doubles still decide every pair they tell apart
 * (rounding keeps order), and only a tie reads both into Decimals.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { compareDecimals, formatDecimal, normalizeDecimal, parseDecimal, type Decimal } from '../decimal.ts';

/** A number known in advance (a literal), read once. */
export interface PreparedNumber {
  /** The nearest double when it is exact for order and equality (as exactFloat); undefined for longer numbers; NaN when not a number. */
  readonly float: number | undefined;
  /** The nearest double (NaN when not a number). */
  readonly nearest: number;
  /** Undefined when the text is not a number. */
  readonly decimal: Decimal | undefined;
}

export function prepareNumber(text: string): PreparedNumber {
  const decimal = parseDecimal(text);
  if (decimal === undefined) return { float: Number.NaN, nearest: Number.NaN, decimal };
  // Without trailing zeros, so that 8.300000000000000000 takes the fast way too.
  return { float: exactFloat(formatDecimal(normalizeDecimal(decimal))), nearest: Number(text), decimal };
}

/** 10^0 to 10^22: the powers of ten a double holds exactly. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The double nearest to number text of at most 15 digits (exact for order
 * and equality); undefined for longer number text; NaN for text that is not
 * a number (`Number()` would read `0x1F` or ` 1`).
 */
export function exactFloat(text: string): number | undefined {
  const length = text.length;
  let i = 0;
  let code = text.charCodeAt(0);
  const negative = code === 45; // -
  if (negative || code === 43) i = 1; // +
  let mantissa = 0;
  let digits = 0;
  let places = -1; // digits after the point; -1 before it
  for (; i < length; i++) {
    code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (places >= 0) places++;
    } else if (code === 46 && places < 0) places = 0;
    else break;
  }
  if (digits === 0) return Number.NaN;
  let exponent = 0;
  if (i < length) {
    if (code !== 101 && code !== 69) return Number.NaN; // e, E
    code = text.charCodeAt(++i);
    const sign = code === 45 ? -1 : 1;
    if (code === 45 || code === 43) i++;
    const first = i;
    for (; i < length; i++) {
      code = text.charCodeAt(i);
      if (code < 48 || code > 57) return Number.NaN;
      exponent = exponent * 10 + (code - 48);
    }
    if (i === first) return Number.NaN;
    exponent *= sign;
  }
  if (digits > 15) return undefined;
  exponent -= places > 0 ? places : 0;
  // mantissa < 10^15 and the power are exact, so one multiplication or division rounds once: to the nearest double.
  let value: number;
  if (exponent === 0) value = mantissa;
  else if (exponent > 0 && exponent <= 22) value = mantissa * POWERS_OF_TEN[exponent]!;
  else if (exponent < 0 && exponent >= -22) value = mantissa / POWERS_OF_TEN[-exponent]!;
  else value = Math.abs(Number(text));
  if (value - value !== 0) return undefined; // Infinity: far beyond DynamoDB's numbers; let Decimals say
  return negative ? -value : value;
}

/** Sign of a - b for two number texts; NaN when either is not a number. */
export function compareNumberText(a: string, b: string): number {
  const x = exactFloat(a);
  const y = exactFloat(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  if (x !== x || y !== y) return Number.NaN;
  const nearX = x ?? Number(a);
  const nearY = y ?? Number(b);
  if (nearX !== nearY) return nearX < nearY ? -1 : 1;
  return compareExactly(parseDecimal(a), parseDecimal(b));
}

/** Sign of a - b for number text and a prepared number; NaN when either is not a number. */
export function compareNumberTo(text: string, b: PreparedNumber): number {
  const x = exactFloat(text);
  const y = b.float;
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  if (x !== x || b.decimal === undefined) return Number.NaN;
  const nearX = x ?? Number(text);
  if (nearX !== b.nearest) return nearX < b.nearest ? -1 : 1;
  return compareExactly(parseDecimal(text), b.decimal);
}

/** Sign of n - b for a non-negative integer (a size) and a prepared number. */
export function compareIntegerTo(n: number, b: PreparedNumber): number {
  const y = b.float;
  if (y !== undefined) return n < y ? -1 : n > y ? 1 : n === y ? 0 : Number.NaN;
  if (b.decimal === undefined) return Number.NaN;
  if (n !== b.nearest) return n < b.nearest ? -1 : 1;
  return compareDecimals({ units: BigInt(n), scale: 0 }, b.decimal);
}

function compareExactly(a: Decimal | undefined, b: Decimal | undefined): number {
  return a === undefined || b === undefined ? Number.NaN : compareDecimals(a, b);
}

/** Code point order (UTF-8 byte order) of two strings. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) stand for code points above FFFF, so they sort after E000-FFFF, not before.
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** Sign of a - b when both are numbers, both strings or both binaries; NaN otherwise. */
export function orderValues(a: AttributeValue, b: AttributeValue): number {
  if (a.N !== undefined) return b.N === undefined ? Number.NaN : compareNumberText(a.N, b.N);
  if (a.S !== undefined) return b.S === undefined ? Number.NaN : compareStrings(a.S, b.S);
  if (a.B !== undefined) return b.B === undefined ? Number.NaN : compareBytes(a.B, b.B);
  return Number.NaN;
}

export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  if (a.S !== undefined) return a.S === b.S;
  if (a.N !== undefined) return b.N !== undefined && compareNumberText(a.N, b.N) === 0;
  if (a.BOOL !== undefined) return a.BOOL === b.BOOL;
  if (a.NULL !== undefined) return b.NULL !== undefined;
  if (a.M !== undefined) return b.M !== undefined && equalMaps(a.M, b.M);
  if (a.L !== undefined) return b.L !== undefined && equalLists(a.L, b.L);
  if (a.SS !== undefined) return b.SS !== undefined && a.SS.length === b.SS.length && a.SS.every((s) => b.SS!.includes(s));
  if (a.NS !== undefined) return b.NS !== undefined && a.NS.length === b.NS.length && a.NS.every((n) => hasNumber(b.NS!, n));
  if (a.B !== undefined) return b.B !== undefined && a.B.length === b.B.length && compareBytes(a.B, b.B) === 0;
  if (a.BS !== undefined) return b.BS !== undefined && a.BS.length === b.BS.length && a.BS.every((x) => hasBytes(b.BS!, x));
  return false;
}

/** Whether a number set holds the number `text` (by value: `1` is in `<<1.0>>`). */
export function hasNumber(set: readonly string[], text: string): boolean {
  for (const member of set) if (compareNumberText(member, text) === 0) return true;
  return false;
}

function hasBytes(set: readonly Uint8Array[], bytes: Uint8Array): boolean {
  for (const member of set) if (member.length === bytes.length && compareBytes(member, bytes) === 0) return true;
  return false;
}

function equalLists(a: readonly AttributeValue[], b: readonly AttributeValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equalValues(a[i]!, b[i]!)) return false;
  return true;
}

function equalMaps(a: Record<string, AttributeValue>, b: Record<string, AttributeValue>): boolean {
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    count++;
    if (!Object.hasOwn(b, key) || !equalValues(a[key]!, b[key]!)) return false;
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--;
  return count === 0;
}
