/**
 * The forward prune of a replaced table (src/activities/prune-forward.ts):
 * one call that reads the whole selection again, so it is timed like the
 * merge count (hours to run, retried from the start), with the run's
 * heartbeat timeout, since it heartbeats every page as the page calls do.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';
import type { PrepareTableResult, PruneForwardResult } from '../src/activities/contracts.ts';
import { HEARTBEAT_TIMEOUT_MS, MIN_HEARTBEAT_TIMEOUT_MS } from './page-activities.ts';
import type { CopyTableInput } from './shared.ts';
import { tableActivityInput } from './table-activity-input.ts';

export async function pruneForward(input: CopyTableInput, plan: PrepareTableResult): Promise<PruneForwardResult> {
  const { pruneDestinationForward } = proxyActivities<Activities>({
    startToCloseTimeout: '6 hours',
    heartbeatTimeout: Math.max(MIN_HEARTBEAT_TIMEOUT_MS, input.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
  });
  const tableInput = tableActivityInput(input, plan);
  return pruneDestinationForward.executeWithOptions({ summary: `prune ${input.table.destination} (forward)` }, [
    {
      ...tableInput,
      // An incremental table's full copy prunes as mode replace does.
      table: input.table.mode === 'incremental' ? { ...input.table, mode: 'replace' } : input.table,
      readPlan: plan.readPlan,
    },
  ]);
}
