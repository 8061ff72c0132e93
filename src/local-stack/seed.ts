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

export type KeySchemaSpec = Required<Pick<CreateTableCommandInput, 'KeySchema' | 'AttributeDefinitions'>>;

export async function recreateTable(client: DynamoDBClient, table: string, schema: KeySchemaSpec = MOVIES_KEY_SCHEMA): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: table })).catch((error: unknown) => {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  });
  await client.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', ...schema }));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: table });
}

export async function seedTable(client: DynamoDBClient, table: string, items: readonly Item[], schema: KeySchemaSpec = MOVIES_KEY_SCHEMA): Promise<void> {
  await recreateTable(client, table, schema);
  await writeItems(client, table, items, { concurrency: 8 });
}
