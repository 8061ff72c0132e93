/**
 * A job with a `schedule:` as the Temporal Schedule that runs it: one
 * schedule per job, ID `dynamask/<job>`, whose action starts `refreshJob`
 * with the whole loaded job, so the schedule never depends on a file on the
 * machine that applied it.
 */
import { createHash } from 'node:crypto';
import type { ScheduleOptions, ScheduleOptionsStartWorkflowAction, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Job, OverlapPolicy, ScheduleSpec } from '../../model/job.ts';
import { taskQueueFromEnv } from '../temporal/connection.ts';
import { runVisibility } from '../client/runs.ts';
import { DYNAMASK_JOB } from '../../workflows/search-attributes.ts';
import type { refreshJob } from '../../workflows/refresh-job.ts';

export const SCHEDULE_ID_PREFIX = 'dynamask/';

/**
 * Kept in the action's memo: the schedule's own memo cannot be changed by an
 * update, the action's can, and each started run carries it too (which spec
 * started it).
 */
export const DIGEST_MEMO = 'dynamaskScheduleDigest';
/** The schedule as the job file wrote it, for `schedule list`: the server hands back only compiled calendars. */
export const SPEC_MEMO = 'dynamaskScheduleSpec';

export type RefreshJobScheduleOptions = ScheduleOptions<ScheduleOptionsStartWorkflowAction<typeof refreshJob>>;

export interface DesiredSchedule {
  scheduleId: string;
  options: RefreshJobScheduleOptions;
  /** SHA-256 of the options (memo aside): equal digests mean applying would change nothing. */
  digest: string;
  /** Like `cron "0 3 * * *" Europe/Berlin, jitter 5m, overlap skip`. */
  specText: string;
}

export function scheduleIdForJob(jobName: string): string {
  return `${SCHEDULE_ID_PREFIX}${jobName}`;
}

export function jobNameOfScheduleId(scheduleId: string): string | undefined {
  return scheduleId.startsWith(SCHEDULE_ID_PREFIX) ? scheduleId.slice(SCHEDULE_ID_PREFIX.length) : undefined;
}

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: 'SKIP',
  bufferOne: 'BUFFER_ONE',
  bufferAll: 'BUFFER_ALL',
  cancelOther: 'CANCEL_OTHER',
  terminateOther: 'TERMINATE_OTHER',
  allowAll: 'ALLOW_ALL',
};

/** The job must have a schedule; `taskQueue` defaults to DYNAMASK_TASK_QUEUE or "dynamask". */
export function scheduleFromJob(job: Job, options: { taskQueue?: string } = {}): DesiredSchedule {
  const schedule = job.schedule;
  if (!schedule) throw new Error(`job "${job.name}" has no schedule`);
  const scheduleId = scheduleIdForJob(job.name);
  // What `dynamask run` shows in the Temporal UI, so scheduled runs look the same.
  const visibility = runVisibility(job);
  const specText = describeScheduleSpec(schedule);
  const scheduleOptions: RefreshJobScheduleOptions = {
    scheduleId,
    spec: {
      ...(schedule.cron ? { cronExpressions: schedule.cron } : { intervals: [{ every: schedule.every! }] }),
      ...(schedule.timezone !== undefined && { timezone: schedule.timezone }),
      ...(schedule.jitter !== undefined && { jitter: schedule.jitter }),
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'refreshJob',
      args: [{ job }],
      taskQueue: options.taskQueue ?? taskQueueFromEnv(),
      // The server appends the scheduled time: dynamask/<job>-2025-01-01T03:00:00Z.
      workflowId: scheduleId,
      ...visibility,
    },
    policies: { overlap: OVERLAP[schedule.overlap] },
    state: { paused: schedule.paused, ...(schedule.paused && { note: 'paused in the job file' }) },
    // The schedule itself is found by job too (`DynamaskJob = "x"` in the UI's schedule list).
    typedSearchAttributes: [{ key: DYNAMASK_JOB, value: job.name }],
  };
  const digest = createHash('sha256').update(canonicalJson(scheduleOptions)).digest('hex');
  scheduleOptions.action.memo = { [DIGEST_MEMO]: digest, [SPEC_MEMO]: specText };
  return { scheduleId, options: scheduleOptions, digest, specText };
}

export function describeScheduleSpec(schedule: ScheduleSpec): string {
  const when = schedule.cron ? schedule.cron.map((c) => `cron "${c}"`).join(' + ') : `every ${schedule.every}`;
  const parts = [`${when} ${schedule.timezone ?? 'UTC'}`];
  if (schedule.jitter) parts.push(`jitter ${schedule.jitter}`);
  parts.push(`overlap ${schedule.overlap}`);
  return parts.join(', ');
}

/**
 * A time zone the server cannot load fails the schedule at create time with
 * a gRPC error; checked here so that bad input fails before any write.
 */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return undefined;
  } catch {
    return `unknown time zone "${timezone}"; expected an IANA name such as UTC or Europe/Berlin`;
  }
}

/** JSON with object keys sorted, so that equal options give equal text whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
