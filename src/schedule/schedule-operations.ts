/**
 * What a person does with dynamask's schedules once they exist: list them,
 * start a run now, pause, unpause, delete. Each takes a job name; the
 * schedule is `dynamask/<job>`.
 */
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { jobNameOfScheduleId, scheduleIdForJob, SCHEDULE_ID_PREFIX, SPEC_MEMO } from './schedule-options.ts';

export class NoScheduleError extends Error {
  override name = 'NoScheduleError';
  readonly scheduleId: string;

  constructor(scheduleId: string, namespace: string) {
    super(`no schedule "${scheduleId}" in namespace "${namespace}" (\`dynamask schedule list\` shows the existing ones)`);
    this.scheduleId = scheduleId;
  }
}

export interface ScheduleListEntry {
  scheduleId: string;
  jobName: string;
  /** As the job file wrote it, when dynamask applied the schedule. */
  spec: string;
  paused: boolean;
  note?: string;
  nextRunAt?: Date;
  lastRun?: { workflowId: string; startedAt: Date; status: string };
}

export interface TriggerResult {
  scheduleId: string;
  /** The run the trigger started, once the server reports it. */
  started?: { workflowId: string; runId: string };
  /** A run that was already going; the schedule's overlap policy decides what the trigger does. */
  alreadyRunning?: { workflowId: string; overlap: string };
}

async function withSchedule<T>(client: Client, jobName: string, use: (handle: ScheduleHandle) => Promise<T>): Promise<T> {
  const scheduleId = scheduleIdForJob(jobName);
  try {
    return await use(client.schedule.getHandle(scheduleId));
  } catch (error) {
    // The server's own words ("workflow not found for ID: temporal-sys-scheduler:...") would only confuse.
    if (error instanceof ScheduleNotFoundError) throw new NoScheduleError(scheduleId, client.options.namespace);
    throw error;
  }
}

/**
 * dynamask's schedules (ID prefix `dynamask/`), sorted by ID. Each is
 * described, not only listed: the list comes from visibility, which lags
 * behind, and lacks the spec text.
 */
export async function listSchedules(client: Client): Promise<ScheduleListEntry[]> {
  const ids: string[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.scheduleId.startsWith(SCHEDULE_ID_PREFIX)) ids.push(summary.scheduleId);
  }
  const entries: ScheduleListEntry[] = [];
  for (const scheduleId of ids.sort()) {
    let description: ScheduleDescription;
    try {
      description = await client.schedule.getHandle(scheduleId).describe();
    } catch (error) {
      // Deleted between the list and the describe.
      if (error instanceof ScheduleNotFoundError) continue;
      throw error;
    }
    entries.push({
      scheduleId,
      jobName: jobNameOfScheduleId(scheduleId)!,
      spec: typeof description.action.memo?.[SPEC_MEMO] === 'string' ? description.action.memo[SPEC_MEMO] : 'not applied by dynamask',
      paused: description.state.paused,
      ...(description.state.note ? { note: description.state.note } : {}),
      ...(description.info.nextActionTimes[0] ? { nextRunAt: description.info.nextActionTimes[0] } : {}),
      ...(await lastRun(client, description)),
    });
  }
  return entries;
}

async function lastRun(client: Client, description: ScheduleDescription): Promise<Pick<ScheduleListEntry, 'lastRun'>> {
  const last = description.info.recentActions.at(-1);
  if (!last) return {};
  const { workflowId, firstExecutionRunId } = last.action.workflow;
  const status = await client.workflow
    .getHandle(workflowId, undefined, { firstExecutionRunId })
    .describe()
    .then((d) => d.status.name, () => 'UNKNOWN');
  return { lastRun: { workflowId, startedAt: last.takenAt, status } };
}

/**
 * Starts the job's action now, under the schedule's own overlap policy (a
 * running refresh is not cancelled unless the job asked for that), and waits
 * up to `waitMs` for the server to report the run it started.
 */
export async function triggerSchedule(client: Client, jobName: string, options: { waitMs?: number } = {}): Promise<TriggerResult> {
  return withSchedule(client, jobName, async (handle) => {
    const before = await handle.describe();
    const seen = new Set(before.info.recentActions.map((a) => a.action.workflow.workflowId));
    const running = before.info.runningActions[0];
    await handle.trigger(before.policies.overlap);
    const result: TriggerResult = { scheduleId: handle.scheduleId };
    if (running) result.alreadyRunning = { workflowId: running.workflow.workflowId, overlap: before.policies.overlap ?? 'SKIP' };

    const deadline = Date.now() + (options.waitMs ?? 10_000);
    while (Date.now() < deadline) {
      const now = await handle.describe();
      const fresh = now.info.recentActions.find((a) => !seen.has(a.action.workflow.workflowId));
      if (fresh) {
        result.started = { workflowId: fresh.action.workflow.workflowId, runId: fresh.action.workflow.firstExecutionRunId };
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return result;
  });
}

export async function deleteSchedule(client: Client, jobName: string): Promise<string> {
  return withSchedule(client, jobName, async (handle) => {
    await handle.delete();
    return handle.scheduleId;
  });
}

export async function pauseSchedule(client: Client, jobName: string, note?: string): Promise<string> {
  return withSchedule(client, jobName, async (handle) => {
    await handle.pause(note ?? 'paused with dynamask schedule pause');
    return handle.scheduleId;
  });
}

export async function unpauseSchedule(client: Client, jobName: string, note?: string): Promise<string> {
  return withSchedule(client, jobName, async (handle) => {
    await handle.unpause(note ?? 'unpaused with dynamask schedule unpause');
    return handle.scheduleId;
  });
}
