/**
 * Items by key with BatchGetItem: 100 keys a request, a few requests in
 * flight, UnprocessedKeys asked again with jittered backoff. Answers come in
 * no particular order and without the missing keys; they are matched back
 * to the keys asked, so the result lines up with `keys`.
 */
import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { numberKey } from '../../model/decimal.ts';
import type { Item } from '../../model/item.ts';

export const GET_BATCH_SIZE = 100;

export interface GetItemsOptions {
  consistentRead?: boolean;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts for one request's UnprocessedKeys before giving up. */
  maxAttempts?: number;
}

export class UnprocessedGetKeysError extends Error {
  override name = 'UnprocessedGetKeysError';
  constructor(table: string, remaining: number, attempts: number) {
    super(`${remaining} key(s) of table "${table}" were still unprocessed by BatchGetItem after ${attempts} attempts (throttled?)`);
  }
}

/** One entry per key, in order: the item, or undefined when the table has none with that key. */
export async function getItems(client: DynamoDBClient, table: string, keyAttributes: readonly string[], keys: readonly Item[], options: GetItemsOptions = {}): Promise<(Item | undefined)[]> {
  const found = new Map<string, Item>();
  const batches: Item[][] = [];
  // BatchGetItem refuses a request that asks for one key twice.
  const unique = [...new Map(keys.map((key) => [keyId(key, keyAttributes), pick(key, keyAttributes)])).values()];
  for (let i = 0; i < unique.length; i += GET_BATCH_SIZE) batches.push(unique.slice(i, i + GET_BATCH_SIZE));
  const maxAttempts = options.maxAttempts ?? 12;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      let pending = batches[next++]!;
      for (let attempt = 1; ; attempt++) {
        const output = await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: options.consistentRead ?? false } } }));
        for (const item of (output.Responses?.[table] ?? []) as Item[]) found.set(keyId(item, keyAttributes), item);
        pending = (output.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
        if (pending.length === 0) break;
        if (attempt >= maxAttempts) throw new UnprocessedGetKeysError(table, pending.length, attempt);
        await sleep(Math.random() * Math.min(5_000, 50 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, batches.length) }, lane));
  return keys.map((key) => found.get(keyId(key, keyAttributes)));
}

function pick(item: Item, names: readonly string[]): Item {
  return Object.fromEntries(names.map((name) => [name, item[name]!]));
}

/** DynamoDB hands numbers back normalized (`1.50` comes back as `1.5`): an N is compared by its value. */
export function keyId(item: Item, keyAttributes: readonly string[]): string {
  return JSON.stringify(
    keyAttributes.map((name) => {
      const value = item[name];
      if (value?.S !== undefined) return ['S', value.S];
      if (value?.N !== undefined) return ['N', numberKey(value.N)];
      if (value?.B !== undefined) return ['B', Buffer.from(value.B).toString('base64')];
      return ['?'];
    }),
  );
}
