/**
 * What the run's shape relies on in Temporal (workflows/refresh-job.ts,
 * run-tables.ts): the job's lock is a child of refreshJob, which never
 * continues as new, while the tables' child continues as new as often as
 * its history needs. So the lock stays held while that child goes from run
 * to run (a second run of the job is refused then too), and terminating the
 * run ends everything at once: Temporal's parent-close policy terminates
 * the lock and the tables' child in its latest run, and that one's
 * copyTable children in turn; the job can run again straight away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { findJobLockHolder, runProgress, startRun } from '../../src/client/runs.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { copyTableWorkflowId, jobLockWorkflowId, tablesWorkflowId } from '../../workflows/shared.ts';
import { connectTestStack, type TestStack } from '../support/stack.ts';

const JOB = 'run-chain';
const TABLES = 8;
const ITEMS = 60;

describe('a run whose tables child continues as new', () => {
  let stack: TestStack;
  const sources = Array.from({ length: TABLES }, (_, i) => `ChainSource${i}`);

  beforeAll(async () => {
    // One item per call: each table takes a few seconds, long enough to be caught running.
    stack = await connectTestStack(`e2e-run-chain-${Date.now()}`, { readPageLimit: 1, callBudgetMs: 0 });
    for (const source of sources) {
      const items: Item[] = Array.from({ length: ITEMS }, (_, i) => ({ year: { N: String(2000 + (i % 10)) }, title: { S: `${source} ${i}` } }));
      await seedTable(stack.dynamo, source, items);
      await recreateTable(stack.dynamo, `${source}Copy`);
    }
  });
  afterAll(async () => stack?.close());

  it('keeps the lock across the continue-as-new, and frees it with everything else when the run is terminated', async () => {
    const jobOf = (tableNames: string[]) =>
      parseJob(
        `name: ${JOB}\nconnections: { local: { endpoint: "${stack.dynamoEndpoint}" } }\nsource: local\ndestination: local\nsalt: s\ntables:\n${tableNames.map((s) => `  - { source: ${s}, destination: ${s}Copy, segments: 1 }`).join('\n')}\n`,
        'run-chain.yaml',
        builtinRegistry,
      );
    const job = jobOf(sources);
    // A history limit that lets one table run at a time and a few per run of the tables' child.
    const run = await startRun(stack.client, job, { taskQueue: stack.taskQueue, limits: { historyLimit: 460 } });
    const tablesChild = stack.client.workflow.getHandle(tablesWorkflowId(run.workflowId));

    // Wait until the tables' child is in a later run, with a table copying in it.
    let running = -1;
    await expect
      .poll(
        async () => {
          const description = await tablesChild.describe().catch(() => undefined);
          const progress = await runProgress(stack.client.workflow, run.workflowId).catch(() => undefined);
          running = progress?.findIndex((t) => t.status === 'running') ?? -1;
          return description !== undefined && description.runId !== description.raw.workflowExecutionInfo?.firstRunId && running >= 0;
        },
        { timeout: 180_000, interval: 250 },
      )
      .toBe(true);

    // The lock is still the run's, and a second run is refused by it.
    expect((await findJobLockHolder(stack.client, JOB))?.holder).toBe(run.workflowId);
    const second = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
    await expect(second.result()).rejects.toMatchObject({ cause: { type: 'JobLocked' } });

    const copy = stack.client.workflow.getHandle(copyTableWorkflowId(run.workflowId, running, sources[running]!));
    const lockRunId = (await stack.client.workflow.getHandle(jobLockWorkflowId(JOB)).describe()).runId;
    expect((await copy.describe()).status.name).toBe('RUNNING');
    await run.terminate('test: the run ends from outside');

    // Parent-close policies are applied by the server shortly after the run closes.
    const status = async (handle: { describe(): Promise<{ status: { name: string } }> }) => (await handle.describe()).status.name;
    await expect.poll(() => status(stack.client.workflow.getHandle(jobLockWorkflowId(JOB), lockRunId)), { timeout: 30_000 }).toBe('TERMINATED');
    await expect.poll(() => status(tablesChild), { timeout: 30_000 }).toBe('TERMINATED');
    await expect.poll(() => status(copy), { timeout: 30_000 }).toBe('TERMINATED');
    expect(await findJobLockHolder(stack.client, JOB)).toBeUndefined();

    // The job (its lock is by name) runs again at once, and this time to the end: with one
    // of its tables, so that the end comes after 60 calls of one item rather than 480.
    const again = await startRun(stack.client, jobOf([sources[0]!]), { taskQueue: stack.taskQueue });
    const result = await again.result();
    expect(result.tables.map((t) => [t.source, t.read, t.written])).toEqual([[sources[0], ITEMS, ITEMS]]);
  }, 420_000);
});
