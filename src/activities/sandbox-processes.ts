/**
 * Several JavaScript sandbox processes behind the one pool a plan is given.
 * One SandboxPool runs one process and sends it one page at a time, so the
 * pages of every table on a worker queue behind each other there; this
 * sends each page to the process with the fewest pages in flight instead.
 * Each process defines a plan's sandbox the first time it gets a page of
 * it, so a plan costs an isolate in every process it has used.
 */
import { SandboxPool, type PageOutcome, type SandboxHandle, type WirePageText } from '../../transformers/js/sandbox-pool.ts';
import type { SandboxDefinition } from '../../transformers/js/sandbox-protocol.ts';

export class SandboxProcesses extends SandboxPool {
  readonly #pools: { pool: SandboxPool; inFlight: number }[];
  #nextSandbox = 1;

  constructor(processes: number) {
    super();
    this.#pools = Array.from({ length: Math.max(1, processes) }, () => ({ pool: new SandboxPool(), inFlight: 0 }));
  }

  /** Processes started so far, across the pools. */
  get processStarts(): number {
    return this.#pools.reduce((sum, p) => sum + p.pool.starts, 0);
  }

  override open(definition: SandboxDefinition): SandboxHandle {
    // Handle IDs are this object's, so that no two plans share one in any process.
    return { id: this.#nextSandbox++, definition };
  }

  override async run(handle: SandboxHandle, page: WirePageText): Promise<PageOutcome> {
    const least = this.#pools.reduce((best, p) => (p.inFlight < best.inFlight ? p : best));
    least.inFlight++;
    try {
      return await least.pool.run(handle, page);
    } finally {
      least.inFlight--;
    }
  }

  override release(handle: SandboxHandle): void {
    for (const { pool } of this.#pools) pool.release(handle);
  }

  override close(): void {
    for (const { pool } of this.#pools) pool.close();
  }
}

/** The pool for `processes` sandbox processes: none of our own for one, so the process-wide pool serves as before. */
export function sandboxPoolFor(processes: number): SandboxPool | undefined {
  return processes > 1 ? new SandboxProcesses(processes) : undefined;
}
