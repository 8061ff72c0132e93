/**
 * One run of a job: take the job's lock, then hand the tables to one
 * runTables child (run-tables.ts), which copies them with bounded
 * concurrency and continues as new as often as its history needs. This
 * workflow never continues as new, so the lock stays its child for the
 * whole run and Temporal's parent-close policy still ends the lock however
 * the run ends, terminated included; and its own history stays under
 * REFRESH_JOB_EVENTS (29) events, whatever the job and however long it runs.
 *
 * Its `progress` query says which tables the run has (pending) until the
 * tables' child returns, and their final lines afterwards; live progress is
 * the tables' child's and each copyTable's, which clients read directly
 * (src/client/runs.ts `runProgress`).
 */
import { ApplicationFailure, CancellationScope, ChildWorkflowFailure, executeChild, patched, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { ZERO_COUNTS } from '../model/counts.ts';
import { releaseJobLockSignal, takeLock } from './job-lock.ts';
import { refreshJobBeforeRunTables } from './refresh-job-before-run-tables.ts';
import { runTables } from './run-tables.ts';
import { stopChildrenWhenCanceled, STOP_BY_ID_PATCH } from './stop-children.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from './search-attributes.ts';
import { tableDetails } from './table-details.ts';
import {
  clipToBytes,
  progressQuery,
  SUMMARY_MAX_BYTES,
  tablesWorkflowId,
  type RefreshJobInput,
  type RefreshJobResult,
  type TableProgress,
} from './shared.ts';

/** Marks runs that copy through runTables; runs started before it replay the old way. */
export const RUN_TABLES_PATCH = 'dynamask-run-tables';

export async function refreshJob(input: RefreshJobInput): Promise<RefreshJobResult> {
  if (!patched(RUN_TABLES_PATCH)) return refreshJobBeforeRunTables(input);
  const { job, limits } = input;
  const startedAtMs = Date.now();
  const { workflowId } = workflowInfo();
  const tablesId = tablesWorkflowId(workflowId);
  // Handlers first: `dynamask status` may ask before the lock is taken.
  let progress: TableProgress[] = job.tables.map((t) => ({ source: t.source, destination: t.destination, status: 'pending', ...ZERO_COUNTS }));
  setHandler(progressQuery, () => progress);
  setCurrentDetails(`${job.tables.length} table(s), copied by the child workflow \`${tablesId}\`; its details and each table's show the progress.`);
  const lock = await takeLock(job.name, workflowId);
  let tablesRunning = true;
  stopChildrenWhenCanceled(() => (tablesRunning ? [tablesId] : []), () => patched(STOP_BY_ID_PATCH));

  try {
    const result = await executeChild(runTables, {
      workflowId: tablesId,
      staticSummary: clipToBytes(`${job.name}: ${job.tables.length} table(s)`, SUMMARY_MAX_BYTES),
      typedSearchAttributes: [
        { key: DYNAMASK_JOB, value: job.name },
        { key: DYNAMASK_TABLE, value: [...new Set(job.tables.map((t) => t.source))] },
      ],
      args: [{ job, runWorkflowId: workflowId, ...(limits ? { limits } : {}), ...(input.follow && { follow: true }) }],
    })
      .catch(failAsTheTables)
      .finally(() => (tablesRunning = false));
    progress = result.progress;
    setCurrentDetails(progress.map((p) => tableDetails(p, Date.now())).join('\n\n---\n\n'));
    return { job: job.name, tables: result.tables, durationMs: Date.now() - startedAtMs };
  } finally {
    const release = () => lock.signal(releaseJobLockSignal);
    // A stopped follower completes in a canceled scope, where a signal would not be sent: the lock is released all the same, so the next run need not wait for the parent-close policy.
    const stopped = CancellationScope.current().consideredCancelled && patched(STOP_BY_ID_PATCH);
    await (stopped ? CancellationScope.nonCancellable(release) : release()).catch(() => undefined);
  }
}

/**
 * The run fails as its tables' child did (JobFailed with the tables'
 * records), not wrapped in a child failure: clients read the records from
 * the run's own failure. Anything else (the child terminated, the run
 * canceled) goes up as it came.
 */
function failAsTheTables(error: unknown): never {
  const cause = error instanceof ChildWorkflowFailure ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type === 'JobFailed') {
    throw ApplicationFailure.create({ type: cause.type, message: cause.message, nonRetryable: true, details: cause.details ? [...cause.details] : [] });
  }
  throw error;
}
