/**
 * Everything Temporal keeps about one run: every workflow execution it made
 * (the run, its children, continued-as-new runs), each with its full
 * history and description, read back through the client.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunExecution {
  info: WorkflowExecutionInfo;
  history: History;
  /** The raw DescribeWorkflowExecution answer: search attributes, memo, pending activities and their heartbeats. */
  description: unknown;
}

/**
 * The executions on `taskQueue` that belong to the run `rootWorkflowId` (its
 * own runs and every descendant), once all of them have closed; visibility
 * lags a little behind the histories, so this waits for the list to settle.
 */
export async function runExecutions(client: Client, taskQueue: string, rootWorkflowId: string, timeoutMs = 15_000): Promise<RunExecution[]> {
  const belongs = (info: WorkflowExecutionInfo) => info.workflowId.startsWith(rootWorkflowId) || info.rootExecution?.workflowId === rootWorkflowId;
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  for (;;) {
    const infos: WorkflowExecutionInfo[] = [];
    for await (const info of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) if (belongs(info)) infos.push(info);
    const settled = infos.length > 0 && infos.length === previous && infos.every((info) => info.status.name !== 'RUNNING');
    if (settled || Date.now() > deadline) {
      return Promise.all(
        infos.map(async (info) => {
          const handle = client.workflow.getHandle(info.workflowId, info.runId);
          const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
          return { info, history, description: description.raw };
        }),
      );
    }
    previous = infos.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
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
