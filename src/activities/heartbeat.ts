/**
 * Heartbeats the latest checkpoint every few seconds while an activity
 * waits on something slow that is not a page (a rate limit, SDK retries of
 * a throttled request, a sandbox restart), so a short heartbeat timeout can
 * still tell a dead worker from a slow table quickly.
 */
import { Context } from '@temporalio/activity';

const EVERY_MS = 5_000;

export function keepHeartbeating(latest: () => unknown): { stop(): void } {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(latest()), EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
