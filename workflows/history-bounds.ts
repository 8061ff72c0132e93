/**
 * What keeps every run's history bounded, whatever the number of tables,
 * segments and calls, and however long the run lasts. Temporal refuses a
 * history past 51,200 events (and warns from 10,240), so each workflow type
 * has a fixed ceiling of events per run, well under the warning:
 *
 * - refreshJob: at most REFRESH_JOB_EVENTS (it takes the lock and starts
 *   one runTables child, whatever the job);
 * - jobLock: at most JOB_LOCK_EVENTS;
 * - runTables: at most its history limit (RUN_TABLES_HISTORY_LIMIT by
 *   default), by construction: it starts a table only when that table's
 *   worst case still fits (RUN_TABLES_EVENTS_PER_TABLE), and continues as
 *   new when nothing more fits and nothing runs;
 * - copyTable: at most copyTableEventsPerRun(callsPerRun), 3,533 for the
 *   default 500 calls, since it continues as new after so many calls;
 *   an incremental table's at most incrementalCopyTableEventsPerRun, 3,692
 *   (its stream's listings and shard calls count as calls);
 * - streamCheckpoint: at most STREAM_CHECKPOINT_EVENTS (905), since it
 *   continues as new after so many saves and requests.
 *
 * A follower (`dynamask follow`) is a copyTable that goes on applying its
 * stream: each of its runs has the same bound, as it continues as new
 * after as many calls, and its reports to runTables stop at
 * PROGRESS_REPORTS_MAX however long it follows.
 *
 * Event costs (from the history a run leaves): an incoming event (activity
 * or child closed, child started, signal received, signal delivered) wakes
 * the workflow, which is a workflow task: scheduled, started, completed (3).
 * A workflow task that fails or times out (a worker crashed mid-task) adds
 * 2 more each time, and a run that is canceled adds the cancellation's
 * events (stop-children.ts asks each child still running every 5 s until
 * it ends): neither is counted below, since neither grows with the work.
 *
 * Sizes are bounded too. Counts are numbers, plus the privacy report's
 * rows (model/counts.ts): summed per path in copyPages, at most
 * MAX_REPORTED_PATHS (100, ~8 KB) in any call's result, heartbeat, table
 * result or continueAsNew input, however many pages or paths the table has;
 * progress reports and queries carry no rows. A job's result holds its
 * tables' rows: under Temporal's 2 MB payload limit up to some 200 tables.
 */

/** copyPages (or pruneDestination, or the one pruneDestinationForward) calls per copyTable run before continueAsNew. */
export const CALLS_PER_RUN = 500;

/**
 * A table reports to its runner when its phase changes (prepared, copying,
 * pruning: at most PHASE_REPORTS) and otherwise at most every
 * max(REPORT_EVERY_MS, REPORT_SHARE × the time it has been copying), so a
 * copy of D seconds sends at most 10 + log(D / 300 s) / log(1.1) reports:
 * 81 in three days (72 with a call every 10 s). Past PROGRESS_REPORTS_MAX (some 18 days in) it sends no
 * more; live counts never depended on them (clients query the table itself).
 */
export const PHASE_REPORTS = 3;
export const PROGRESS_REPORTS_MAX = 100;
export const REPORT_EVERY_MS = 30_000;
export const REPORT_SHARE = 0.1;

/** Where a table's reports to its runner stand; carried across continueAsNew. */
export interface ReportState {
  /** Progress reports sent so far (phase reports not counted). */
  sent: number;
  /** Workflow time of the last report of either kind. */
  atMs: number;
}

/** Whether a progress report is due after a call that ended at `nowMs`. */
export function progressReportDue(state: ReportState, startedAtMs: number, nowMs: number): boolean {
  if (state.sent >= PROGRESS_REPORTS_MAX) return false;
  return nowMs - state.atMs >= Math.max(REPORT_EVERY_MS, REPORT_SHARE * (nowMs - startedAtMs));
}

/**
 * A copyTable run: started (1), its first task (3) and its patch marker
 * (1); prepareTable (3 + 3, first run only); per call, the activity's
 * scheduled, started and completed (3) and the task its result wakes (3);
 * per report, the signal initiated (1), delivered (1) and the task that
 * wakes (3); the merge count of a table that may merge keys (3 + 3, once);
 * and the close (1).
 */
export function copyTableEventsPerRun(callsPerRun: number = CALLS_PER_RUN): number {
  return 5 + 6 + 6 * callsPerRun + 5 * (PHASE_REPORTS + PROGRESS_REPORTS_MAX) + 6 + 1;
}

/**
 * What one table adds to its runner's history at most: the child's start
 * initiated (1), started (1 + 3), closed (1 + 3), and per report received,
 * the signal (1 + 3).
 */
export const RUN_TABLES_EVENTS_PER_TABLE = 9 + 4 * (PHASE_REPORTS + PROGRESS_REPORTS_MAX);

/** Events a runTables run may reach; under Temporal's warning at 10,240. */
export const RUN_TABLES_HISTORY_LIMIT = 8_000;

/** The close of a run (completed, failed or continued as new). */
export const RUN_CLOSE_EVENTS = 1;

/** Tables copied at once by one run of a job. */
export const TABLES_IN_FLIGHT = 8;

/**
 * refreshJob: started (1 + 3) and its patch marker (1); the lock's start
 * initiated (1), started (1 + 3) and maybe closed (1 + 3); runTables'
 * start initiated (1), started (1 + 3) and closed (1 + 3); the release
 * signal initiated (1) and delivered (1 + 3); the close (1).
 */
export const REFRESH_JOB_EVENTS = 5 + 9 + 9 + 5 + 1;

/** jobLock: started (1 + 3), the release signal (1 + 3), completed (1). */
export const JOB_LOCK_EVENTS = 9;

/** Signals a streamCheckpoint run takes (saves and requests) before it continues as new. */
export const STREAM_CHECKPOINT_SIGNALS_PER_RUN = 100;

/**
 * streamCheckpoint: started (1 + 3); per save, the signal (1) and its task
 * (3); per request, the signal (1 + 3) and the reply (initiated 1,
 * signaled 1, its task 3): at most 9 a signal; the close (1). Signals
 * that arrive while it continues as new go to the next run.
 */
export const STREAM_CHECKPOINT_EVENTS = 4 + 9 * STREAM_CHECKPOINT_SIGNALS_PER_RUN + 1;

/** A following or catching-up table saves its checkpoint every so many applyShardChanges calls, besides at its end, before continueAsNew and when canceled. */
export const SAVE_EVERY_CALLS = 20;

/**
 * What mode incremental adds to a copyTable run: the checkpoint's workflow
 * started (1 + 1 + 3), asked (1 + 1 + 3) and its answer (1 + 3); cleared
 * before a full copy, saved after it, at the end and when canceled (5
 * each: initiated, signaled and the task it wakes); a save every
 * SAVE_EVERY_CALLS calls (5). planStream and applyShardChanges calls count
 * as calls (6 each) of copyTableEventsPerRun.
 */
export function streamEventsPerRun(callsPerRun: number = CALLS_PER_RUN): number {
  return 14 + 5 * 4 + 5 * Math.ceil(callsPerRun / SAVE_EVERY_CALLS);
}

/** A copyTable run of an incremental table: a copy's events and the stream's (3,692 for the default 500 calls). */
export function incrementalCopyTableEventsPerRun(callsPerRun: number = CALLS_PER_RUN): number {
  return copyTableEventsPerRun(callsPerRun) + streamEventsPerRun(callsPerRun);
}
