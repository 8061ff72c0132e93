/**
 * Pages through a table's primary keys with Scan (only the key attributes
 * are read), one segment of a parallel scan at a time, with a cursor that
 * survives JSON: Temporal carries heartbeat details and results as JSON, and
 * a binary key's Uint8Array would not come back as one.
 */
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from './item-codec.ts';

/** A key attribute's value as JSON: binary as base64. */
export type JsonKeyValue = { S: string } | { N: string } | { B64: string };

/** Where the next page of a segment starts: the last key the previous page evaluated. */
export interface KeyCursor {
  after: Record<string, JsonKeyValue>;
}

export interface KeyPage {
  keys: Item[];
  /** Absent after the segment's last page. */
  cursor?: KeyCursor;
}

export interface ScanKeysOptions {
  segment?: number;
  totalSegments?: number;
  /** Items evaluated per page; unset reads 1 MB pages. */
  limit?: number;
  cursor?: KeyCursor;
  abortSignal?: AbortSignal;
}

export async function scanKeysPage(client: DynamoDBClient, table: string, keyAttributes: readonly string[], options: ScanKeysOptions = {}): Promise<KeyPage> {
  const names = Object.fromEntries(keyAttributes.map((name, i) => [`#k${i}`, name]));
  const parallel = (options.totalSegments ?? 1) > 1;
  const output = await client.send(
    new ScanCommand({
      TableName: table,
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ...(parallel ? { Segment: options.segment ?? 0, TotalSegments: options.totalSegments } : {}),
      ...(options.limit ? { Limit: options.limit } : {}),
      ...(options.cursor ? { ExclusiveStartKey: decodeKey(options.cursor.after) } : {}),
    }),
    options.abortSignal ? { abortSignal: options.abortSignal } : {},
  );
  const last = output.LastEvaluatedKey;
  return { keys: (output.Items ?? []) as Item[], ...(last ? { cursor: { after: encodeKey(last) } } : {}) };
}

export function encodeKey(key: Record<string, AttributeValue>): Record<string, JsonKeyValue> {
  const out: Record<string, JsonKeyValue> = {};
  for (const [name, value] of Object.entries(key)) {
    if (value.S !== undefined) out[name] = { S: value.S };
    else if (value.N !== undefined) out[name] = { N: value.N };
    else if (value.B !== undefined) out[name] = { B64: Buffer.from(value.B).toString('base64') };
    else throw new TypeError(`key attribute "${name}" is not of type S, N or B`);
  }
  return out;
}

export function decodeKey(key: Record<string, JsonKeyValue>): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(key)) {
    out[name] = 'B64' in value ? { B: Buffer.from(value.B64, 'base64') } : value;
  }
  return out;
}
