/**
 * Starting a job's run and following it from the client side.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Job } from './job/job.ts';
import { taskQueueFromEnv } from './temporal-connection.ts';
import { progressQuery, type RefreshJobResult, type TableProgress } from '../workflows/shared.ts';
import type { refreshJob } from '../workflows/refresh-job.ts';

/** Readable and sortable: `dynamask/<job>/<start time>`. */
export function runWorkflowId(jobName: string, at: Date = new Date()): string {
  return `dynamask/${jobName}/${at.toISOString()}`;
}

export async function startRun(client: Client, job: Job, options: { taskQueue?: string; workflowId?: string } = {}): Promise<WorkflowHandle<typeof refreshJob>> {
  return client.workflow.start<typeof refreshJob>('refreshJob', {
    taskQueue: options.taskQueue ?? taskQueueFromEnv(),
    workflowId: options.workflowId ?? runWorkflowId(job.name),
    args: [{ job }],
  });
}

/**
 * Waits for the run's result, calling `onProgress` every `intervalMs` with
 * the `progress` query's answer.
 */
export async function followRun(
  handle: WorkflowHandle<typeof refreshJob>,
  onProgress: (tables: TableProgress[]) => void,
  intervalMs = 2_000,
): Promise<RefreshJobResult> {
  let done = false;
  const poll = (async () => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (done) break;
      const tables = await handle.query(progressQuery).catch(() => undefined);
      if (tables && !done) onProgress(tables);
    }
  })();
  try {
    return await handle.result();
  } finally {
    done = true;
    await poll;
  }
}
