/**
 * The job lock: a workflow with a fixed ID per job (jobLockWorkflowId) that
 * a run starts as its child and that lives until released or until the run
 * ends (the parent-close policy terminates it, so a crashed or terminated
 * run cannot leave it held). Temporal refuses a second running workflow
 * with the same ID, so a second run of the job cannot take the lock.
 *
 * Its parent, refreshJob, never continues as new: Temporal applies the
 * parent-close policy at every continue-as-new too, which would end the
 * lock in the middle of the run. Its history: started, one release signal,
 * completed, with their workflow tasks, at most JOB_LOCK_EVENTS (9).
 */
import { ApplicationFailure, condition, defineSignal, ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { DYNAMASK_JOB } from './search-attributes.ts';
import { jobLockWorkflowId } from './shared.ts';

export const releaseJobLockSignal = defineSignal('release');

export async function jobLock(): Promise<void> {
  let released = false;
  setHandler(releaseJobLockSignal, () => {
    released = true;
  });
  await condition(() => released);
}

/** Starts the lock as the calling run's child; a run that finds it held fails (JobLocked) before copying anything. */
export async function takeLock(jobName: string, holder: string) {
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
