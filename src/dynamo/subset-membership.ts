/**
 * Which of a page of keys a job's table selects from its source, asked with
 * read-only calls that return keys and nothing else:
 *
 * - without a WHERE, BatchGetItem of the keys (100 a request, key attributes
 *   projected): a key is selected when its item exists;
 * - with a WHERE, PartiQL `SELECT <keys> FROM "t" WHERE <hash> IN [...] AND
 *   (<where>)` over the partitions the keys fall in (see keysMatching).
 *   BatchExecuteStatement cannot help: DynamoDB refuses any condition beyond
 *   the key there ("Only single item select is supported").
 */
import { BatchGetItemCommand, ExecuteStatementCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Item } from '../../model/item.ts';
import { quoteIdentifier } from './partiql-reader.ts';

const GET_BATCH_SIZE = 100;

export interface SubsetSpec {
  table: string;
  /** PartiQL condition, as the copy appends it after WHERE. */
  where?: string;
  consistentRead: boolean;
  /** The where picks roots, and every item of a root's partition is selected. */
  wholeCollections?: boolean;
}

export interface MembershipOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts for one BatchGetItem's UnprocessedKeys before giving up. */
  maxAttempts?: number;
  abortSignal?: AbortSignal;
}

export class UnprocessedKeysError extends Error {
  override name = 'UnprocessedKeysError';
  constructor(table: string, remaining: number, attempts: number) {
    super(`${remaining} key(s) of table "${table}" were still unprocessed by BatchGetItem after ${attempts} attempts (throttled?)`);
  }
}

/** One flag per key, in order: true when the source's subset holds it. */
export async function keysInSubset(
  client: DynamoDBClient,
  spec: SubsetSpec,
  keyAttributes: readonly string[],
  keys: readonly Item[],
  options: MembershipOptions = {},
): Promise<boolean[]> {
  if (spec.where === undefined) return existingKeys(client, spec, keyAttributes, keys, options);
  if (spec.wholeCollections !== true) return keysMatching(client, spec, spec.where, keyAttributes, keys, options);
  const [exists, rooted] = await Promise.all([
    existingKeys(client, spec, keyAttributes, keys, options),
    keysMatching(client, spec, spec.where, keyAttributes.slice(0, 1), keys, options),
  ]);
  return keys.map((_, i) => exists[i]! && rooted[i]!);
}

/** PartiQL takes at most this many values in an IN on the partition key. */
const PARTITIONS_PER_STATEMENT = 50;

/**
 * The statement that returns the keys of the subset within some partitions;
 * its parameters are the partition key values. The parentheses keep an OR
 * in the job's condition from escaping the partition restriction.
 */
export function buildMembershipStatement(table: string, keyAttributes: readonly string[], where: string, partitions: number): string {
  const keys = keyAttributes.map(quoteIdentifier);
  const slots = Array.from({ length: partitions }, () => '?').join(', ');
  return `SELECT ${keys.join(', ')} FROM ${quoteIdentifier(table)} WHERE ${keys[0]} IN [${slots}] AND (${where})`;
}

/**
 * With a WHERE: the subset's keys within the partitions the page's keys fall
 * in, by PartiQL with the partition key pinned (a Query per partition, never
 * a scan). A destination page comes from a Scan, which returns partitions
 * whole, so this reads about as many keys as the page holds. (One statement
 * per key, with the sort key pinned too, scanned the whole table on
 * DynamoDB Local: O(n^2) for a prune.)
 */
async function keysMatching(
  client: DynamoDBClient,
  spec: SubsetSpec,
  where: string,
  keyAttributes: readonly string[],
  keys: readonly Item[],
  options: MembershipOptions,
): Promise<boolean[]> {
  const send = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const hash = keyAttributes[0]!;
  const partitions = [...new Map(keys.map((key) => [keyId(key, [hash]), key[hash]!])).values()];
  const selected = new Set<string>();
  const chunks = Math.ceil(partitions.length / PARTITIONS_PER_STATEMENT);
  await inLanes(chunks, options.concurrency ?? 4, async (c) => {
    const Parameters = partitions.slice(c * PARTITIONS_PER_STATEMENT, (c + 1) * PARTITIONS_PER_STATEMENT);
    const Statement = buildMembershipStatement(spec.table, keyAttributes, where, Parameters.length);
    let NextToken: string | undefined;
    do {
      const output = await client.send(new ExecuteStatementCommand({ Statement, Parameters, ConsistentRead: spec.consistentRead, NextToken }), send);
      for (const item of output.Items ?? []) selected.add(keyId(item as Item, keyAttributes));
      NextToken = output.NextToken;
    } while (NextToken);
  });
  return keys.map((key) => selected.has(keyId(key, keyAttributes)));
}

async function existingKeys(
  client: DynamoDBClient,
  spec: SubsetSpec,
  keyAttributes: readonly string[],
  keys: readonly Item[],
  options: MembershipOptions,
): Promise<boolean[]> {
  const names = Object.fromEntries(keyAttributes.map((name, i) => [`#k${i}`, name]));
  const position = new Map<string, number>();
  keys.forEach((key, i) => position.set(keyId(key, keyAttributes), i));
  const found = new Array<boolean>(keys.length).fill(false);
  const batches = Math.ceil(keys.length / GET_BATCH_SIZE);
  const maxAttempts = options.maxAttempts ?? 12;

  await inLanes(batches, options.concurrency ?? 4, async (b) => {
    let pending: Item[] = keys.slice(b * GET_BATCH_SIZE, (b + 1) * GET_BATCH_SIZE);
    for (let attempt = 1; ; attempt++) {
      const output = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [spec.table]: {
              Keys: pending,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
              ConsistentRead: spec.consistentRead,
            },
          },
        }),
        options.abortSignal ? { abortSignal: options.abortSignal } : {},
      );
      for (const item of output.Responses?.[spec.table] ?? []) {
        const at = position.get(keyId(item as Item, keyAttributes));
        if (at !== undefined) found[at] = true;
      }
      pending = (output.UnprocessedKeys?.[spec.table]?.Keys ?? []) as Item[];
      if (pending.length === 0) return;
      if (attempt >= maxAttempts) throw new UnprocessedKeysError(spec.table, pending.length, attempt);
      await sleep(Math.random() * Math.min(5_000, 50 * 2 ** attempt), undefined, options.abortSignal ? { signal: options.abortSignal } : {});
    }
  });
  return found;
}

/**
 * Matches BatchGetItem's answers (in no particular order) to the keys asked.
 * Both sides come from DynamoDB, which hands numbers back in one normalized
 * form, so the text of an N compares as its value.
 */
function keyId(item: Item, keyAttributes: readonly string[]): string {
  return JSON.stringify(
    keyAttributes.map((name) => {
      const value = item[name];
      if (value?.S !== undefined) return ['S', value.S];
      if (value?.N !== undefined) return ['N', value.N];
      if (value?.B !== undefined) return ['B', Buffer.from(value.B).toString('base64')];
      return ['?'];
    }),
  );
}

async function inLanes(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), count) }, lane));
}
