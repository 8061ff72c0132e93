/**
 * `createTable: true`: a missing destination is created in the source's
 * image (keys, attribute definitions, secondary indexes) so that every item
 * the copy writes fits it, including index keys.
 *
 * On-demand billing, because the source's provisioned figures were sized for
 * production traffic, not for a copy; no stream, because nothing downstream
 * of a copy should fire. Tags, TTL, point-in-time recovery, encryption
 * settings and resource policies are not copied: they need their own calls
 * and permissions, and are a deployment's business.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

export interface CreateTableLikeOptions {
  abortSignal?: AbortSignal;
  /** How long to wait for the new table to become ACTIVE; default 10 minutes (indexes make creation slow on AWS). */
  maxWaitSeconds?: number;
}

/**
 * Creates `destinationTable` like `sourceTable` unless it exists. Sends only
 * DescribeTable to the source. A table that exists (or that another creator
 * wins the race for) is left as it is: 'exists', once it is ACTIVE.
 * Rejects with the SDK's ResourceNotFoundException when the source is missing.
 */
export async function createTableLike(
  source: DynamoDBClient,
  sourceTable: string,
  destination: DynamoDBClient,
  destinationTable: string,
  options: CreateTableLikeOptions = {},
): Promise<'created' | 'exists'> {
  const send = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const existing = await describeOrUndefined(destination, destinationTable, send);
  if (existing) {
    // A table another run is still creating rejects writes until it is ACTIVE.
    if (existing.TableStatus === 'CREATING') await waitUntilActive(destination, destinationTable, options);
    return 'exists';
  }

  const { Table } = await source.send(new DescribeTableCommand({ TableName: sourceTable }), send);
  if (!Table) throw new Error(`DescribeTable returned no description for source table "${sourceTable}"`);
  let outcome: 'created' | 'exists' = 'created';
  try {
    await destination.send(new CreateTableCommand(createTableInput(Table, destinationTable)), send);
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    outcome = 'exists';
  }
  await waitUntilActive(destination, destinationTable, options);
  return outcome;
}

/** The CreateTable request that reproduces a table's keys and indexes under another name. */
export function createTableInput(source: TableDescription, tableName: string): CreateTableCommandInput {
  const gsis = (source.GlobalSecondaryIndexes ?? []).filter((index) => index.IndexStatus !== 'DELETING');
  const lsis = source.LocalSecondaryIndexes ?? [];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: source.KeySchema,
    // DescribeTable lists exactly the attributes that some key or index uses, which is what CreateTable wants.
    AttributeDefinitions: source.AttributeDefinitions,
    ...(gsis.length > 0
      ? {
          GlobalSecondaryIndexes: gsis.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }
      : {}),
    ...(lsis.length > 0
      ? {
          LocalSecondaryIndexes: lsis.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }
      : {}),
  };
}

async function describeOrUndefined(client: DynamoDBClient, table: string, send: { abortSignal?: AbortSignal }): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }), send)).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, table: string, options: CreateTableLikeOptions): Promise<void> {
  await waitUntilTableExists(
    {
      client,
      maxWaitTime: options.maxWaitSeconds ?? 600,
      minDelay: 1,
      maxDelay: 10,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    },
    { TableName: table },
  );
}
