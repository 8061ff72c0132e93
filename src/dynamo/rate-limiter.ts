/**
 * A token bucket for one reader or writer: at most `perSecond` items a
 * second on average, with bursts up to one second's worth. A table's limit
 * is split evenly across its segments by the caller, so the sum over every
 * segment (on any number of workers) stays within the job's limit without
 * any shared state. Throttling by DynamoDB itself is handled by the SDK's
 * adaptive retry mode (clients.ts); this is the ceiling a job asks for.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class RateLimiter {
  readonly #perSecond: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(perSecond: number, now: () => number = Date.now) {
    this.#perSecond = perSecond;
    this.#tokens = perSecond;
    this.#now = now;
    this.#updatedAt = now();
  }

  /**
   * Takes `count` tokens, waiting as long as the bucket needs to refill.
   * The balance may go negative (a page read is only counted after it
   * arrives); the debt is paid by the next caller's wait.
   */
  async take(count: number, signal?: AbortSignal): Promise<void> {
    this.#refill();
    this.#tokens -= count;
    if (this.#tokens >= 0) return;
    const waitMs = (-this.#tokens / this.#perSecond) * 1000;
    await sleep(waitMs, undefined, signal ? { signal } : {});
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#perSecond, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#perSecond);
    this.#updatedAt = now;
  }
}

/** A no-op for tables without a limit, so callers need no branches. */
export const UNLIMITED = { take: async (_count: number, _signal?: AbortSignal): Promise<void> => {} };

export type Limiter = Pick<RateLimiter, 'take'>;

export function limiterFor(perSecond: number | undefined, share: number): Limiter {
  return perSecond === undefined ? UNLIMITED : new RateLimiter(perSecond / Math.max(1, share));
}
