/**
 * One run of a job: take the job's lock, then a copyTable child per table,
 * all at once, and a progress query that answers for every table from the
 * children's reports. The Temporal UI shows the run's progress as its
 * current details.
 */
import {
  ApplicationFailure,
  executeChild,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ZERO_COUNTS } from '../model/counts.ts';
import { sourcesNear } from '../model/database-identity.ts';
import { renderJobFailure, type JobFailure, type TableFailure } from '../model/failure.ts';
import { copyTable } from './copy-table.ts';
import { jobLock, releaseJobLockSignal } from './job-lock.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from './search-attributes.ts';
import { tableDetails } from './table-details.ts';
import { childTableFailure } from './table-failure.ts';
import {
  clipToBytes,
  jobLockWorkflowId,
  progressQuery,
  SUMMARY_MAX_BYTES,
  tableProgressSignal,
  type RefreshJobInput,
  type RefreshJobResult,
  type TableProgress,
} from './shared.ts';

export async function refreshJob({ job }: RefreshJobInput): Promise<RefreshJobResult> {
  const startedAtMs = Date.now();
  const { workflowId } = workflowInfo();
  // Handlers first: `dynamask status` may ask before the lock is taken.
  const progress: TableProgress[] = job.tables.map((t) => ({ source: t.source, destination: t.destination, status: 'pending', ...ZERO_COUNTS }));
  const showDetails = () => setCurrentDetails(progress.map((p) => tableDetails(p, Date.now())).join('\n\n---\n\n'));
  setHandler(progressQuery, () => progress);
  setHandler(tableProgressSignal, ({ tableIndex, progress: update }) => {
    if (progress[tableIndex]) progress[tableIndex] = update;
    showDetails();
  });
  showDetails();
  const lock = await takeLock(job.name, workflowId);

  try {
    const results = await Promise.allSettled(
      job.tables.map((table, tableIndex) => {
        progress[tableIndex]!.status = 'running';
        return executeChild(copyTable, {
          workflowId: `${workflowId}/${tableIndex}-${table.source}`,
          staticSummary: clipToBytes(`${job.name}: ${table.source} -> ${table.destination}${table.where ? ` where ${table.where}` : ''}`, SUMMARY_MAX_BYTES),
          typedSearchAttributes: [
            { key: DYNAMASK_JOB, value: job.name },
            { key: DYNAMASK_TABLE, value: [table.source] },
          ],
          args: [
            {
              jobName: job.name,
              table,
              connections: job.connections,
              defaults: job.defaults,
              // A reference, resolved by the workers; without one they derive this run's salt from its ID, so no salt passes through here.
              ...(job.salt !== undefined && { salt: job.salt }),
              runWorkflowId: workflowId,
              sources: sourcesNear(job, table.destinationConnection),
              sandbox: job.sandbox,
              keysAreSensitive: job.keysAreSensitive,
              parent: { workflowId, tableIndex },
            },
          ],
        });
      }),
    );

    const failures: TableFailure[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      // The child's own record, or one from its last report when it ended from outside (terminated, timed out).
      const failure = childTableFailure(r.reason, job.tables[i]!, progress[i]!);
      progress[i] = { ...progress[i]!, status: 'failed', failure };
      failures.push(failure);
    });
    if (failures.length > 0) {
      showDetails();
      const failed: JobFailure = { job: job.name, tables: job.tables.length, failures };
      throw ApplicationFailure.create({ type: 'JobFailed', message: renderJobFailure(failed), nonRetryable: true, details: [failed] });
    }
    return {
      job: job.name,
      tables: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
      durationMs: Date.now() - startedAtMs,
    };
  } finally {
    await lock.signal(releaseJobLockSignal).catch(() => undefined);
  }
}

async function takeLock(jobName: string, holder: string) {
  try {
    return await startChild(jobLock, {
      workflowId: jobLockWorkflowId(jobName),
      memo: { holder },
      staticSummary: `lock of job ${jobName}, held by ${holder}`,
      typedSearchAttributes: [{ key: DYNAMASK_JOB, value: jobName }],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw ApplicationFailure.nonRetryable(
        `job "${jobName}" is already running (its lock ${jobLockWorkflowId(jobName)} is held); this run did not start copying`,
        'JobLocked',
      );
    }
    throw error;
  }
}

