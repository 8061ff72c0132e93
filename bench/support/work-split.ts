/**
 * Which worker ran how much of a run: copyPages calls and the items they
 * reported, per worker process, read from the histories of the run and of
 * every child and continued run (an activity's started event names the
 * worker's identity, `<pid>@<host>`; its completed event holds its result).
 */
import type { Client } from '@temporalio/client';

export interface WorkSplit {
  /** By worker identity: copyPages calls completed. */
  calls: Record<string, number>;
}

export async function copyPagesSplit(client: Client, rootWorkflowId: string): Promise<WorkSplit> {
  const calls: Record<string, number> = {};
  const latest = await client.workflow.getHandle(rootWorkflowId).fetchHistory();
  const firstRunId = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  const pending = firstRunId ? [{ workflowId: rootWorkflowId, runId: firstRunId }] : [];
  for (let next = pending.shift(); next; next = pending.shift()) {
    const events = (await client.workflow.getHandle(next.workflowId, next.runId).fetchHistory()).events ?? [];
    const copyPagesScheduled = new Set<string>();
    const startedBy = new Map<string, string>();
    for (const event of events) {
      const id = String(event.eventId);
      if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'copyPages') copyPagesScheduled.add(id);
      const started = event.activityTaskStartedEventAttributes;
      if (started && copyPagesScheduled.has(String(started.scheduledEventId))) startedBy.set(String(started.scheduledEventId), started.identity ?? '?');
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && startedBy.has(String(completed.scheduledEventId))) {
        const identity = startedBy.get(String(completed.scheduledEventId))!;
        calls[identity] = (calls[identity] ?? 0) + 1;
      }
      const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (child?.workflowId && child.runId) pending.push({ workflowId: child.workflowId, runId: child.runId });
      const continued = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (continued) pending.push({ workflowId: next.workflowId, runId: continued });
    }
  }
  return { calls };
}
