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
 * These run once or more per item, so the common cases allocate nothing:
 * number text of at most 15 digits is compared as a float, which is exact
 * (a double tells apart, and keeps in order, every decimal of 15
 * significant digits in DynamoDB's range); only longer text is read into a
 * Decimal.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { compareDecimals, parseDecimal, type Decimal } from '../decimal.ts';

/** A number known in advance (a literal), read once. */
export interface PreparedNumber {
  /** The exact value as a float when that is exact, else NaN. */
  readonly float: number;
  /** Undefined when the text is not a number. */
  readonly decimal: Decimal | undefined;
}

export function prepareNumber(text: string): PreparedNumber {
  return { float: exactFloat(text), decimal: parseDecimal(text) };
}

/** The float of number text with at most 15 digits (so exact in order and equality); NaN otherwise. */
export function exactFloat(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
    else if (code === 101 || code === 69) break; // e, E: the exponent's digits are not significant
    else if (code !== 46 && code !== 43 && code !== 45) return Number.NaN; // not . + -: not DynamoDB number text (Number() would read 0x1F)
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const float = Number(text);
  return float - float === 0 ? float : Number.NaN; // Infinity: beyond any DynamoDB number
}

/** Sign of a - b for two number texts; NaN when either is not a number. */
export function compareNumberText(a: string, b: string): number {
  const x = exactFloat(a);
  const y = exactFloat(b);
  if (x === x && y === y) return x < y ? -1 : x > y ? 1 : 0;
  const dx = parseDecimal(a);
  const dy = parseDecimal(b);
  return dx === undefined || dy === undefined ? Number.NaN : compareDecimals(dx, dy);
}

/** Sign of a - b for number text and a prepared number; NaN when either is not a number. */
export function compareNumberTo(text: string, b: PreparedNumber): number {
  const x = exactFloat(text);
  const y = b.float;
  if (x === x && y === y) return x < y ? -1 : x > y ? 1 : 0;
  const dx = parseDecimal(text);
  return dx === undefined || b.decimal === undefined ? Number.NaN : compareDecimals(dx, b.decimal);
}

/** Sign of n - b for a non-negative integer (a size) and a prepared number. */
export function compareIntegerTo(n: number, b: PreparedNumber): number {
  const y = b.float;
  if (y === y) return n < y ? -1 : n > y ? 1 : 0;
  return b.decimal === undefined ? Number.NaN : compareDecimals({ units: BigInt(n), scale: 0 }, b.decimal);
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
