/**
 * `mode: replace` through the copyTable workflow: after a complete run the
 * destination holds exactly the run's subset (stale items and items that
 * left the subset are deleted); a run that fails midway deletes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { renderTableFailure, tableFailureOf } from '../../model/failure.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import type { CopyTableInput } from '../../workflows/shared.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const SOURCE = 'ReplaceSource';
const PAGE = 20;
// The movie table's key schema (year N, title S) serves any table here.
const key = (item: Item) => `${item.year!.N}|${item.title!.S}`;

/** 200 items; every fourth one is 'old', so the subset `status = 'active'` holds 150. */
function sourceItems(): Item[] {
  return Array.from({ length: 200 }, (_, i) => ({
    year: { N: String(1900 + (i % 40)) },
    title: { S: `replace-title-${String(i).padStart(4, '0')}` },
    status: { S: i % 4 === 0 ? 'old' : 'active' },
    email: { S: `person${i}@example.com` },
  }));
}

/** What a previous run left: keys the source no longer has, and copies of items that have since left the subset. */
function staleItems(source: Item[]): Item[] {
  const gone = Array.from({ length: 30 }, (_, i) => ({ year: { N: '1850' }, title: { S: `stale-title-${String(i).padStart(4, '0')}` }, email: { S: 'x@example.com' } }));
  const leftSubset = source.filter((item) => item.status!.S === 'old').map((item) => ({ ...item, status: { S: 'active' } }));
  return [...gone, ...leftSubset];
}

describe('mode: replace', () => {
  let stack: TestStack;
  let input: (destination: string, overrides?: string) => CopyTableInput;
  let source: Item[];
  let subsetKeys: string[];

  beforeAll(async () => {
    stack = await connectTestStack('e2e-replace-mode', { readPageLimit: PAGE, callBudgetMs: 0 });
    source = sourceItems();
    subsetKeys = source.filter((item) => item.status!.S === 'active').map(key).sort();
    await seedTable(stack.dynamo, SOURCE, source);
    input = (destination, overrides = '') => {
      const yaml = [
        'name: replace-mode',
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        'salt: s',
        'tables:',
        `  - source: ${SOURCE}`,
        `    destination: ${destination}`,
        '    mode: replace',
        `    where: "status = 'active'"`,
        '    transformers: { email: email }',
        overrides,
      ].join('\n');
      const job = parseJob(yaml, 'replace-mode.yaml', builtinRegistry);
      return { jobName: job.name, table: job.tables[0]!, connections: job.connections, defaults: job.defaults, salt: 's', sandbox: job.sandbox, keysAreSensitive: true };
    };
  });
  afterAll(async () => stack?.close());

  it('deletes, after a complete copy, every destination item outside the subset', async () => {
    const destination = 'ReplaceComplete';
    await recreateTable(stack.dynamo, destination);
    const stale = staleItems(source);
    await writeItems(stack.dynamo, destination, stale);
    const sourceBefore = await scanAll(stack.dynamo, SOURCE);

    const handle = await stack.client.workflow.start<typeof copyTable>('copyTable', {
      taskQueue: stack.taskQueue,
      workflowId: `replace-complete-${Date.now()}`,
      args: [input(destination, '    segments: 2')],
    });
    const report = await handle.result();

    expect(report).toMatchObject({ mode: 'replace', read: 150, written: 150, deleted: stale.length });
    expect((await scanAll(stack.dynamo, destination)).map(key).sort()).toEqual(subsetKeys);
    expect(await scanAll(stack.dynamo, SOURCE)).toEqual(sourceBefore);
    // Prune cursors are sealed: no key of a deleted item shows in the history.
    const history = JSON.stringify(await handle.fetchHistory(), (_, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value));
    expect(history).toContain('pruneDestination');
    expect(history).not.toContain('stale-title-');
    expect(history).not.toContain('replace-title-');
  });

  it('deletes nothing when the run fails midway', async () => {
    const destination = 'ReplaceFailed';
    await recreateTable(stack.dynamo, destination);
    const stale = staleItems(source);
    await writeItems(stack.dynamo, destination, stale);
    // An item the copy reads last (in scan order) gets a number where its transformer takes strings: the run fails on its last page.
    const scanned = (await stack.dynamo.send(new ScanCommand({ TableName: SOURCE, ConsistentRead: true, FilterExpression: '#s = :a', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':a': { S: 'active' } } }))).Items as Item[];
    const last = scanned[scanned.length - 1]!;
    await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: { ...last, email: { N: '42' } } }));
    try {
      const run = stack.client.workflow.execute<typeof copyTable>('copyTable', {
        taskQueue: stack.taskQueue,
        workflowId: `replace-failed-${Date.now()}`,
        args: [input(destination, '    segments: 1')],
      });
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkflowFailedError);
      // The table's failure travels as a record; its message is that record rendered.
      const failed = (error as WorkflowFailedError).cause as ApplicationFailure;
      const failure = tableFailureOf(failed.details?.[0]);
      expect(failure).toMatchObject({ source: SOURCE, destination, phase: 'copy', reason: 'TransformFailed', path: 'email', counts: { deleted: 0 } });
      expect(failed.message).toBe(renderTableFailure(failure!));
      expect(failed.message).toMatch(/^table "ReplaceSource" -> "ReplaceFailed" failed while copying, after \d+ items read and \d+ written: email: transformer "email" accepts S, SS; got N$/);
      const written = failure!.counts.written;
      expect(written).toBeGreaterThanOrEqual(100);

      const left = (await scanAll(stack.dynamo, destination)).map(key);
      for (const item of stale) expect(left).toContain(key(item));
      // Stale items stay, next to what the copy wrote before it failed.
      expect(left.length).toBe(stale.length + written);
    } finally {
      await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: last }));
    }
  });
});
