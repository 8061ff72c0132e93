/**
 * "Never write to a source", held on the worker: destination clients refuse
 * every request naming a table the job reads on the same database. These
 * tests try to get around the loader's check the ways it cannot see (a
 * second connection to the same DynamoDB Local under another host name, a
 * job started by hand, a copy started without the list of guarded tables)
 * and see each refused with the source byte for byte unchanged, while
 * writes elsewhere through the same clients go through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import type { Job } from '../../model/job.ts';
import type { Item } from '../../model/item.ts';
import { startRun } from '../../src/client/runs.ts';
import { DynamoClients } from '../../src/dynamo/clients.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import { textsOf } from '../support/canary.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const SOURCE = 'GuardSource';
const OTHER_SOURCE = 'GuardOtherSource';
const REFUSED = /refused: table "GuardSource" is a source of this job on the same database \(endpoint http:\/\/localhost:\d+\); dynamask never writes to a source/;

const items = (prefix: string): Item[] =>
  Array.from({ length: 60 }, (_, i) => ({ year: { N: String(2000 + (i % 10)) }, title: { S: `${prefix}-${i}` }, name: { S: `Person ${i}` } }));

describe('destination clients refuse the source tables of their job', () => {
  let stack: TestStack;
  let before: string[];
  /** The same DynamoDB Local as `stack.dynamoEndpoint`, under its other loopback name. */
  let alias: string;

  const snapshot = async () => (await scanAll(stack.dynamo, SOURCE)).map((item) => JSON.stringify(item)).sort();

  /** A valid job, then changed the way the loader would refuse: table 1 writes into table 0's source through `alias`. */
  function jobPastTheLoader(): Job {
    const job = parseJob(
      [
        'name: guard-past-the-loader',
        `connections: { prod: { endpoint: "${stack.dynamoEndpoint}" }, alias: { endpoint: "http://localhost:1" } }`,
        'source: prod',
        'destination: alias',
        'salt: { env: GUARD_TEST_SALT_UNUSED }',
        'tables:',
        `  - source: ${SOURCE}`,
        '    destination: GuardCopy',
        `  - source: ${OTHER_SOURCE}`,
        '    destination: GuardElsewhere',
      ].join('\n'),
      'guard.yaml',
      builtinRegistry,
    );
    job.connections.alias = { endpoint: alias };
    job.tables[1]!.destination = SOURCE;
    return job;
  }

  beforeAll(async () => {
    stack = await connectTestStack('e2e-destination-guard', { readPageLimit: 20 });
    const url = new URL(stack.dynamoEndpoint);
    url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    alias = url.toString();
    expect(alias).not.toBe(stack.dynamoEndpoint);
    process.env.GUARD_TEST_SALT_UNUSED = 'guard-salt';
    await seedTable(stack.dynamo, SOURCE, items('source'));
    await seedTable(stack.dynamo, OTHER_SOURCE, items('other'));
    await recreateTable(stack.dynamo, 'GuardCopy');
    before = await snapshot();
  });
  afterAll(async () => {
    delete process.env.GUARD_TEST_SALT_UNUSED;
    await stack?.close();
  });

  it('refuses each kind of write through a second connection to the same endpoint, and lets others through', async () => {
    const clients = new DynamoClients();
    try {
      const destination = clients.destination('alias', { endpoint: alias }, [{ table: SOURCE, connection: { endpoint: stack.dynamoEndpoint } }]);
      const key = { year: { N: '2001' }, title: { S: 'source-1' } };
      const writes = [
        new PutItemCommand({ TableName: SOURCE, Item: { ...key, name: { S: 'overwritten' } } }),
        new DeleteItemCommand({ TableName: SOURCE, Key: key }),
        new UpdateItemCommand({ TableName: SOURCE, Key: key, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'x' } } }),
        new BatchWriteItemCommand({ RequestItems: { [SOURCE]: [{ DeleteRequest: { Key: key } }] } }),
        new CreateTableCommand({ TableName: SOURCE, KeySchema: [{ AttributeName: 'year', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'year', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST' }),
      ];
      for (const command of writes) await expect(destination.send(command as never), command.constructor.name).rejects.toThrow(REFUSED);
      // The same client writes where it may: the guard is about the source, not the connection.
      await destination.send(new PutItemCommand({ TableName: 'GuardCopy', Item: { ...key, name: { S: 'fine' } } }));
      expect(await scanAll(stack.dynamo, 'GuardCopy')).toHaveLength(1);
      // A table of that name on another database (an AWS region) is not this database's: the write goes through.
      const elsewhere = clients.destination('other', { endpoint: stack.dynamoEndpoint }, [{ table: 'GuardCopy', connection: { region: 'us-west-2' } }]);
      await elsewhere.send(new PutItemCommand({ TableName: 'GuardCopy', Item: { year: { N: '2002' }, title: { S: 'also-fine' } } }));
    } finally {
      clients.destroy();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('fails a run whose job got past the loader, naming the refusal, and leaves the source as it was', async () => {
    const job = jobPastTheLoader();
    const handle = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
    const error = await handle.result().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, 'the run should fail').toBeDefined();
    const text = textsOf(error).join('\n');
    expect(text).toMatch(/SourceWriteRefused/);
    expect(text).toMatch(REFUSED);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a copy started without the job's list of sources: its own source is always guarded", async () => {
    const job = jobPastTheLoader();
    const table = { ...job.tables[0]!, destination: SOURCE, destinationConnection: 'alias' };
    const handle = await stack.client.workflow.start<typeof copyTable>('copyTable', {
      taskQueue: stack.taskQueue,
      workflowId: `guard-own-source-${Date.now()}`,
      args: [{ jobName: job.name, table, connections: job.connections, defaults: job.defaults, sandbox: job.sandbox, keysAreSensitive: true }],
    });
    const error = await handle.result().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(textsOf(error).join('\n')).toMatch(REFUSED);
    expect(await snapshot()).toEqual(before);
  });
});
