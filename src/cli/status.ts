/**
 * `dynamask status <workflow id>`: a running run is read from its tables'
 * progress (runProgress: the tables child and each running copyTable); a
 * closed one from its result or failure. Printed in the same lines as
 * `dynamask run`'s progress.
 */
import { ApplicationFailure, WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { jobFailureOf, renderJobFailure, type TableFailure } from '../../model/failure.ts';
import { DYNAMASK_JOB } from '../../workflows/search-attributes.ts';
import type { RefreshJobResult } from '../../workflows/shared.ts';
import type { refreshJob } from '../../workflows/refresh-job.ts';
import { runProgress } from '../client/runs.ts';
import { formatElapsed, formatTableLines, lineFromProgress, lineFromReport, type TableLine } from './progress-view.ts';
import { itemsPerSecond, tableReportJson, type TableReportJson } from './run-report.ts';
import { formatPrivacyReport } from './privacy-report.ts';

export type RunState = 'running' | 'completed' | 'failed' | 'canceled' | 'terminated' | 'timed out';

export interface RunStatus {
  workflowId: string;
  job: string;
  state: RunState;
  startTime: Date;
  closeTime?: Date;
  /** From the progress query while running, from the report once completed; empty for a run that failed. */
  tables: TableLine[];
  report?: RefreshJobResult;
  /** Which tables failed, how far each got and why: one line per table. */
  failure?: string;
  /** The same as data; absent for runs of a version that carried none. */
  failures?: TableFailure[];
}

/** The ID names no workflow, or one that is not a run: bad input, exit 2. */
export class NotARunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotARunError';
  }
}

const STATES: Record<string, RunState> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'canceled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed out',
};

export interface RunFailure {
  text: string;
  failures?: TableFailure[];
}

/**
 * Why a run failed: rendered from the tables' failure records it carries;
 * for a run without them (started by an older version, or refused before
 * copying, such as by the job lock), the innermost message that says
 * something, as the SDK wraps a workflow's own failure in empty layers.
 */
export function runFailure(error: WorkflowFailedError): RunFailure {
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
    const job = cause instanceof ApplicationFailure ? jobFailureOf(cause.details?.[0]) : undefined;
    if (job) return { text: renderJobFailure(job), failures: job.failures };
  }
  let cause: unknown = error.cause;
  while (cause instanceof Error && cause.cause instanceof Error && cause.message === '') cause = cause.cause;
  return { text: cause instanceof Error && cause.message !== '' ? cause.message : error.message };
}

export async function runStatus(client: Client, workflowId: string, now: () => number = Date.now): Promise<RunStatus> {
  const handle = client.workflow.getHandle<typeof refreshJob>(workflowId);
  const description = await handle.describe().catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) throw new NotARunError(`no workflow with ID "${workflowId}" in namespace ${client.options.namespace}`);
    throw error;
  });
  if (description.type !== 'refreshJob') {
    // The run at the top: a table's copyTable is a child of the run's tables child, not of the run.
    const root = description.rootExecution?.workflowId;
    const parent = root !== undefined && root !== workflowId ? root : description.parentExecution?.workflowId;
    throw new NotARunError(
      parent
        ? `"${workflowId}" is a ${description.type} workflow inside run ${parent}; ask for that one`
        : `"${workflowId}" is a ${description.type} workflow, not a dynamask run`,
    );
  }
  const state = STATES[description.status.name] ?? 'failed';
  const status: RunStatus = {
    workflowId,
    job: description.typedSearchAttributes.get(DYNAMASK_JOB) ?? workflowId.split('/')[1] ?? workflowId,
    state,
    startTime: description.startTime,
    ...(description.closeTime ? { closeTime: description.closeTime } : {}),
    tables: [],
  };
  if (state === 'running') {
    // Before its first workflow task a run has no progress to tell.
    const tables = (await runProgress(client.workflow, workflowId)) ?? [];
    const at = now();
    status.tables = tables.map((t) => lineFromProgress(t, at));
  } else if (state === 'completed') {
    status.report = await handle.result();
    status.tables = status.report.tables.map(lineFromReport);
  } else {
    const failure = await handle.result().then(
      (): RunFailure => ({ text: 'closed without a result' }),
      (error: unknown): RunFailure => (error instanceof WorkflowFailedError ? runFailure(error) : { text: error instanceof Error ? error.message : String(error) }),
    );
    status.failure = failure.text;
    if (failure.failures) status.failures = failure.failures;
  }
  return status;
}

function durationMs(status: RunStatus, nowMs: number): number {
  if (status.report) return status.report.durationMs;
  return Math.max(0, (status.closeTime?.getTime() ?? nowMs) - status.startTime.getTime());
}

export function formatStatus(status: RunStatus, nowMs: number = Date.now()): string {
  const took = formatElapsed(durationMs(status, nowMs));
  const head =
    status.state === 'running'
      ? `${status.workflowId}: running for ${took}`
      : status.state === 'completed'
        ? `${status.workflowId}: completed in ${took}`
        : `${status.workflowId}: ${status.state} after ${took}: ${status.failure}`;
  const lines = status.state === 'running' && status.tables.length === 0 ? ['(starting: no progress yet)'] : formatTableLines(status.tables);
  const privacy = (status.report?.tables ?? []).flatMap((t) => formatPrivacyReport(`${t.source} -> ${t.destination}`, t));
  return [head, ...lines.map((line) => `  ${line}`), ...(privacy.length > 0 ? ['  privacy report:', ...privacy.map((line) => `  ${line}`)] : [])].join('\n');
}

export type TableStatusJson =
  | ({ status: 'completed' } & TableReportJson)
  | Pick<TableLine, 'source' | 'destination' | 'status' | 'read' | 'written' | 'deleted' | 'oversize' | 'dangling' | 'typeMismatches' | 'readPlan' | 'stream'> & { durationMs?: number; itemsPerSecond?: number };

export interface RunStatusJson {
  workflowId: string;
  job: string;
  status: RunState;
  startTime: string;
  closeTime?: string;
  durationMs: number;
  tables: TableStatusJson[];
  failure?: string;
  failures?: TableFailure[];
}

/** `dynamask status --json`: for a completed run, a superset of `dynamask run --json`. */
export function runStatusJson(status: RunStatus, nowMs: number = Date.now()): RunStatusJson {
  const tables: TableStatusJson[] = status.report
    ? status.report.tables.map((t) => ({ status: 'completed' as const, ...tableReportJson(t) }))
    : status.tables.map(({ elapsedMs, ...line }) =>
        elapsedMs === undefined ? line : { ...line, durationMs: elapsedMs, itemsPerSecond: itemsPerSecond(line.written, elapsedMs) },
      );
  return {
    workflowId: status.workflowId,
    job: status.job,
    status: status.state,
    startTime: status.startTime.toISOString(),
    ...(status.closeTime ? { closeTime: status.closeTime.toISOString() } : {}),
    durationMs: durationMs(status, nowMs),
    tables,
    ...(status.failure !== undefined ? { failure: status.failure } : {}),
    ...(status.failures !== undefined ? { failures: status.failures } : {}),
  };
}
