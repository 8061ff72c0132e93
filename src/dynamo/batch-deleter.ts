/**
 * Deletes items by key with BatchWriteItem DeleteRequests, sent the way
 * batch-writer.ts sends puts. Deleting a key that is already gone succeeds,
 * so a page deleted twice after a retry is harmless.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sendWriteRequests, type BatchWriteOptions } from './batch-writer.ts';
import type { Item } from '../../model/item.ts';

/** Deletes every key (each holding exactly the table's key attributes); resolves with the number of keys sent. */
export async function deleteKeys(client: DynamoDBClient, table: string, keys: readonly Item[], options: BatchWriteOptions = {}): Promise<number> {
  await sendWriteRequests(client, table, keys.map((Key) => ({ DeleteRequest: { Key } })), { concurrency: 4, ...options });
  return keys.length;
}
