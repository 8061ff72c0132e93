/**
 * `dynamask status <workflow id>`: a running run answers its `progress`
 * query; a closed one is read from its result or failure. Printed in the
 * same lines as `dynamask run`'s progress.
 */
import { QueryNotRegisteredError, WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { DYNAMASK_JOB } from '../../workflows/search-attributes.ts';
import { progressQuery, type RefreshJobResult } from '../../workflows/shared.ts';
import type { refreshJob } from '../../workflows/refresh-job.ts';
import { formatElapsed, formatTableLines, lineFromProgress, lineFromReport, type TableLine } from './progress-view.ts';
import { itemsPerSecond, tableReportJson, type TableReportJson } from './run-report.ts';

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
  /** One line: which table failed and how far it got. */
  failure?: string;
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

/** The innermost message that says something: the SDK wraps a workflow's own failure in empty layers. */
export function runFailureReason(error: WorkflowFailedError): string {
  let cause: unknown = error.cause;
  while (cause instanceof Error && cause.cause instanceof Error && cause.message === '') cause = cause.cause;
  return cause instanceof Error && cause.message !== '' ? cause.message : error.message;
}

export async function runStatus(client: Client, workflowId: string, now: () => number = Date.now): Promise<RunStatus> {
  const handle = client.workflow.getHandle<typeof refreshJob>(workflowId);
  const description = await handle.describe().catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) throw new NotARunError(`no workflow with ID "${workflowId}" in namespace ${client.options.namespace}`);
    throw error;
  });
  if (description.type !== 'refreshJob') {
    const parent = description.parentExecution?.workflowId;
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
    // A run answers once it has taken the job lock: until then it has no progress to tell.
    const tables = await handle.query(progressQuery).catch((error: unknown) => {
      if (error instanceof QueryNotRegisteredError) return [];
      throw error;
    });
    const at = now();
    status.tables = tables.map((t) => lineFromProgress(t, at));
  } else if (state === 'completed') {
    status.report = await handle.result();
    status.tables = status.report.tables.map(lineFromReport);
  } else {
    status.failure = await handle.result().then(
      () => 'closed without a result',
      (error: unknown) => (error instanceof WorkflowFailedError ? runFailureReason(error) : error instanceof Error ? error.message : String(error)),
    );
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
  return [head, ...lines.map((line) => `  ${line}`)].join('\n');
}

export type TableStatusJson =
  | ({ status: 'completed' } & TableReportJson)
  | Pick<TableLine, 'source' | 'destination' | 'status' | 'read' | 'written' | 'deleted' | 'typeMismatches' | 'readPlan'> & { durationMs?: number; itemsPerSecond?: number };

export interface RunStatusJson {
  workflowId: string;
  job: string;
  status: RunState;
  startTime: string;
  closeTime?: string;
  durationMs: number;
  tables: TableStatusJson[];
  failure?: string;
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
  };
}
