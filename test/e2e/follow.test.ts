/**
 * Following (`dynamask follow`) on the real local stack: a follower copies
 * the table, then tails its stream; changes made in the source (inserts,
 * modifies into, out of and within the subset, deletes) reach the
 * destination within seconds, which must then equal a fresh full copy
 * (found by polling the destination, never by a timed sleep); its progress
 * shows the changes applied and the lag; it continues as new while it
 * follows; `dynamask stop` completes it with its report and leaves a
 * checkpoint, from which a scheduled run applies exactly the changes made
 * after it. Small calls (a 1.5 s follow budget, 4 calls a run) keep it fast.
 * And the command's ways out: Ctrl-C detaches (or with `--worker` stops),
 * `dynamask stop` ends an ordinary run too, and a job with nothing to
 * follow is refused.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { findJobLockHolder, runProgress, startRun } from '../../src/client/runs.ts';
import { formatStatus, runStatus } from '../../src/cli/status.ts';
import { runJobFile } from '../../src/cli/run-job.ts';
import { stopRun } from '../../src/cli/stop-command.ts';
import { temporalTarget } from '../../src/temporal/connection.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { checkpointQuery, streamCheckpointWorkflowId } from '../../workflows/stream-checkpoint.ts';
import { copyTableWorkflowId } from '../../workflows/shared.ts';
import { dynamaskInProcess } from '../support/in-process-cli.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';
import { changeSource, contentOf, incrementalJobYaml, keyOf, streamItems, streamSpec } from '../support/streams.ts';

const SOURCE = 'FollowSource';
const ITEMS = 300;

// The cases side by side, each with tables, a job and a task queue of its own; each uses its test's own expect.
describe.concurrent('following a stream', () => {
  let stack: TestStack;
  const yaml = (name: string, tables: Parameters<typeof incrementalJobYaml>[2]) => incrementalJobYaml(stack.dynamoEndpoint, name, tables);
  const job = (name: string, tables: Parameters<typeof incrementalJobYaml>[2]) => parseJob(yaml(name, tables), `${name}.yaml`, builtinRegistry);
  /** A full copy of the same job into a table of its own: what the follower's destination must equal. */
  const freshCopy = async () => {
    await recreateTable(stack.dynamo, 'FollowFresh');
    await (await startRun(stack.client, job('follow-fresh', [{ source: SOURCE, destination: 'FollowFresh', mode: 'upsert' }]), { taskQueue: stack.taskQueue })).result();
    return contentOf(await scanAll(stack.dynamo, 'FollowFresh'));
  };
  const destination = async () => contentOf(await scanAll(stack.dynamo, 'FollowCopy'));
  /**
   * Puts, modifies and deletes that each make one stream record (changeSource, run twice, repeats some
   * updates exactly, and DynamoDB writes no record for an update that changes nothing): how many.
   */
  const distinctChanges = async () => {
    const current = await scanAll(stack.dynamo, SOURCE);
    const puts = streamItems(8, 'after');
    for (const item of puts) await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: item }));
    for (const [i, item] of current.slice(0, 6).entries()) {
      await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: { ...item, status: { S: i % 2 === 0 ? 'active' : 'old' }, extra: { S: `after ${i}` } } }));
    }
    for (const item of current.slice(6, 10)) await stack.dynamo.send(new DeleteItemCommand({ TableName: SOURCE, Key: keyOf(item) }));
    return puts.length + 6 + 4;
  };

  beforeAll(async () => {
    stack = await connectTestStack('e2e-follow', { readPageLimit: 100, callBudgetMs: 0, followBudgetMs: 1_500 });
  });
  afterAll(async () => stack?.close());

  it('keeps the destination a fresh full copy within seconds, continues as new, and leaves a checkpoint a scheduled run resumes from', async ({ expect }) => {
    const items = streamItems(ITEMS, 'follow');
    await seedTable(stack.dynamo, SOURCE, items, streamSpec());
    await recreateTable(stack.dynamo, 'FollowCopy');
    const j = job('follow', [{ source: SOURCE, destination: 'FollowCopy' }]);
    const handle = await startRun(stack.client, j, { taskQueue: stack.taskQueue, follow: true, limits: { callsPerRun: 4 } });
    const table = async () => (await runProgress(stack.client.workflow, handle.workflowId))?.[0];

    // The baseline copy, then the seeding's own records replayed (harmless) from the position taken before it.
    // Caught up: a call that ran out of time behind unread records says how far behind it was; one at the end says 0.
    await expect
      .poll(async () => table(), { timeout: 60_000, interval: 200 })
      .toMatchObject({ records: ITEMS, stream: { following: true, fallback: 'first run: no checkpoint yet', lagMs: 0 } });
    expect(await destination()).toEqual(await freshCopy());

    // One change, timed from its write to its copy in the destination.
    const [first] = items.filter((item) => item.status!.S === 'active');
    const writtenAt = performance.now();
    await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: { ...first!, note: { S: 'picked up' } } }));
    await expect
      .poll(async () => (await stack.dynamo.send(new GetItemCommand({ TableName: 'FollowCopy', Key: keyOf(first!), ConsistentRead: true }))).Item?.note?.S, { timeout: 15_000, interval: 100 })
      .toBe('picked up');
    console.log(`follow: one change reached the destination ${((performance.now() - writtenAt) / 1000).toFixed(1)} s after its write`);

    // A day of changes while it follows: the destination catches up with them, and the progress counts every record.
    const now = await scanAll(stack.dynamo, SOURCE);
    const changes = 1 + (await changeSource(stack.dynamo, SOURCE, now, 'while'));
    const fresh = await freshCopy();
    await expect.poll(destination, { timeout: 30_000, interval: 200 }).toEqual(fresh);
    await expect.poll(async () => (await table())?.records, { timeout: 30_000, interval: 200 }).toBe(ITEMS + changes);
    const status = formatStatus(await runStatus(stack.client, handle.workflowId));
    expect(status).toMatch(new RegExp(`following: ${ITEMS + changes} changes applied, lag \\d+\\.\\ds`));

    // Continued as new while following: a new run of the table's workflow.
    const tableWorkflow = stack.client.workflow.getHandle(copyTableWorkflowId(handle.workflowId, 0, SOURCE));
    const followingRun = (await tableWorkflow.describe()).runId;
    await expect.poll(async () => (await tableWorkflow.describe()).runId, { timeout: 30_000, interval: 300 }).not.toBe(followingRun);

    // Caught up again: its last call ended at the end of the shard.
    await expect.poll(async () => (await table())?.stream?.lagMs, { timeout: 30_000, interval: 200 }).toBe(0);

    // Stopped: it completes with its report, the changes it applied and its lag when it stopped.
    const stopAt = performance.now();
    const stopped = await stopRun(stack.client, handle.workflowId);
    console.log(`stop: the follower completed ${((performance.now() - stopAt) / 1000).toFixed(1)} s after dynamask stop`);
    expect(stopped.state).toBe('completed');
    // Its last call was waited for, not abandoned: it had ended (canceled, or done) before the table's workflow completed.
    const lastRun = await stack.client.workflow.getHandle(tableWorkflow.workflowId, (await tableWorkflow.describe()).runId).fetchHistory();
    const events = lastRun.events ?? [];
    const applyCalls = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyShardChanges').map((e) => String(e.eventId));
    const ended = new Set(
      events.flatMap((e) => {
        const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskCanceledEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
        return closed?.scheduledEventId != null ? [String(closed.scheduledEventId)] : [];
      }),
    );
    // A follower is in a call nearly all the time (an idle one waits up to a minute for records), so the stop meets one.
    console.log(`stop: ${events.filter((e) => e.activityTaskCancelRequestedEventAttributes).length} call(s) in flight were canceled and waited for`);
    expect(applyCalls.filter((id) => !ended.has(id)), 'calls left running when the follower completed').toEqual([]);
    const report = stopped.report!.tables[0]!;
    expect(report.stream).toMatchObject({ following: true, lagMs: 0 });
    expect(report.records).toBe(ITEMS + changes);
    const checkpoint = await stack.client.workflow.getHandle(streamCheckpointWorkflowId(j.name, j.tables[0]!)).query(checkpointQuery);
    expect(checkpoint?.shards.some((s) => s.sequenceNumber !== undefined)).toBe(true);
    await expect.poll(async () => findJobLockHolder(stack.client, j.name), { timeout: 10_000 }).toBeUndefined();

    // Changes after it stopped: a scheduled run applies those, and only those, from the follower's checkpoint.
    const after = await distinctChanges();
    const next = (await (await startRun(stack.client, j, { taskQueue: stack.taskQueue })).result()).tables[0]!;
    expect(next.stream?.fallback).toBeUndefined();
    expect(next.read, 'nothing scanned').toBe(0);
    expect(next.records).toBe(after);
    expect(await destination()).toEqual(await freshCopy());
  }, 240_000);

  it('dynamask stop also ends an ordinary run whose table has continued as new, deleting nothing', async ({ expect }) => {
    const source = 'StopSource';
    await seedTable(stack.dynamo, source, streamItems(2_000, 'stop'), streamSpec());
    await recreateTable(stack.dynamo, 'StopCopy');
    await stack.dynamo.send(new PutItemCommand({ TableName: 'StopCopy', Item: { year: { N: '1' }, title: { S: 'stray' } } }));
    const handle = await startRun(stack.client, job('stop', [{ source, destination: 'StopCopy', mode: 'replace' }]), { taskQueue: stack.taskQueue, limits: { callsPerRun: 1 } });
    const tableWorkflow = stack.client.workflow.getHandle(copyTableWorkflowId(handle.workflowId, 0, source));
    await expect.poll(async () => (await runProgress(stack.client.workflow, handle.workflowId))?.[0]?.written ?? 0, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    const firstRun = (await tableWorkflow.describe()).raw.workflowExecutionInfo?.firstRunId;
    // Progress shows during the first call, before its run continues as new: wait for the new run.
    await expect.poll(async () => (await tableWorkflow.describe()).runId, { message: 'continued as new (a call a run)', timeout: 30_000, interval: 100 }).not.toBe(firstRun);
    const stopAt = performance.now();
    const stopped = await stopRun(stack.client, handle.workflowId);
    console.log(`stop: an ordinary run whose table continues as new every call closed ${((performance.now() - stopAt) / 1000).toFixed(1)} s after dynamask stop`);
    expect(stopped).toMatchObject({ stopped: true, state: 'failed' });
    expect(stopped.failure).toMatch(/StopSource.*canceled/);
    expect((await tableWorkflow.describe()).status.name).toBe('CANCELLED');
    expect((await scanAll(stack.dynamo, 'StopCopy')).some((item) => item.title?.S === 'stray'), 'a canceled replace prunes nothing').toBe(true);
  });

  it('refuses to follow a job without an incremental table, before starting anything', async ({ expect }) => {
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-follow-'));
    const file = join(dir, 'upsert.yaml');
    await writeFile(file, yaml('follow-upsert', [{ source: SOURCE, destination: 'FollowUpsert', mode: 'upsert' }]));
    const outcome = await dynamaskInProcess(['follow', file]);
    expect(outcome.code).toBe(2);
    expect(outcome.output).toContain('dynamask follow needs a table with mode: incremental');
  });

  // This case and the next set DYNAMASK_TASK_QUEUE for the CLI code they run in this process: one at a time, after the others.
  it('dynamask follow shows the changes applied; Ctrl-C detaches and the follower goes on until stopped', { concurrent: false }, async ({ expect }) => {
    const source = 'FollowCliSource';
    await seedTable(stack.dynamo, source, streamItems(40, 'cli'), streamSpec());
    await recreateTable(stack.dynamo, 'FollowCliCopy');
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-follow-'));
    const file = join(dir, 'follow-cli.yaml');
    await writeFile(file, yaml('follow-cli', [{ source, destination: 'FollowCliCopy' }]));
    // A terminal: every answer of the progress query is drawn, not one line per log interval.
    const shown = { text: '', isTTY: true, columns: 400, write(text: string) { this.text += text; } };
    const interrupt = new AbortController();
    const queue = process.env.DYNAMASK_TASK_QUEUE;
    process.env.DYNAMASK_TASK_QUEUE = stack.taskQueue;
    try {
      const target = temporalTarget({ address: inject('temporalAddress'), namespace: inject('temporalNamespace') });
      const following = runJobFile(file, target, { follow: true, interrupt: interrupt.signal }, shown);
      await expect.poll(() => shown.text, { timeout: 60_000, interval: 200 }).toMatch(/FollowCliSource -> FollowCliCopy +running .*following: 40 changes applied, lag 0\.0s/);
      interrupt.abort();
      const outcome = await following;
      expect(outcome).toMatchObject({ detached: true });
      expect((await runStatus(stack.client, outcome.workflowId)).state, 'detached, not stopped').toBe('running');
      const stopped = await stopRun(stack.client, outcome.workflowId);
      expect(stopped.state).toBe('completed');
      expect(formatStatus(stopped)).toMatch(/following: 40 changes applied, lag 0\.0s/);
    } finally {
      if (queue === undefined) delete process.env.DYNAMASK_TASK_QUEUE;
      else process.env.DYNAMASK_TASK_QUEUE = queue;
    }
  });

  it('dynamask follow --worker: Ctrl-C stops the follower (its worker is this process) and prints its report', { concurrent: false, timeout: 180_000 }, async ({ expect }) => {
    const source = 'FollowWorkerSource';
    await seedTable(stack.dynamo, source, streamItems(30, 'worker'), streamSpec());
    await recreateTable(stack.dynamo, 'FollowWorkerCopy');
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-follow-'));
    const file = join(dir, 'follow-worker.yaml');
    await writeFile(file, yaml('follow-worker', [{ source, destination: 'FollowWorkerCopy' }]));
    const shown = { text: '', isTTY: true, columns: 400, write(text: string) { this.text += text; } };
    const interrupt = new AbortController();
    const queue = process.env.DYNAMASK_TASK_QUEUE;
    // A queue no other worker polls: the follower runs on the worker of `--worker` alone.
    process.env.DYNAMASK_TASK_QUEUE = `e2e-follow-worker-${Date.now()}`;
    try {
      const target = temporalTarget({ address: inject('temporalAddress'), namespace: inject('temporalNamespace') });
      const following = runJobFile(file, target, { follow: true, worker: true, interrupt: interrupt.signal }, shown);
      await expect.poll(() => shown.text, { timeout: 120_000, interval: 200 }).toMatch(/following: 30 changes applied, lag 0\.0s/);
      interrupt.abort();
      const outcome = await following;
      expect('result' in outcome && outcome.result.tables[0]).toMatchObject({ records: 30, stream: { following: true, lagMs: 0 } });
      expect((await runStatus(stack.client, outcome.workflowId)).state).toBe('completed');
    } finally {
      if (queue === undefined) delete process.env.DYNAMASK_TASK_QUEUE;
      else process.env.DYNAMASK_TASK_QUEUE = queue;
    }
  });
});
