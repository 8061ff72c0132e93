/**
 * Pages through a table's primary keys with Scan (only the key attributes
 * are read), one segment of a parallel scan at a time, with a cursor that
 * survives JSON (json-key.ts).
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { decodeKey, encodeKey, type JsonKey } from './json-key.ts';

/** Where the next page of a segment starts: the last key the previous page evaluated. */
export interface KeyCursor {
  after: JsonKey;
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
