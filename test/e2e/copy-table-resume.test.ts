/**
 * copyTable over many small pages: continueAsNew between calls, and an
 * activity attempt that fails mid-table resuming from its last heartbeat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { DynamoClients } from '../../src/dynamo/clients.ts';
import type { GuardedTable } from '../../src/dynamo/destination-guard.ts';
import type { ConnectionConfig } from '../../model/job.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import type { CopyTableInput } from '../../workflows/shared.ts';
import { connectTestStack, movieKey, scanAll, type TestStack } from '../support/stack.ts';
import { historyText } from '../support/run-history.ts';

const SOURCE = 'ResumeMovies';
const PAGE = 500;

const READS = new Set(['ScanCommand', 'QueryCommand', 'ExecuteStatementCommand']);

/** Counts page reads, and fails one BatchWriteItem once, as a dropped connection would. */
class FlakyClients extends DynamoClients {
  statements = 0;
  batchWrites = 0;
  failOnBatchWrite = -1;
  readonly #patched = new WeakSet<DynamoDBClient>();

  override source(name: string, connection: ConnectionConfig): DynamoDBClient {
    return this.#flaky(super.source(name, connection));
  }

  override destination(name: string, connection: ConnectionConfig, sources: readonly GuardedTable[]): DynamoDBClient {
    return this.#flaky(super.destination(name, connection, sources));
  }

  #flaky(client: DynamoDBClient): DynamoDBClient {
    if (!this.#patched.has(client)) {
      this.#patched.add(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (READS.has(context.commandName ?? '')) this.statements++;
          if (context.commandName === 'BatchWriteItemCommand' && ++this.batchWrites === this.failOnBatchWrite) {
            throw new Error('injected: connection reset');
          }
          return next(args);
        },
        { step: 'initialize', name: 'flaky' },
      );
    }
    return client;
  }
}

describe('copyTable paging, continueAsNew and resume', () => {
  let stack: TestStack;
  let input: (destination: string) => CopyTableInput;
  let sourceKeys: string[];
  const clients = new FlakyClients();

  beforeAll(async () => {
    stack = await connectTestStack('e2e-resume', { clients, readPageLimit: PAGE, callBudgetMs: 0 });
    const movies = await loadMovies();
    sourceKeys = movies.map(movieKey).sort();
    await seedTable(stack.dynamo, SOURCE, movies);
    const yaml = `name: resume\nconnections: { local: { endpoint: "${stack.dynamoEndpoint}" } }\nsource: local\ndestination: local\nsalt: s\ntables:\n  - source: ${SOURCE}\n    destination: ResumePlaceholder\n    segments: 1\n    transformers: { "info.actors": fullName }\n`;
    const job = parseJob(yaml, 'resume.yaml', builtinRegistry);
    input = (destination) => ({ jobName: job.name, table: { ...job.tables[0]!, destination }, connections: job.connections, defaults: job.defaults, salt: 's', sandbox: job.sandbox, keysAreSensitive: true });
  });
  afterAll(async () => stack?.close());

  it('continues as new every few calls and still copies every item exactly once', async () => {
    const destination = 'ResumeCopyA';
    await recreateTable(stack.dynamo, destination);
    const handle = await stack.client.workflow.start<typeof copyTable>('copyTable', {
      taskQueue: stack.taskQueue,
      workflowId: `resume-can-${Date.now()}`,
      args: [{ ...input(destination), callsPerRun: 2 }],
    });
    const report = await handle.result();
    expect(report).toMatchObject({ read: 4609, written: 4609 });
    expect((await scanAll(stack.dynamo, destination)).map(movieKey).sort()).toEqual(sourceKeys);

    const firstRun = stack.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    const history = await firstRun.fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    // No item value travels through Temporal: an actor's name is nowhere in the history.
    expect(historyText(history)).toContain(SOURCE);
    expect(historyText(history)).not.toContain('Chris Hemsworth');
    // Nor does a key value: cursors are sealed. Long titles only, so a common word cannot match by chance.
    const text = historyText(history);
    const leaked = sourceKeys.map((key) => key.split('|').slice(1).join('|')).filter((title) => title.length >= 14 && text.includes(title));
    expect(leaked).toEqual([]);
  });

  it('resumes a failed attempt from its last heartbeat, without reading a page twice or miscounting', async () => {
    const destination = 'ResumeCopyB';
    await recreateTable(stack.dynamo, destination);
    const resuming = await connectTestStack('e2e-resume-heartbeat', { clients, readPageLimit: PAGE, callBudgetMs: 600_000 });
    try {
      clients.statements = 0;
      clients.batchWrites = 0;
      // Page 5's writes start after 4 pages of 20 batches each.
      clients.failOnBatchWrite = 4 * (PAGE / 25) + 1;
      const report = await stack.client.workflow.execute<typeof copyTable>('copyTable', {
        taskQueue: resuming.taskQueue,
        workflowId: `resume-heartbeat-${Date.now()}`,
        args: [input(destination)],
      });
      expect(report).toMatchObject({ read: 4609, written: 4609 });
      expect((await scanAll(stack.dynamo, destination)).map(movieKey).sort()).toEqual(sourceKeys);
      const pages = Math.ceil(4609 / PAGE);
      // The failed page and the one read ahead of it are read again; the four before them are not.
      expect(clients.statements).toBe(pages + 2);
    } finally {
      clients.failOnBatchWrite = -1;
      await resuming.close();
    }
  });
});
