/**
 * "The source is only read": every command a run sends through a source
 * connection is a read, whatever the job asks for (a subset, replace mode,
 * table creation, a stream's changes), and the read-only client refuses
 * writes outright, a change of a stream's settings included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchExecuteStatementCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { startRun } from '../../src/client/runs.ts';
import { DynamoClients } from '../../src/dynamo/clients.ts';
import { guardReadOnly, isSelectStatement } from '../../src/dynamo/read-only-guard.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { connectTestStack, movieKey, scanAll, type TestStack } from '../support/stack.ts';
import { changeSource, incrementalJobYaml, streamItems, streamSpec } from '../support/streams.ts';

const SOURCE = 'ReadOnlyMovies';
const READS = ['DescribeTableCommand', 'ScanCommand', 'QueryCommand', 'ExecuteStatementCommand', 'BatchExecuteStatementCommand', 'BatchGetItemCommand', 'GetItemCommand', 'ListTablesCommand'];
const STREAM_READS = ['ListStreamsCommand', 'DescribeStreamCommand', 'GetShardIteratorCommand', 'GetRecordsCommand'];

describe('the source is only read', () => {
  let stack: TestStack;
  const sent: string[] = [];
  let before: string[];

  beforeAll(async () => {
    const clients = new DynamoClients({ sourceGuard: { onCommand: (name) => sent.push(name) } });
    stack = await connectTestStack('e2e-read-only', { clients, readPageLimit: 400 });
    const movies = (await loadMovies()).slice(0, 1500);
    await seedTable(stack.dynamo, SOURCE, movies);
    before = (await scanAll(stack.dynamo, SOURCE)).map((item) => JSON.stringify(item)).sort();
  });
  afterAll(async () => stack?.close());

  it('sends only reads to the source through a whole run: subset, replace mode, whole collections, a created destination', async () => {
    const job = parseJob(
      [
        'name: read-only',
        `connections: { prod: { endpoint: "${stack.dynamoEndpoint}" }, staging: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: prod',
        'destination: staging',
        'salt: s',
        'tables:',
        `  - source: ${SOURCE}`,
        '    destination: ReadOnlyAll',
        '    mode: replace',
        '    segments: 3',
        `  - source: ${SOURCE}`,
        '    destination: ReadOnlySubset',
        '    where: "info.rating >= 7"',
        '    mode: replace',
        '    createTable: true',
        `  - source: ${SOURCE}`,
        '    destination: ReadOnlyQuery',
        '    where: \'"year" = 2010\'',
        '    createTable: true',
        `  - source: ${SOURCE}`,
        '    destination: ReadOnlyCollections',
        '    where: "info.rating >= 8.5"',
        '    wholeCollections: true',
        '    mode: replace',
        '    createTable: true',
      ].join('\n'),
      'read-only.yaml',
      builtinRegistry,
    );
    await recreateTable(stack.dynamo, 'ReadOnlyAll');
    await stack.dynamo.send(new PutItemCommand({ TableName: 'ReadOnlyAll', Item: { year: { N: '1' }, title: { S: 'stale' } } }));
    const result = await (await startRun(stack.client, job, { taskQueue: stack.taskQueue })).result();

    expect(result.tables.map((t) => t.written)).toEqual([1500, expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(result.tables[3]!.readPlan).toMatch(/^whole collections: roots by Scan, 1 segment, filter from where, then a Query on year per collection$/);
    expect(result.tables[3]!.followed).toBeGreaterThan(0);
    expect(result.tables[0]!.deleted).toBe(1);
    expect(sent.length).toBeGreaterThan(10);
    expect(new Set(sent.filter((name) => !READS.includes(name)))).toEqual(new Set());
    // The source is byte for byte what it was.
    expect((await scanAll(stack.dynamo, SOURCE)).map((item) => JSON.stringify(item)).sort()).toEqual(before);
    expect((await scanAll(stack.dynamo, 'ReadOnlyAll')).map(movieKey).sort()).toEqual(before.map((t) => movieKey(JSON.parse(t))).sort());
  });

  it('reads an incremental table and its stream with reads only, and leaves its stream settings as they were', async () => {
    const source = 'ReadOnlyStreamed';
    await seedTable(stack.dynamo, source, streamItems(200), streamSpec());
    await recreateTable(stack.dynamo, 'ReadOnlyStreamedCopy');
    const job = parseJob(incrementalJobYaml(stack.dynamoEndpoint, 'read-only-incremental', [{ source, destination: 'ReadOnlyStreamedCopy' }]), 'read-only-incremental.yaml', builtinRegistry);
    sent.length = 0;
    await (await startRun(stack.client, job, { taskQueue: stack.taskQueue })).result();
    const seeded = await scanAll(stack.dynamo, source);
    await changeSource(stack.dynamo, source, seeded, 'read-only');
    const changed = (await scanAll(stack.dynamo, source)).map((item) => JSON.stringify(item)).sort();
    const table = (await (await startRun(stack.client, job, { taskQueue: stack.taskQueue })).result()).tables[0]!;
    expect(table.stream?.fallback).toBeUndefined();
    expect(table.records).toBeGreaterThan(0);
    expect(sent).toEqual(expect.arrayContaining(['DescribeStreamCommand', 'GetShardIteratorCommand', 'GetRecordsCommand']));
    expect(new Set(sent.filter((name) => !READS.includes(name) && !STREAM_READS.includes(name)))).toEqual(new Set());
    expect((await scanAll(stack.dynamo, source)).map((item) => JSON.stringify(item)).sort()).toEqual(changed);
    const { Table } = await stack.dynamo.send(new DescribeTableCommand({ TableName: source }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('refuses every write through a source client before it leaves the process', async () => {
    const client: DynamoDBClient = guardReadOnly(createDynamoClient({ endpoint: stack.dynamoEndpoint }));
    const key = { year: { N: '2013' }, title: { S: 'Rush' } };
    const writes = [
      new PutItemCommand({ TableName: SOURCE, Item: key }),
      new DeleteItemCommand({ TableName: SOURCE, Key: key }),
      new UpdateItemCommand({ TableName: SOURCE, Key: key, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': { S: 'x' } } }),
      new BatchWriteItemCommand({ RequestItems: { [SOURCE]: [{ DeleteRequest: { Key: key } }] } }),
      // Enabling, disabling or changing a source's stream is a write like any other.
      new UpdateTableCommand({ TableName: SOURCE, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
      new ExecuteStatementCommand({ Statement: `DELETE FROM "${SOURCE}" WHERE "year" = 2013 AND "title" = 'Rush'` }),
      new ExecuteStatementCommand({ Statement: `SELECT * FROM "${SOURCE}"; DELETE FROM "${SOURCE}"` }),
      new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT * FROM "${SOURCE}" WHERE "year" = 1 AND "title" = 'a'` }, { Statement: `UPDATE "${SOURCE}" SET x = 1 WHERE "year" = 2013 AND "title" = 'Rush'` }] }),
    ];
    for (const command of writes) {
      await expect(client.send(command as never), command.constructor.name).rejects.toThrow(/refused: dynamask only reads from a source connection/);
    }
    client.destroy();
    expect((await scanAll(stack.dynamo, SOURCE)).map((item) => JSON.stringify(item)).sort()).toEqual(before);
  });

  it('knows a SELECT from anything else', () => {
    expect(isSelectStatement('SELECT * FROM "t" WHERE a = \';\'')).toBe(true);
    expect(isSelectStatement('  select a from t')).toBe(true);
    expect(isSelectStatement('SELECT * FROM t; DELETE FROM t')).toBe(false);
    expect(isSelectStatement('INSERT INTO t VALUE {}')).toBe(false);
    expect(isSelectStatement('SELECTx')).toBe(false);
  });
});
