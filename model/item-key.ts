/**
 * An item's primary key as one string that is equal for two items exactly
 * when DynamoDB would take them for the same item: numbers compare by value
 * (`1.50` and `1.5` are one key), strings and binaries by content. The
 * batch writer drops duplicates of a page by it, and the merge count
 * (src/activities/count-merged-keys.ts) counts distinct keys by it.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { numberKey } from './decimal.ts';
import type { Item } from './item.ts';

export function primaryKeyText(item: Item, keyAttributes: readonly string[]): string {
  let out = '';
  for (const name of keyAttributes) {
    // Each value with its length, so no string of one key can pass for the next.
    const text = keyValueText(item[name]);
    out += `${text.length}:${text}`;
  }
  return out;
}

/** An integer as DynamoDB keeps it: its text is already the value's only spelling. */
const CANONICAL_INTEGER = /^(?:0|-?[1-9][0-9]*)$/;

function keyValueText(value: AttributeValue | undefined): string {
  if (value === undefined) return '-';
  if (value.S !== undefined) return `S${value.S}`;
  if (value.N !== undefined) return `N${CANONICAL_INTEGER.test(value.N) ? value.N : numberKey(value.N)}`;
  if (value.B !== undefined) return `B${hex(value.B)}`;
  // Not a key type: DynamoDB refuses the put, whatever it is compared with.
  return `?${Object.keys(value).join(',')}`;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
