/**
 * Creates tables and loads items on the local stack (demo and tests only:
 * the copy itself never deletes a table, and creates one only with createTable).
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { writeItems } from '../dynamo/batch-writer.ts';
import type { Item } from '../../model/item.ts';
import { MOVIES_KEY_SCHEMA } from './movie-data.ts';

/**
 * A table as CreateTable takes it, less its name: keys and attribute
 * definitions at least; indexes, streams and billing as wanted. On demand
 * unless it says otherwise.
 */
export type TableSpec = Omit<CreateTableCommandInput, 'TableName'> & Required<Pick<CreateTableCommandInput, 'KeySchema' | 'AttributeDefinitions'>>;

/** Drops the table if it exists and creates it anew from the spec, empty and ACTIVE. */
export async function recreateTable(client: DynamoDBClient, table: string, spec: TableSpec = MOVIES_KEY_SCHEMA): Promise<void> {
  await deleteTableIfExists(client, table);
  const billing = spec.BillingMode || spec.ProvisionedThroughput ? {} : { BillingMode: 'PAY_PER_REQUEST' as const };
  await client.send(new CreateTableCommand({ TableName: table, ...billing, ...spec }));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: table });
}

export async function deleteTableIfExists(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: table })).catch((error: unknown) => {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  });
}

export async function seedTable(client: DynamoDBClient, table: string, items: readonly Item[], spec: TableSpec = MOVIES_KEY_SCHEMA): Promise<void> {
  await recreateTable(client, table, spec);
  await writeItems(client, table, items, { concurrency: 8 });
}
