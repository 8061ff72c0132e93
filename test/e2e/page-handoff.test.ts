/**
 * copyPages against DynamoDB Local through the SDK's MockActivityEnvironment,
 * one page per call as the workflow runs it with a spent budget: each call
 * leaves the segment's next page to the next call of the same table run,
 * which takes it instead of reading it again (every page is read once), and
 * the copy is exact. The control: calls of different runs take nothing, and
 * every call reads its own first page.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { CopyPagesInput, CopyPagesResult } from '../../src/activities/contracts.ts';
import { makeCopyPages } from '../../src/activities/copy-pages.ts';
import { PageHandoff } from '../../src/activities/page-handoff.ts';
import { PlanCache } from '../../src/activities/plan-cache.ts';
import { CursorSeal } from '../../src/activities/sealed-cursor.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { DynamoClients, createDynamoClient } from '../../src/dynamo/clients.ts';
import { describeTable } from '../../src/dynamo/table-info.ts';
import { tableReadPlan } from '../../src/dynamo/table-read-plan.ts';
import { recreateTable, type TableSpec } from '../../src/local-stack/seed.ts';
import { SecretResolver } from '../../src/secrets/secret-resolver.ts';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../../transformers/js/plan-scripts.ts';
import { directConnections, directTableJob } from '../support/direct-activities.ts';
import { scanAll } from '../support/stack.ts';

const SCHEMA: TableSpec = {
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
};
const ITEMS = 55;
const PAGE = 10;
const quiet = new DefaultLogger('ERROR');

describe('copyPages hands the next page to the next call', () => {
  let endpoint: string;
  let dynamo: DynamoDBClient;
  let clients: DynamoClients;
  let scans = 0;

  beforeAll(() => {
    endpoint = inject('dynamoEndpoint');
    dynamo = createDynamoClient({ endpoint });
    clients = new DynamoClients({ sourceGuard: { onCommand: (name) => void (name === 'ScanCommand' && scans++) } });
  });
  afterAll(() => {
    dynamo?.destroy();
    clients?.destroy();
  });

  async function copyAll(name: string, workflowIdOfCall: (call: number) => string) {
    const [source, destination] = [`${name}Source`, `${name}Dest`];
    const items: Item[] = Array.from({ length: ITEMS }, (_, i) => ({ id: { S: `item-${String(i).padStart(3, '0')}` }, n: { N: String(i) } }));
    await recreateTable(dynamo, source, SCHEMA);
    await recreateTable(dynamo, destination, SCHEMA);
    await writeItems(dynamo, source, items);
    const table = directTableJob(source, destination, { transformers: {}, mode: 'upsert', segments: 1 });
    const handoff = new PageHandoff();
    const copyPages = makeCopyPages({
      clients,
      registry: builtinRegistry,
      plans: new PlanCache(),
      seal: new CursorSeal('page-handoff test'),
      secrets: new SecretResolver(),
      callBudgetMs: 0,
      writeConcurrency: 4,
      readPageLimit: PAGE,
      handoff,
    });
    const input: Omit<CopyPagesInput, 'cursor'> = {
      table,
      connections: directConnections(endpoint),
      defaults: {},
      salt: 'page-handoff-salt',
      keyAttributes: ['id'],
      readPlan: tableReadPlan(table, await describeTable(dynamo, source)).plan,
      segment: 0,
      totalSegments: 1,
      sandbox: DEFAULT_SANDBOX_LIMITS,
      keysAreSensitive: true,
    };
    scans = 0;
    const held: number[] = [];
    let cursor: string | undefined;
    let calls = 0;
    let written = 0;
    do {
      const env = new MockActivityEnvironment({ workflowExecution: { workflowId: workflowIdOfCall(calls), runId: `run-${calls}` } }, { logger: quiet });
      const result: CopyPagesResult = await env.run(copyPages, { ...input, ...(cursor !== undefined ? { cursor } : {}) });
      written += result.counts.written;
      cursor = result.cursor;
      calls++;
      held.push(handoff.size);
    } while (cursor !== undefined);
    const copied = (await scanAll(dynamo, destination)).map((item) => item['id']!.S).sort();
    return { calls, written, scans, held, copied, expected: items.map((item) => item['id']!.S).sort() };
  }

  it('reads every page once when the calls are one run, and copies every item once', async ({ expect }) => {
    const run = await copyAll('Handoff', () => 'copy-Handoff');
    expect(run.calls).toBe(Math.ceil(ITEMS / PAGE));
    expect(run.scans).toBe(run.calls);
    // Each call but the last leaves one page for the next; the last leaves nothing.
    expect(run.held).toEqual([...Array.from({ length: run.calls - 1 }, () => 1), 0]);
    expect(run.written).toBe(ITEMS);
    expect(run.copied).toEqual(run.expected);
  });

  it('takes nothing from another run: each call reads its own first page', async ({ expect }) => {
    const run = await copyAll('HandoffOther', (call) => `copy-HandoffOther-${call}`);
    // The page each call left for its own run's next call is read again by the call that came instead.
    expect(run.scans).toBe(2 * run.calls - 1);
    expect(run.written).toBe(ITEMS);
    expect(run.copied).toEqual(run.expected);
  });
});
