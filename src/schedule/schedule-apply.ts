/**
 * Creates or updates a job's Temporal Schedule so that it matches the job,
 * idempotently: the digest of what was applied last travels with the
 * schedule, and an equal digest means there is nothing to do.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import type { Job } from '../../model/job.ts';
import { DIGEST_MEMO, scheduleFromJob } from './schedule-options.ts';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged';

export interface ApplyResult {
  scheduleId: string;
  outcome: ApplyOutcome;
  specText: string;
}

/**
 * The paused state follows the job when a schedule is created or updated; an
 * unchanged job leaves it alone, so `schedule pause` outlives a re-apply.
 */
export async function applySchedule(client: Client, job: Job, options: { taskQueue?: string } = {}): Promise<ApplyResult> {
  const desired = scheduleFromJob(job, options);
  const handle = client.schedule.getHandle(desired.scheduleId);
  const result = (outcome: ApplyOutcome): ApplyResult => ({ scheduleId: desired.scheduleId, outcome, specText: desired.specText });

  let current = await describeOrUndefined(handle);
  if (current === undefined) {
    try {
      await client.schedule.create(desired.options);
      return result('created');
    } catch (error) {
      // Another apply created it in between: compare with theirs.
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      current = await describeOrUndefined(handle);
      if (current === undefined) throw error;
    }
  }
  if (current.action.memo?.[DIGEST_MEMO] === desired.digest) return result('unchanged');

  const { spec, action, policies, state, typedSearchAttributes } = desired.options;
  await handle.update(() => ({ spec, action, policies, state: { paused: state?.paused ?? false, note: state?.note ?? 'updated by dynamask schedule apply' }, typedSearchAttributes }));
  return result('updated');
}

async function describeOrUndefined(handle: ReturnType<Client['schedule']['getHandle']>): Promise<ScheduleDescription | undefined> {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}
