/**
 * Which worker ran how much of a run, and when each segment finished:
 * copyPages calls per worker process and each segment's last call, read
 * from the histories of the run and of every child and continued run (an
 * activity's started event names the worker's identity, `<pid>@<host>`;
 * its scheduled event holds its input, which names the segment).
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { CopyPagesInput } from '../../src/activities/contracts.ts';

export interface WorkSplit {
  /** By worker identity: copyPages calls completed. */
  calls: Record<string, number>;
  /** By segment: seconds from the first copyPages call's scheduling to the segment's last call's completion. */
  segmentEndSeconds: number[];
}

export async function copyPagesSplit(client: Client, rootWorkflowId: string): Promise<WorkSplit> {
  const calls: Record<string, number> = {};
  const segmentEndMs: number[] = [];
  let firstScheduledMs: number | undefined;
  const latest = await client.workflow.getHandle(rootWorkflowId).fetchHistory();
  const firstRunId = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  const pending = firstRunId ? [{ workflowId: rootWorkflowId, runId: firstRunId }] : [];
  for (let next = pending.shift(); next; next = pending.shift()) {
    const events = (await client.workflow.getHandle(next.workflowId, next.runId).fetchHistory()).events ?? [];
    const segmentOf = new Map<string, number>();
    const startedBy = new Map<string, string>();
    for (const event of events) {
      const id = String(event.eventId);
      const at = Number(event.eventTime?.seconds ?? 0) * 1e3 + Math.round((event.eventTime?.nanos ?? 0) / 1e6);
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'copyPages') {
        const payload = scheduled.input?.payloads?.[0];
        // A run with a payload codec keeps its inputs sealed: its calls still count, its segments do not.
        const input = payload ? safely(() => defaultPayloadConverter.fromPayload<CopyPagesInput>(payload)) : undefined;
        segmentOf.set(id, typeof input?.segment === 'number' ? input.segment : -1);
        firstScheduledMs = Math.min(firstScheduledMs ?? at, at);
      }
      const started = event.activityTaskStartedEventAttributes;
      if (started && segmentOf.has(String(started.scheduledEventId))) startedBy.set(String(started.scheduledEventId), started.identity ?? '?');
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && startedBy.has(String(completed.scheduledEventId))) {
        const identity = startedBy.get(String(completed.scheduledEventId))!;
        calls[identity] = (calls[identity] ?? 0) + 1;
        const segment = segmentOf.get(String(completed.scheduledEventId))!;
        if (segment >= 0) segmentEndMs[segment] = Math.max(segmentEndMs[segment] ?? 0, at);
      }
      const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (child?.workflowId && child.runId) pending.push({ workflowId: child.workflowId, runId: child.runId });
      const continued = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (continued) pending.push({ workflowId: next.workflowId, runId: continued });
    }
  }
  const origin = firstScheduledMs ?? 0;
  return { calls, segmentEndSeconds: Array.from(segmentEndMs, (ms) => (ms === undefined ? -1 : (ms - origin) / 1e3)) };
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
