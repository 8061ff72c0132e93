/**
 * A primary key as JSON, for cursors: Temporal carries heartbeat details and
 * results as JSON, and a binary key's Uint8Array would not come back as one,
 * so B values travel as base64.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';

export type JsonKeyValue = { S: string } | { N: string } | { B64: string };
export type JsonKey = Record<string, JsonKeyValue>;

export function encodeKey(key: Record<string, AttributeValue>): JsonKey {
  const out: JsonKey = {};
  for (const [name, value] of Object.entries(key)) {
    if (value.S !== undefined) out[name] = { S: value.S };
    else if (value.N !== undefined) out[name] = { N: value.N };
    else if (value.B !== undefined) out[name] = { B64: Buffer.from(value.B).toString('base64') };
    else throw new TypeError(`key attribute "${name}" is not of type S, N or B`);
  }
  return out;
}

export function decodeKey(key: JsonKey): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(key)) {
    if ('S' in value) out[name] = { S: value.S };
    else if ('N' in value) out[name] = { N: value.N };
    else out[name] = { B: new Uint8Array(Buffer.from(value.B64, 'base64')) };
  }
  return out;
}
