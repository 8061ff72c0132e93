/**
 * Starting a job's run and following it from the client side: the workflow
 * ID, summary, details and search attributes a person sees in the Temporal
 * UI, and the job lock a second run of the same job runs into.
 */
import { ApplicationFailure, QueryNotRegisteredError, WorkflowNotFoundError, type Client, type WorkflowClient, type WorkflowHandle } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Job, TableJob } from '../../model/job.ts';
import { taskQueueFromEnv } from '../temporal/connection.ts';
import { searchAttributeCreateCommand } from '../temporal/search-attributes.ts';
import {
  clipToBytes,
  copyTableWorkflowId,
  jobLockWorkflowId,
  progressQuery,
  SUMMARY_MAX_BYTES,
  tablesWorkflowId,
  type RefreshJobResult,
  type RunLimits,
  type TableProgress,
} from '../../workflows/shared.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from '../../workflows/search-attributes.ts';
import type { refreshJob } from '../../workflows/refresh-job.ts';

/** Readable and sortable: `dynamask/<job>/<start time>`. */
export function runWorkflowId(jobName: string, at: Date = new Date()): string {
  return `dynamask/${jobName}/${at.toISOString()}`;
}

const DETAILS_MAX_BYTES = 16_000;

/** Temporal's markdown: a code span keeps a WHERE's quotes and asterisks literal; cells escape the pipe. */
function code(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.includes('`') ? oneLine : `\`${oneLine}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** One line: the job, and each table's source -> destination with its subset. Job text only. */
export function runSummary(job: Job): string {
  const tables = job.tables.map((t) => `${t.source} -> ${t.destination}${t.where ? ` where ${code(t.where)}` : ''}`);
  return clipToBytes(`${job.name}: ${tables.join('; ')}`, SUMMARY_MAX_BYTES);
}

/** A markdown table of the job's tables, for the UI's details panel. */
export function runDetails(job: Job): string {
  const head = [
    `Job **${job.name}**, ${job.tables.length} table(s). Only cursors and counts pass through this workflow; items never do.`,
    '',
    '| source | destination | subset | mode | mapped paths |',
    '| --- | --- | --- | --- | --- |',
  ];
  const row = (t: TableJob) =>
    `| ${cell(`\`${t.source}\`${t.index ? ` (index \`${t.index}\`)` : ''} on ${t.sourceConnection}`)} | ${cell(`\`${t.destination}\` on ${t.destinationConnection}`)} | ${t.where ? cell(code(t.where)) : 'all items'} | ${t.mode}${t.createTable ? ', created if missing' : ''} | ${Object.keys(t.transformers).length} |`;
  const lines = [...head];
  for (const [i, table] of job.tables.entries()) {
    const next = row(table);
    if (Buffer.byteLength([...lines, next].join('\n')) > DETAILS_MAX_BYTES) {
      lines.push('', `… and ${job.tables.length - i} more table(s)`);
      break;
    }
    lines.push(next);
  }
  return lines.join('\n');
}

/** Lets the UI list the runs of one job (`DynamaskJob = "x"`) or of one table (`DynamaskTable = "Users"`). */
export function runSearchAttributes(job: Job): SearchAttributePair[] {
  return [
    { key: DYNAMASK_JOB, value: job.name },
    { key: DYNAMASK_TABLE, value: [...new Set(job.tables.map((t) => t.source))] },
  ];
}

/**
 * What a run shows in the Temporal UI, for every way of starting one (here,
 * and a Schedule's action). No memo: nothing of an item belongs there.
 */
export function runVisibility(job: Job): { staticSummary: string; staticDetails: string; typedSearchAttributes: SearchAttributePair[] } {
  return { staticSummary: runSummary(job), staticDetails: runDetails(job), typedSearchAttributes: runSearchAttributes(job) };
}

export interface StartRunOptions {
  taskQueue?: string;
  workflowId?: string;
  /** How the run spreads its work; the workflows' defaults unless given (tests make them small). */
  limits?: RunLimits;
  /** Follow every table's stream until canceled (`dynamask follow`; every table mode incremental). */
  follow?: boolean;
}

export async function startRun(client: Client, job: Job, options: StartRunOptions = {}): Promise<WorkflowHandle<typeof refreshJob>> {
  return client.workflow
    .start<typeof refreshJob>('refreshJob', {
      taskQueue: options.taskQueue ?? taskQueueFromEnv(),
      workflowId: options.workflowId ?? runWorkflowId(job.name),
      args: [{ job, ...(options.limits ? { limits: options.limits } : {}), ...(options.follow && { follow: true }) }],
      ...runVisibility(job),
    })
    .catch((error: unknown) => {
      if (error instanceof Error && /search attribute/i.test(error.message) && /Dynamask(Job|Table)/.test(error.message)) {
        const namespace = client.options.namespace;
        throw new Error(`namespace ${namespace} lacks dynamask's search attributes; register them once with \`${searchAttributeCreateCommand(namespace)}\``, { cause: error });
      }
      throw error;
    });
}

export interface RunningHolder {
  /** Workflow ID of the run that holds the job's lock. */
  holder: string;
  startTime: Date;
}

/** The run holding the job's lock, if one is running. */
export async function findJobLockHolder(client: Client, jobName: string): Promise<RunningHolder | undefined> {
  try {
    const lock = await client.workflow.getHandle(jobLockWorkflowId(jobName)).describe();
    if (lock.status.name !== 'RUNNING') return undefined;
    const holder = lock.memo?.holder;
    return { holder: typeof holder === 'string' ? holder : lock.parentExecution?.workflowId ?? 'another run', startTime: lock.startTime };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class JobAlreadyRunningError extends Error {
  readonly jobName: string;
  readonly holder: RunningHolder | undefined;

  constructor(jobName: string, holder: RunningHolder | undefined, refusedRun?: string) {
    super(
      holder
        ? `job "${jobName}" is already running as ${holder.holder} (started ${isoSeconds(holder.startTime)}); not starting another`
        : `job "${jobName}" was already running when ${refusedRun ?? 'this run'} started; it stopped before copying anything`,
    );
    this.name = 'JobAlreadyRunningError';
    this.jobName = jobName;
    this.holder = holder;
  }
}

/** Refuses before starting anything when a run of the job holds its lock. */
export async function assertJobNotRunning(client: Client, jobName: string): Promise<void> {
  const holder = await findJobLockHolder(client, jobName);
  if (holder) throw new JobAlreadyRunningError(jobName, holder);
}

/** True for the failure of a run the workflow refused because another run held the lock (the race the check above cannot close). */
export function isJobLockedFailure(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type === 'JobLocked') return true;
  }
  return false;
}

/**
 * A run refused by the workflow's lock becomes the same message as the
 * check before starting; anything else is returned as it was.
 */
export async function explainRunFailure(client: Client, jobName: string, workflowId: string, error: unknown): Promise<unknown> {
  if (!isJobLockedFailure(error)) return error;
  const holder = await findJobLockHolder(client, jobName).catch(() => undefined);
  return new JobAlreadyRunningError(jobName, holder, workflowId);
}

/**
 * A run's tables as they stand: statuses from the run's tables child (or
 * from the run itself before that child starts, and in runs of versions
 * without one), and each running table's counts from its own copyTable,
 * whose progress moves with every call; the reports it sends its parent
 * come at a decreasing rate, so the history stays bounded. Undefined while
 * no workflow of the run answers yet.
 */
export async function runProgress(workflows: WorkflowClient, runWorkflowId: string): Promise<TableProgress[] | undefined> {
  const tables = (await askProgress(workflows, tablesWorkflowId(runWorkflowId))) ?? (await askProgress(workflows, runWorkflowId));
  if (!tables) return undefined;
  return Promise.all(
    tables.map(async (table, i) => {
      if (table.status !== 'running') return table;
      const [live] = (await askProgress(workflows, copyTableWorkflowId(runWorkflowId, i, table.source))) ?? [];
      return live ?? table;
    }),
  );
}

/** The progress query's answer; nothing from a workflow not started yet, or one before its first task registered the query. */
async function askProgress(workflows: WorkflowClient, workflowId: string): Promise<TableProgress[] | undefined> {
  try {
    return await workflows.getHandle(workflowId).query(progressQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError || error instanceof QueryNotRegisteredError) return undefined;
    throw error;
  }
}

const FINAL_PROGRESS_WAIT_MS = 5_000;

/**
 * Waits for the run's result, calling `onProgress` with `runProgress`'s
 * answer at once, then every `intervalMs`, and once more when the run has
 * closed, so that the last lines are the tables' final ones however the
 * run ended (a table that completed just before another's failure ended
 * the run shows completed).
 */
export async function followRun(
  handle: WorkflowHandle<typeof refreshJob>,
  onProgress: (tables: TableProgress[]) => void,
  intervalMs = 1_000,
  /** Stops waiting (the run goes on): the returned promise rejects. */
  detach?: AbortSignal,
): Promise<RefreshJobResult> {
  let done = false;
  let wake: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const poll = (async () => {
    while (!done) {
      // Progress is for the eye: a query that fails now and then (a worker restarting) skips one answer.
      const tables = await runProgress(handle.client, handle.workflowId).catch(() => undefined);
      if (tables && !done) onProgress(tables);
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
    }
  })();
  try {
    return await (detach ? handle.client.connection.withAbortSignal(detach, () => handle.result()) : handle.result());
  } finally {
    done = true;
    clearTimeout(timer);
    wake();
    await poll;
    // Closed workflows still answer queries (a worker replays them); with no worker left, nothing more is shown. Detached, the run is not closed.
    const last = detach?.aborted
      ? undefined
      : await handle.client.connection.withDeadline(Date.now() + FINAL_PROGRESS_WAIT_MS, () => runProgress(handle.client, handle.workflowId)).catch(() => undefined);
    if (last) onProgress(last);
  }
}
