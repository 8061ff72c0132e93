/**
 * What a person sees of a run outside the terminal's summary: its search
 * attributes, summary and details in Temporal, `dynamask status`, the job
 * lock that refuses a second run, and no item value anywhere in history.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { main } from '../../src/cli/main.ts';
import { explainRunFailure, findJobLockHolder, JobAlreadyRunningError, runDetails, startRun } from '../../src/client/runs.ts';
import type { Item } from '../../model/item.ts';
import type { Job } from '../../model/job.ts';
import { loadJobFile } from '../../src/job/job-loader.ts';
import { seedTable, recreateTable } from '../../src/local-stack/seed.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from '../../workflows/search-attributes.ts';
import { jobLockWorkflowId, progressQuery } from '../../workflows/shared.ts';
import type { refreshJob } from '../../workflows/refresh-job.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';
import { historyText } from '../support/run-history.ts';

const JOB = 'visibility';
const SOURCE = 'VisibilitySource';
const DESTINATION = 'VisibilityCopy';
/** In every source item's non-key attribute; must never show up in Temporal. */
const MARKER = 'qx7-VISIBILITY-MARKER-91f';
/** Enough small pages, one per activity call, that the run lasts several seconds (~10 s here): the lock and `status` need it running. */
const ITEMS = 2000;
const SELECTED = ITEMS / 2;
/** 42s, 1m03s. */
const ELAPSED = '(\\d+m)?\\d+s';

function sourceItems(): Item[] {
  return Array.from({ length: ITEMS }, (_, i) => ({
    year: { N: String(2000 + (i % 20)) },
    title: { S: `title ${i}` },
    note: { S: `${MARKER} ${i}` },
  }));
}

/** Runs the CLI's main in this process, with what it prints. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
  try {
    const code = await main(['node', 'dynamask', ...args]);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** What probe gives once it gives something: Temporal's visibility and queries catch up within moments. */
function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`timed out waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: 200 },
  );
}

describe('a run as Temporal and `dynamask status` show it', () => {
  let stack: TestStack;
  let job: Job;
  let jobFile: string;
  let run: WorkflowHandle<typeof refreshJob>;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    stack = await connectTestStack('e2e-visibility', { readPageLimit: 40, callBudgetMs: 0 });
    // What `main` reads: the test stack's Temporal, this file's task queue, the job's endpoint.
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      DYNAMASK_TASK_QUEUE: stack.taskQueue,
      DYNAMASK_LOCAL_ENDPOINT: stack.dynamoEndpoint,
    });
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-visibility-'));
    jobFile = join(dir, 'visibility.yaml');
    await writeFile(
      jobFile,
      [
        `name: ${JOB}`,
        'connections:',
        '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }',
        'source: local',
        'destination: local',
        'tables:',
        `  - source: ${SOURCE}`,
        `    destination: ${DESTINATION}`,
        `    where: '"year" >= 2010'`,
        '',
      ].join('\n'),
    );
    job = await loadJobFile(jobFile, builtinRegistry);
    await seedTable(stack.dynamo, SOURCE, sourceItems());
    await recreateTable(stack.dynamo, DESTINATION);
    run = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await stack?.close();
  });

  it('carries its job and tables as search attributes, and a summary and details of job text', async () => {
    expect(run.workflowId).toMatch(/^dynamask\/visibility\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const description = await run.describe();
    expect(description.typedSearchAttributes.get(DYNAMASK_JOB)).toBe(JOB);
    expect(description.typedSearchAttributes.get(DYNAMASK_TABLE)).toEqual([SOURCE]);
    expect(await description.staticSummary()).toBe(`${JOB}: ${SOURCE} -> ${DESTINATION} where \`"year" >= 2010\``);
    expect(await description.staticDetails()).toBe(runDetails(job));
    expect(await description.staticDetails()).toContain(`| \`${SOURCE}\` on local | \`${DESTINATION}\` on local | \`"year" >= 2010\` | upsert | 0 |`);
    expect(description.memo ?? {}).toEqual({});

    // Visibility is eventually consistent: the list catches up within moments.
    const listed = await eventually('the run in a DynamaskJob list query', async () => {
      for await (const execution of stack.client.workflow.list({ query: `DynamaskJob = "${JOB}" AND WorkflowType = "refreshJob"` })) {
        if (execution.workflowId === run.workflowId) return execution;
      }
      return undefined;
    });
    expect(listed.typedSearchAttributes.get(DYNAMASK_TABLE)).toEqual([SOURCE]);
  });

  it('answers `dynamask status` from the progress query while the run goes', async () => {
    // The run answers once it holds the job lock.
    await eventually('a progress answer', () => run.query(progressQuery).catch(() => undefined));
    const { code, stdout, stderr } = await cli('status', run.workflowId);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [head, line, ...rest] = stdout.split('\n');
    expect(head).toMatch(new RegExp(`^${escape(run.workflowId)}: running for ${ELAPSED}$`));
    expect(line).toMatch(new RegExp(`^  ${SOURCE} -> ${DESTINATION}  (pending|running) +\\d+ read +\\d+ written +(\\d+|-) items/s +(${ELAPSED}|-)`));
    expect(rest).toEqual([]);

    const json = JSON.parse((await cli('status', '--json', run.workflowId)).stdout);
    expect(json).toMatchObject({ workflowId: run.workflowId, job: JOB, status: 'running', tables: [{ source: SOURCE, destination: DESTINATION }] });
  });

  it('refuses a second run of the job while the first holds the lock, before starting it and in the workflow', async () => {
    const holder = await eventually('the job lock', () => findJobLockHolder(stack.client, JOB));
    expect(holder.holder).toBe(run.workflowId);
    const started = holder.startTime.toISOString().replace(/\.\d{3}Z$/, 'Z');

    const { code, stderr } = await cli('run', '--worker', jobFile);
    expect(code).toBe(1);
    expect(stderr).toBe(`dynamask: job "${JOB}" is already running as ${run.workflowId} (started ${started}); not starting another`);

    // Two runs started back to back past the check: the workflow refuses the second, and the CLI says the same.
    const second = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
    const failure = await second.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure, 'the second run completed instead of being refused').toBeDefined();
    const explained = await explainRunFailure(stack.client, JOB, second.workflowId, failure);
    expect(explained).toBeInstanceOf(JobAlreadyRunningError);
    expect((explained as Error).message).toBe(`job "${JOB}" is already running as ${run.workflowId} (started ${started}); not starting another`);
    // Both refusals happened while the first run was still going, or they prove nothing.
    expect((await run.describe()).status.name).toBe('RUNNING');
  });

  it('answers `dynamask status` from the result once the run completed, and exits 2 for an unknown ID', async () => {
    const result = await run.result();
    expect(result.tables[0]).toMatchObject({ read: SELECTED, written: SELECTED });

    const { code, stdout } = await cli('status', run.workflowId);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${escape(run.workflowId)}: completed in ${ELAPSED}$`)),
      expect.stringMatching(new RegExp(`^  ${SOURCE} -> ${DESTINATION}  completed  ${SELECTED} read  ${SELECTED} written  \\d+ items/s  ${ELAPSED}  \\S`)),
      // A closed run's report carries its privacy report: counts per path, and the paths the job does not name.
      '  privacy report:',
      `    ${SOURCE} -> ${DESTINATION}: values per path (counts only)`,
      expect.stringMatching(/^ +path +transformer +values +type mismatches$/),
      expect.stringMatching(new RegExp(`^ +note +characterScramble \\(default\\) +${SELECTED} +0$`)),
      '      paths the job does not name: note',
    ]);
    const json = JSON.parse((await cli('status', '--json', run.workflowId)).stdout);
    expect(json).toMatchObject({ workflowId: run.workflowId, job: JOB, status: 'completed', tables: [{ status: 'completed', read: SELECTED, written: SELECTED, deleted: 0, mode: 'upsert' }] });

    const unknown = await cli('status', 'dynamask/no-such-job/2020-01-01T00:00:00.000Z');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`dynamask: no workflow with ID "dynamask/no-such-job/2020-01-01T00:00:00.000Z" in namespace ${stack.client.options.namespace}`);

    const child = await cli('status', `${run.workflowId}/0-${SOURCE}`);
    expect(child.code).toBe(2);
    expect(child.stderr).toBe(`dynamask: "${run.workflowId}/0-${SOURCE}" is a copyTable workflow inside run ${run.workflowId}; ask for that one`);
  });

  it('leaves no item value in the history of the run, its tables or its lock', async () => {
    await run.result();
    // The marker is real data: it is in the source, and the copy went through.
    expect((await scanAll(stack.dynamo, SOURCE))[0]?.note?.S).toContain(MARKER);
    expect(await scanAll(stack.dynamo, DESTINATION)).toHaveLength(SELECTED);

    const ids = [run.workflowId, `${run.workflowId}/0-${SOURCE}`, jobLockWorkflowId(JOB)];
    const executions = await eventually('the run and its children in visibility', async () => {
      const found: { workflowId: string; runId: string }[] = [];
      for await (const e of stack.client.workflow.list({ query: ids.map((id) => `WorkflowId = "${id}"`).join(' OR ') })) found.push(e);
      return found.some((e) => e.workflowId === ids[1]) ? found : undefined;
    });
    for (const execution of executions) {
      const text = historyText(await stack.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory());
      expect(text, execution.workflowId).not.toContain(MARKER);
    }
    expect(executions.length).toBeGreaterThanOrEqual(2);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
