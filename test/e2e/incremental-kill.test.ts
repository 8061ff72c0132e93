/**
 * "Nothing is lost" for mode incremental: the worker is killed with SIGKILL
 * while it applies a stream's changes (small GetRecords pages, one long
 * call), a new worker takes over from the call's last heartbeat, and the
 * destination still ends as a fresh full copy of the source makes it: every
 * item's last change applied, none lost, none applied out of order (each
 * busy item's counter went up ten times; an earlier value winning would
 * show). Takes a little over the apply activity's heartbeat timeout, which
 * the runs set to its least (10 s, page-activities.ts).
 */
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Client, Connection, type WorkflowExecutionDescription } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { startRun as startRunOf } from '../../src/client/runs.ts';
import { MIN_HEARTBEAT_TIMEOUT_MS } from '../../workflows/page-activities.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { copyTableWorkflowId } from '../../workflows/shared.ts';
import { retriedActivityAttempts, runExecutions } from '../support/run-history.ts';
import { scanAll } from '../support/stack.ts';
import { contentOf, incrementalJobYaml, keyOf, streamItems, streamSpec } from '../support/streams.ts';
import { isAlive, killAllWorkers, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

const SOURCE = 'IncrKillSource';
const startRun = (client: Client, job: Parameters<typeof startRunOf>[1], options: { taskQueue: string }) =>
  startRunOf(client, job, { ...options, limits: { heartbeatTimeoutMs: MIN_HEARTBEAT_TIMEOUT_MS } });
const ITEMS = 120;
const ROUNDS = 10;

describe('a worker killed with SIGKILL while it applies stream changes', () => {
  const endpoint = inject('dynamoEndpoint');
  const dynamo = createDynamoClient({ endpoint });
  let connection: Connection;
  let client: Client;
  const workers: WorkerProcess[] = [];
  const taskQueue = `e2e-incremental-kill-${Date.now()}`;
  const job = (destination: string, mode?: string) => parseJob(incrementalJobYaml(endpoint, mode ? 'incremental-kill-fresh' : 'incremental-kill', [{ source: SOURCE, destination, ...(mode && { mode }) }]), 'k.yaml', builtinRegistry);

  const start = (name: string) => {
    const worker = spawnWorker({
      temporalAddress: inject('temporalAddress'),
      temporalNamespace: inject('temporalNamespace'),
      taskQueue,
      workflowBundlePath: inject('workflowBundlePath'),
      // Pages of 5 records in one call of up to a minute: the kill lands in the middle of the call.
      activities: { streamPageLimit: 5, callBudgetMs: 60_000 },
      env: { DYNAMASK_CURSOR_KEY: 'incremental-kill-test' },
    });
    workers.push(worker);
    onTestFailed(() => console.log(`--- ${name} worker (pid ${worker.pid}) output ---\n${worker.output()}`));
    return worker;
  };

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, namespace: inject('temporalNamespace') });
    await seedTable(dynamo, SOURCE, streamItems(ITEMS, 'kill'), streamSpec());
    await recreateTable(dynamo, 'IncrKillCopy');
    await recreateTable(dynamo, 'IncrKillFresh');
  });
  afterAll(async () => {
    await killAllWorkers();
    expect(workers.filter((w) => isAlive(w.pid)).map((w) => w.pid)).toEqual([]);
    await connection?.close();
    dynamo.destroy();
  });

  it('lets a new worker finish applying: the destination equals a fresh full copy, every last change applied', async () => {
    const first = start('first');
    await first.ready;
    const incremental = job('IncrKillCopy');
    await (await startRun(client, incremental, { taskQueue })).result();

    // Ten rounds over every item: each a MODIFY, in or out of the subset by turns. An item's
    // rounds go one after another (their order is what the test checks); the items of a round at once.
    const items = streamItems(ITEMS, 'kill');
    for (let round = 1; round <= ROUNDS; round++) {
      await inBatches(items.entries(), 25, async ([i, item]) => {
        await dynamo.send(
          new UpdateItemCommand({
            TableName: SOURCE,
            Key: keyOf(item),
            UpdateExpression: 'SET #s = :s, rounds = :r',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': { S: (i + round) % 4 === 0 ? 'old' : 'active' }, ':r': { N: String(round) } },
          }),
        );
      });
    }

    const handle = await startRun(client, incremental, { taskQueue });
    const copy = client.workflow.getHandle(copyTableWorkflowId(handle.workflowId, 0, SOURCE));
    await expect.poll(async () => heartbeatedSinceStart(await copy.describe().catch(() => undefined)), { timeout: 60_000, interval: 50 }).toBe(true);
    await first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = start('second');
    await second.ready;
    const table = (await handle.result()).tables[0]!;
    expect(table.stream?.fallback).toBeUndefined();
    // The retry resumes position and counts from the last heartbeat: what it replays after it is counted once.
    expect(table.records).toBe(ITEMS * ROUNDS);

    await (await startRun(client, job('IncrKillFresh', 'upsert'), { taskQueue })).result();
    const applied = await scanAll(dynamo, 'IncrKillCopy');
    expect(contentOf(applied)).toEqual(contentOf(await scanAll(dynamo, 'IncrKillFresh')));
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.filter((item) => item.rounds?.N !== String(ROUNDS)).length, 'items whose last change lost to an earlier one').toBe(0);

    const retried = retriedActivityAttempts(await runExecutions(client, taskQueue, handle.workflowId));
    expect(retried, 'the kill cut an apply call short').toBeGreaterThan(0);
    console.log(`[incremental-kill] ${ITEMS * ROUNDS} changes; ${table.records} records read after the kill and retry; activity attempts retried: ${retried}`);
  }, 420_000);
});

async function inBatches<T>(values: Iterable<T>, size: number, each: (value: T) => Promise<void>): Promise<void> {
  const all = [...values];
  for (let i = 0; i < all.length; i += size) await Promise.all(all.slice(i, i + size).map(each));
}

/** Whether the table's pending applyShardChanges call has heartbeated in its current attempt. */
function heartbeatedSinceStart(description: WorkflowExecutionDescription | undefined): boolean {
  const call = description?.raw.pendingActivities?.find((activity) => activity.activityType?.name === 'applyShardChanges');
  if (!call?.lastHeartbeatTime || !call.lastStartedTime) return false;
  const ms = (ts: { seconds?: unknown; nanos?: number | null }) => Number(ts.seconds ?? 0) * 1_000 + (ts.nanos ?? 0) / 1e6;
  return ms(call.lastHeartbeatTime) >= ms(call.lastStartedTime);
}
