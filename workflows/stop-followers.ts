/**
 * How a following run stops (`dynamask stop`, or a cancel in the UI): the
 * run is canceled, and its runTables, once canceled, cancels each running
 * follower (copyTable) by its workflow ID. Canceling a child the ordinary
 * way reaches only the run it started as, not the runs it continued as new
 * into (temporalio/features#503), so it would never reach a follower that
 * has continued as new; a request by ID reaches the current run. A request
 * that met a run just as it continued as new is lost with it, so the
 * followers still running are asked again every STOP_AGAIN_AFTER.
 */
import { CancellationScope, condition, getExternalWorkflowHandle } from '@temporalio/workflow';

const STOP_AGAIN_AFTER = '30 seconds';

/** `running`: the workflow IDs of the followers not ended yet. */
export function stopFollowersWhenCanceled(running: () => string[]): void {
  CancellationScope.current().cancelRequested.catch(() =>
    CancellationScope.nonCancellable(async () => {
      while (running().length > 0) {
        await Promise.all(running().map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
        await condition(() => running().length === 0, STOP_AGAIN_AFTER);
      }
    }),
  );
}
