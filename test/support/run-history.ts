/**
 * Everything Temporal keeps about one run: every workflow execution it made
 * (the run, its children, continued-as-new runs), each with its full
 * history and description, read back through the client.
 */
import { vi } from 'vitest';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunExecution {
  info: WorkflowExecutionInfo;
  history: History;
  /** The raw DescribeWorkflowExecution answer: search attributes, memo, pending activities and their heartbeats. */
  description: unknown;
}

/**
 * The executions that belong to the run `rootWorkflowId` (its own runs and
 * every descendant), once all of them have closed and visibility lists them.
 * Which executions those are is read from the histories themselves (children
 * started, runs continued as new), not guessed from the list, which lags a
 * little behind: a search over the list alone could miss a late-listed child.
 */
export async function runExecutions(client: Client, taskQueue: string, rootWorkflowId: string, timeoutMs = 15_000): Promise<RunExecution[]> {
  return vi.waitFor(
    async () => {
      const runs = await runsInHistories(client, rootWorkflowId);
      const listed = new Map<string, WorkflowExecutionInfo>();
      for await (const info of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) listed.set(`${info.workflowId} ${info.runId}`, info);
      const lagging = runs.filter((run) => (listed.get(run.key)?.status.name ?? 'RUNNING') === 'RUNNING').map((run) => run.key);
      if (lagging.length > 0) throw new Error(`visibility does not list these executions as closed yet: ${lagging.join(', ')}`);
      return Promise.all(
        runs.map(async ({ key, workflowId, runId, history }) => {
          const description = await client.workflow.getHandle(workflowId, runId).describe();
          return { info: listed.get(key)!, history, description: description.raw };
        }),
      );
    },
    { timeout: timeoutMs, interval: 300 },
  );
}

const CLOSING_EVENTS = new Set([
  'workflowExecutionCompleted',
  'workflowExecutionFailed',
  'workflowExecutionTimedOut',
  'workflowExecutionCanceled',
  'workflowExecutionTerminated',
  'workflowExecutionContinuedAsNew',
]);

/**
 * The histories of every run of the workflow and its descendants so far,
 * open runs included, for a test that looks at a run while it goes (which
 * worker started which activity): an activity's started event is written
 * once the activity closes.
 */
export async function historiesSoFar(client: Client, rootWorkflowId: string): Promise<{ workflowId: string; runId: string; history: History }[]> {
  return runsInHistories(client, rootWorkflowId, { open: true });
}

/**
 * The activities of a type that a worker has started and not yet finished,
 * in the still-open runs among `runs` (from `historiesSoFar`), each with the
 * identity of the worker that holds it (`<pid>@<host>`). Read from each open
 * run's description: history only records an activity's start once it ends.
 */
export async function activitiesInFlight(client: Client, runs: readonly { workflowId: string; runId: string; history: History }[], activityType: string): Promise<{ workflowId: string; identity: string }[]> {
  const inFlight: { workflowId: string; identity: string }[] = [];
  for (const { workflowId, runId, history } of runs) {
    if (isClosed(history)) continue;
    const { raw } = await client.workflow.getHandle(workflowId, runId).describe();
    for (const activity of raw.pendingActivities ?? []) {
      const started = activity.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
      if (started && activity.activityType?.name === activityType) inFlight.push({ workflowId, identity: activity.lastWorkerIdentity ?? '' });
    }
  }
  return inFlight;
}

/** Every run of the workflow and of its descendants, from the first run on, each with its history; throws while any is open, unless told. */
async function runsInHistories(client: Client, rootWorkflowId: string, options: { open?: boolean } = {}): Promise<{ key: string; workflowId: string; runId: string; history: History }[]> {
  const latest = await client.workflow.getHandle(rootWorkflowId).fetchHistory();
  const firstRunId = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  if (!firstRunId) throw new Error(`the history of ${rootWorkflowId} names no first run`);
  const runs: { key: string; workflowId: string; runId: string; history: History }[] = [];
  const pending = [{ workflowId: rootWorkflowId, runId: firstRunId }];
  for (let next = pending.shift(); next; next = pending.shift()) {
    const { workflowId, runId } = next;
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const last = events.at(-1);
    if (!options.open && !isClosed(history)) throw new Error(`${workflowId} run ${runId} is still open`);
    runs.push({ key: `${workflowId} ${runId}`, workflowId, runId, history });
    for (const event of events) {
      const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (child?.workflowId && child.runId) pending.push({ workflowId: child.workflowId, runId: child.runId });
    }
    const continued = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (continued) pending.push({ workflowId, runId: continued });
  }
  return runs;
}

/** Whether the history ends with the event that closes its run. */
function isClosed(history: History): boolean {
  const last = history.events?.at(-1);
  return last !== undefined && CLOSING_EVENTS.has(eventKind(last));
}

/** The event's kind, from the one `…EventAttributes` field it carries (`activityTaskFailed`). */
export function eventKind(event: HistoryEvent): string {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k] != null);
  return key ? key.replace(/EventAttributes$/, '') : 'unknown';
}

/** Activity attempts that failed or timed out and were retried: the attempts beyond the first of every activity that started. */
export function retriedActivityAttempts(executions: readonly RunExecution[]): number {
  let retried = 0;
  for (const { history } of executions) {
    for (const event of history.events ?? []) {
      const attempt = event.activityTaskStartedEventAttributes?.attempt;
      if (attempt) retried += attempt - 1;
    }
  }
  return retried;
}

/** Every string and every payload's bytes in a history, as text to search. */
export function historyText(history: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}
