/**
 * Puts items with BatchWriteItem: requests of 25, several in flight, and the
 * UnprocessedItems of each request sent again with exponential backoff and
 * full jitter until none are left. Puts are idempotent, so a page written
 * twice after a retry leaves the same destination.
 *
 * Given the table's key attributes, items of one call that share a key are
 * put once, the later one (what puts one after the other would leave), and
 * counted: DynamoDB refuses a request that holds one key twice.
 */
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Item } from '../../model/item.ts';
import { primaryKeyText } from '../../model/item-key.ts';
import { spreadOverPartitions } from './partition-spread.ts';
import type { Limiter } from './rate-limiter.ts';

export const BATCH_SIZE = 25;

export interface BatchWriteOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts for one request's leftovers before giving up. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  abortSignal?: AbortSignal;
  /** Items per second this writer may put (its share of the table's writeRateLimit). */
  limiter?: Limiter;
}

export interface PutOptions extends BatchWriteOptions {
  /** The table's hash and range key attribute names: items of one call that share a key are refused, or put once. */
  keyAttributes?: readonly string[];
  /**
   * Items of one call that share a key: `refuse` (default) throws
   * DuplicateKeysError before anything is sent; `keepLast` puts the later
   * one and counts the others.
   */
  duplicates?: 'refuse' | 'keepLast';
  /**
   * Given the key attributes, puts go out one partition key at a time in
   * turn (partition-spread.ts) unless this is false: the bench's baseline.
   */
  spreadPartitions?: boolean;
}

/** Items of one call share a key, and the caller did not allow it. Names the key attributes, never their values. */
export class DuplicateKeysError extends Error {
  override name = 'DuplicateKeysError';
  readonly duplicates: number;
  constructor(duplicates: number, keyAttributes: readonly string[]) {
    super(
      `${duplicates} item(s) of one page have the same destination key (${keyAttributes.join(', ')}) as another, and the job does not allow key collisions; nothing of the page was written`,
    );
    this.duplicates = duplicates;
  }
}

export interface WriteResult {
  /** Items put. */
  written: number;
  /** Items not put because a later item of the same call has their key. */
  duplicates: number;
}

export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
  readonly remaining: number;
  constructor(table: string, remaining: number, attempts: number) {
    super(`${remaining} item(s) for table "${table}" were still unprocessed after ${attempts} attempts (throttled?)`);
    this.remaining = remaining;
  }
}

/** Writes every item (one per key, given the key attributes). */
export async function writeItems(client: DynamoDBClient, table: string, items: readonly Item[], options: PutOptions = {}): Promise<WriteResult> {
  const unique = options.keyAttributes === undefined ? items : lastPerKey(items, options.keyAttributes);
  if (unique.length < items.length && (options.duplicates ?? 'refuse') === 'refuse') throw new DuplicateKeysError(items.length - unique.length, options.keyAttributes!);
  const ordered = options.keyAttributes?.[0] !== undefined && options.spreadPartitions !== false ? spreadOverPartitions(unique, options.keyAttributes[0]) : unique;
  await sendWriteRequests(client, table, ordered.map((Item) => ({ PutRequest: { Item } })), options);
  return { written: unique.length, duplicates: items.length - unique.length };
}

function lastPerKey(items: readonly Item[], keyAttributes: readonly string[]): readonly Item[] {
  const byKey = new Map<string, Item>();
  for (const item of items) byKey.set(primaryKeyText(item, keyAttributes), item);
  return byKey.size === items.length ? items : [...byKey.values()];
}

/**
 * Sends put or delete requests in BatchWriteItem requests of 25, `concurrency`
 * in flight, each request's UnprocessedItems retried until none are left.
 */
export async function sendWriteRequests(client: DynamoDBClient, table: string, requests: readonly WriteRequest[], options: BatchWriteOptions = {}): Promise<void> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      await writeBatch(client, table, batch, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, lane));
}

async function writeBatch(client: DynamoDBClient, table: string, requests: WriteRequest[], options: BatchWriteOptions): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 12;
  const base = options.baseDelayMs ?? 50;
  const cap = options.maxDelayMs ?? 5_000;
  let pending = requests;
  for (let attempt = 1; ; attempt++) {
    await options.limiter?.take(pending.length, options.abortSignal);
    const output = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    pending = output.UnprocessedItems?.[table] ?? [];
    if (pending.length === 0) return;
    if (attempt >= maxAttempts) throw new UnprocessedItemsError(table, pending.length, attempt);
    await sleep(Math.random() * Math.min(cap, base * 2 ** attempt), undefined, options.abortSignal ? { signal: options.abortSignal } : {});
  }
}
