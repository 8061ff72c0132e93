/**
 * How a run stops when it is canceled (`dynamask stop`, or a cancel in the
 * UI): refreshJob cancels its runTables, and runTables each running table
 * (copyTable), by workflow ID. Canceling a child the ordinary way reaches
 * only the run it started as, not the runs it continued as new into
 * (temporalio/features#503), so it would never reach a table that has
 * continued as new (every 500 calls, and a follower always has); a request
 * by ID reaches the current run. A request that met a run just as it
 * continued as new is lost with it, so the children still running are
 * asked again every STOP_AGAIN_AFTER. A follower then completes with its
 * report (copy-table.ts); any other table ends canceled.
 */
import { CancellationScope, condition, getExternalWorkflowHandle } from '@temporalio/workflow';

// A stop is waited for in a terminal: soon, but not so often that a slow stop fills the history (5 events a child each time).
const STOP_AGAIN_AFTER = '5 seconds';

/**
 * `running`: the workflow IDs of the children not ended yet; `enabled`,
 * asked once canceled, so that runs of versions before this (whose
 * histories hold no such requests) replay as they ran.
 */
export function stopChildrenWhenCanceled(running: () => string[], enabled: () => boolean): void {
  CancellationScope.current().cancelRequested.catch(async () => {
    if (!enabled()) return;
    await CancellationScope.nonCancellable(async () => {
      while (running().length > 0) {
        await Promise.all(running().map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
        await condition(() => running().length === 0, STOP_AGAIN_AFTER);
      }
    });
  });
}

/** Marks runs that cancel their children by ID (and release the job's lock themselves) when canceled. */
export const STOP_BY_ID_PATCH = 'dynamask-stop-by-id';
