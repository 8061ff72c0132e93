/**
 * The Temporal failure an activity or a table's child workflow ended with,
 * as the records of model/failure.ts. An activity's cause travels in its
 * failure's details (src/activities/failures.ts); a failure without one (a
 * timeout, a child ended from outside, a worker of an older version) gets
 * a reason from its kind and keeps its message.
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/workflow';
import type { TableCounts } from '../model/counts.ts';
import { failureCauseOf, tableFailureOf, type FailureCause, type TableFailure, type TablePhase } from '../model/failure.ts';
import type { TableJob } from '../model/job.ts';

/** What an activity (or anything else in copyTable) failed with. */
export function causeOf(error: unknown): FailureCause {
  const activity = error instanceof ActivityFailure ? error.activityType : undefined;
  const failure = (error instanceof ActivityFailure || error instanceof ChildWorkflowFailure) && error.cause ? error.cause : error;
  if (failure instanceof ApplicationFailure) {
    const cause = failureCauseOf(failure.details?.[0]);
    if (cause) return cause;
  }
  const what = activity ?? "the table's workflow";
  if (failure instanceof TimeoutFailure) return { reason: 'TimedOut', message: `${what} timed out (${failure.message || 'no reason given'})` };
  if (failure instanceof TerminatedFailure) return { reason: 'Terminated', message: `${what} was terminated` };
  if (failure instanceof CancelledFailure) return { reason: 'Canceled', message: `${what} was canceled` };
  return { reason: 'Unexpected', message: failure instanceof Error ? failure.message : `${what} failed` };
}

/** The table's failure from copyTable: the activity's cause, with the table, the phase and the counts so far. */
export function tableFailure(table: TableJob, phase: TablePhase, counts: TableCounts, error: unknown): TableFailure {
  const { progress, ...cause } = causeOf(error);
  return {
    source: table.source,
    destination: table.destination,
    phase,
    // The failing call's own pages written before it failed count too: the table got that far.
    counts: { read: counts.read + (progress?.read ?? 0), written: counts.written + (progress?.written ?? 0), deleted: counts.deleted },
    ...cause,
  };
}

/**
 * A copyTable child's failure as refreshJob sees it: the record it failed
 * with, or one made from its last progress report when it carries none.
 */
export function childTableFailure(error: unknown, table: TableJob, last: { phase?: TablePhase } & TableCounts): TableFailure {
  const failure = error instanceof ChildWorkflowFailure ? error.cause : error;
  const record = failure instanceof ApplicationFailure ? tableFailureOf(failure.details?.[0]) : undefined;
  return record ?? tableFailure(table, last.phase ?? 'prepare', last, error);
}
