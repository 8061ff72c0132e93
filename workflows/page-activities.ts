/**
 * The activities that work through a table page by page (copyPages,
 * pruneDestination, applyShardChanges), proxied with the run's heartbeat
 * timeout: how long Temporal waits on a silent call before it retries the
 * call on another worker. They heartbeat after every page and every 5 s
 * while they wait on something else, so 30 s of silence means the worker
 * is gone; a run may set less (the tests of killed workers do, to wait
 * less), never below what those heartbeats need.
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';

export const HEARTBEAT_TIMEOUT_MS = 30_000;
/** Twice the 5 s a waiting call heartbeats at, so one late heartbeat is no death. */
export const MIN_HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * `waitForCancel`: a canceled call is waited for until it has stopped (it
 * learns of the cancel at its next heartbeat), not abandoned. A stopped
 * follower needs that: while its last call still writes, a run started
 * after the stop could apply newer changes that call then overwrites.
 */
export function pageActivities(heartbeatTimeoutMs: number = HEARTBEAT_TIMEOUT_MS, options: { waitForCancel?: boolean } = {}) {
  return proxyActivities<Activities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: Math.max(MIN_HEARTBEAT_TIMEOUT_MS, heartbeatTimeoutMs),
    ...(options.waitForCancel && { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED }),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
}
