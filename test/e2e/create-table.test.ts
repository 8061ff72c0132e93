/**
 * createTableLike against DynamoDB Local: a destination made in the source's
 * image (keys, attribute definitions, GSI and LSI with their projections),
 * on-demand and without a stream; an existing table left alone; a race
 * between two creators; and nothing but DescribeTable sent to the source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { createTableLike } from '../../src/dynamo/create-table.ts';
import { deleteTableIfExists, recreateTable } from '../../src/local-stack/seed.ts';

const SOURCE = 'CreateLikeSource';

describe('createTableLike', () => {
  let source: DynamoDBClient;
  let destination: DynamoDBClient;
  const sourceCommands: string[] = [];

  beforeAll(async () => {
    const endpoint = inject('dynamoEndpoint');
    // Two clients, as a job with two connections has; only the source one is watched.
    source = createDynamoClient({ endpoint });
    destination = createDynamoClient({ endpoint });
    source.middlewareStack.add(
      (next, context) => async (args) => {
        sourceCommands.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    await recreateTable(destination, SOURCE, {
      // Provisioned and streamed, so that the copy visibly drops both.
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'email', AttributeType: 'S' },
        { AttributeName: 'created', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'blob', AttributeType: 'B' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byEmail',
          KeySchema: [
            { AttributeName: 'email', KeyType: 'HASH' },
            { AttributeName: 'created', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['name', 'plan'] },
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 },
        },
        {
          IndexName: 'byBlob',
          KeySchema: [{ AttributeName: 'blob', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'status', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  afterAll(() => {
    source?.destroy();
    destination?.destroy();
  });

  it('creates a missing destination with the source keys, attribute definitions and indexes, on demand, without a stream', async () => {
    const name = 'CreateLikeCopy';
    await deleteTableIfExists(destination, name);
    sourceCommands.length = 0;

    expect(await createTableLike(source, SOURCE, destination, name)).toBe('created');

    expect(sourceCommands).toEqual(['DescribeTableCommand']);
    const want = await describeTable(destination, SOURCE);
    const got = await describeTable(destination, name);
    expect(got.TableStatus).toBe('ACTIVE');
    expect(shape(got)).toEqual(shape(want));
    expect(got.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(got.ProvisionedThroughput?.ReadCapacityUnits ?? 0).toBe(0);
    for (const index of got.GlobalSecondaryIndexes ?? []) expect(index.ProvisionedThroughput?.ReadCapacityUnits ?? 0).toBe(0);
    expect(got.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    expect(got.LatestStreamArn).toBeUndefined();
    // The source keeps what it had: its description is read, never changed.
    expect(want.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe('PROVISIONED');
    expect(want.StreamSpecification?.StreamEnabled).toBe(true);
  });

  it('leaves an existing destination as it is, whatever its shape, without asking the source', async () => {
    const name = 'CreateLikeExisting';
    await recreateTable(destination, name, {
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    });
    const before = await describeTable(destination, name);
    sourceCommands.length = 0;

    expect(await createTableLike(source, SOURCE, destination, name)).toBe('exists');
    expect(await createTableLike(source, SOURCE, destination, name)).toBe('exists');

    expect(sourceCommands).toEqual([]);
    expect(await describeTable(destination, name)).toEqual(before);
  });

  it('counts losing a race to another creator as exists', async () => {
    const name = 'CreateLikeRace';
    await deleteTableIfExists(destination, name);
    const outcomes = await Promise.all([
      createTableLike(source, SOURCE, destination, name),
      createTableLike(source, SOURCE, destination, name),
      createTableLike(source, SOURCE, destination, name),
    ]);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'exists')).toHaveLength(2);
    expect(shape(await describeTable(destination, name))).toEqual(shape(await describeTable(destination, SOURCE)));
  });

  it('rejects with ResourceNotFoundException when the source is missing, and creates nothing', async () => {
    const name = 'CreateLikeNoSource';
    await deleteTableIfExists(destination, name);
    await expect(createTableLike(source, 'CreateLikeNoSuchTable', destination, name)).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(describeTable(destination, name)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

async function describeTable(client: DynamoDBClient, table: string): Promise<TableDescription> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  return Table!;
}

/** What the copy must reproduce, in an order-independent form. */
function shape(table: TableDescription) {
  const byName = <T extends { AttributeName?: string | undefined }>(list: T[] | undefined) =>
    [...(list ?? [])].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!));
  const indexes = (list: { IndexName?: string; KeySchema?: unknown; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] } }[] | undefined) =>
    [...(list ?? [])]
      .map((index) => ({
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
        Projection: { ProjectionType: index.Projection?.ProjectionType, NonKeyAttributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort() },
      }))
      .sort((a, b) => a.IndexName!.localeCompare(b.IndexName!));
  return {
    KeySchema: table.KeySchema,
    AttributeDefinitions: byName(table.AttributeDefinitions),
    GlobalSecondaryIndexes: indexes(table.GlobalSecondaryIndexes),
    LocalSecondaryIndexes: indexes(table.LocalSecondaryIndexes),
  };
}
