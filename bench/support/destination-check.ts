/**
 * What each case must have produced, checked before its figure counts: the
 * destination holds exactly the expected number of items, and a few sampled
 * keys are there (or, outside a subset, absent) with the expected content.
 * A benchmark that copies the wrong thing is worse than none.
 */
import { GetItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import type { Item } from '../../model/item.ts';

/**
 * DynamoDB Local's Scan pages cost about as much as the segment they walk
 * (200,000 items: 4 segments 51 s, 64 segments 9 s), so big tables are
 * counted in many small segments, a few at a time.
 */
export async function countItems(client: DynamoDBClient, table: string, segments = 4, concurrency = 8): Promise<number> {
  const countSegment = async (Segment: number): Promise<number> => {
    let count = 0;
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: table, Select: 'COUNT', Segment, TotalSegments: segments, ExclusiveStartKey, ConsistentRead: true }),
      );
      count += page.Count ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey as Item | undefined;
    } while (ExclusiveStartKey);
    return count;
  };
  let next = 0;
  let total = 0;
  const lane = async () => {
    while (next < segments) {
      const counted = await countSegment(next++);
      total += counted;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, segments) }, lane));
  return total;
}

/** How a copied item must relate to its source item. */
export type Expectation = 'identical' | 'transformed';

export interface CheckInput {
  table: string;
  expectedCount: number;
  /** Source items to look up by key, each with whether the case selects it. */
  samples: readonly { item: Item; selected: boolean }[];
  keyAttributes: readonly string[];
  expectation: Expectation;
  /** For 'transformed': attributes (top level or one level into a map) that must differ from the source. */
  changedPaths?: readonly string[];
}

/** Throws with the table, the counts and the key attribute names on any mismatch; never prints an item value. */
export async function checkDestination(client: DynamoDBClient, input: CheckInput): Promise<void> {
  const count = await countItems(client, input.table, Math.min(128, Math.max(4, Math.ceil(input.expectedCount / 5_000))));
  if (count !== input.expectedCount) {
    throw new Error(`destination "${input.table}" holds ${count} items; expected ${input.expectedCount}`);
  }
  for (const [n, { item, selected }] of input.samples.entries()) {
    const Key = Object.fromEntries(input.keyAttributes.map((name) => [name, item[name]!]));
    const { Item: copy } = await client.send(new GetItemCommand({ TableName: input.table, Key, ConsistentRead: true }));
    const where = `destination "${input.table}", sample ${n} (key ${input.keyAttributes.join(', ')})`;
    if (!selected) {
      if (copy) throw new Error(`${where}: an item outside the subset was copied`);
      continue;
    }
    if (!copy) throw new Error(`${where}: missing`);
    if (input.expectation === 'identical' && !isDeepStrictEqual(copy, item)) throw new Error(`${where}: differs from the source item`);
    for (const path of input.changedPaths ?? []) {
      const before = valueAt(item, path);
      if (before !== undefined && isDeepStrictEqual(valueAt(copy as Item, path), before)) throw new Error(`${where}: ${path} was copied unchanged`);
    }
  }
}

function valueAt(item: Item, path: string): unknown {
  const [top, inner] = path.split('.');
  const value = item[top!];
  return inner === undefined ? value : value?.M?.[inner];
}
