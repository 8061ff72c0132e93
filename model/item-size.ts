/**
 * The size DynamoDB counts for an item, which is what capacity units are
 * charged on. The rules, from "DynamoDB item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 *
 * - an item is the sum of its attribute names (UTF-8 bytes) and values;
 * - S: its UTF-8 bytes; B: its raw bytes (not the base64 sent on the wire);
 * - N: about 1 byte per two significant digits, plus 1 byte; leading and
 *   trailing zeroes are trimmed (the page says "approximately": DynamoDB
 *   stores base-100 digits, so where the decimal point falls can move it by
 *   a byte);
 * - BOOL and NULL: 1 byte;
 * - M and L: 3 bytes of overhead whatever they hold, plus 1 byte per
 *   element, plus the elements (a map's keys count as attribute names).
 *
 * Sets are not on that page; each element is counted as a value of its type,
 * with no overhead. These are the sizes capacity is charged on, not storage:
 * the 100 bytes of per-item storage overhead the page also names are
 * billed as storage only.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './item.ts';

const utf8 = new TextEncoder();

export function utf8Bytes(text: string): number {
  return utf8.encode(text).length;
}

/** An item's size in bytes as DynamoDB counts it. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8Bytes(name) + valueSize(value);
  return size;
}

/** A value's size without its attribute name. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8Bytes(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  if (value.M !== undefined) {
    let size = CONTAINER_OVERHEAD;
    for (const [key, child] of Object.entries(value.M)) size += ELEMENT_OVERHEAD + utf8Bytes(key) + valueSize(child);
    return size;
  }
  if (value.L !== undefined) return value.L.reduce((sum, child) => sum + ELEMENT_OVERHEAD + valueSize(child), CONTAINER_OVERHEAD);
  throw new TypeError(`unsupported AttributeValue with members: ${Object.keys(value).join(', ') || 'none'}`);
}

const CONTAINER_OVERHEAD = 3;
const ELEMENT_OVERHEAD = 1;

/** N: 1 byte per two significant digits (rounded up), plus 1; zero counts as one digit. */
export function numberSize(text: string): number {
  const mantissa = text.trim().replace(/^[+-]/, '').split(/e/i)[0]!.replace('.', '');
  const significant = mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(Math.max(1, significant) / 2) + 1;
}
