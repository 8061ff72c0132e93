/**
 * A segment's next page, read as a copyPages call hands its cursor back on
 * its time budget, and kept for the segment's next call if that call lands
 * on this worker. Without it every call starts cold: nothing is written
 * until its first page arrives, and a 1 MB Scan page is the slowest request
 * of a copy, so each 10 s call lost a read's time to the handoff. The
 * read-ahead a call does between its own pages now also runs across calls.
 *
 * Pages stay in this process's memory, as within a call, keyed by the
 * table run's workflow ID, the segment and the sealed cursor the call
 * returned (the one the next call is given), so a page is only ever taken
 * by the call that would have read it. A page nobody takes (the next call
 * went to another worker, or the run stopped) is dropped after `ttlMs`; a
 * page whose read failed is taken as a miss, and the call reads again.
 */
import type { ReadTablePage } from '../dynamo/table-reader.ts';

export interface PageHandoffKey {
  workflowId: string;
  segment: number;
  /** The sealed cursor the ending call returned: the next call's `cursor`. */
  cursor: string;
}

/** Long enough for the workflow to schedule the next call under load, short enough that an untaken page does not linger. */
const DEFAULT_TTL_MS = 30_000;

export class PageHandoff {
  readonly #pages = new Map<string, { page: Promise<ReadTablePage>; timer: NodeJS.Timeout }>();
  readonly #ttlMs: number;

  constructor(ttlMs = DEFAULT_TTL_MS) {
    this.#ttlMs = ttlMs;
  }

  /** Keeps a page being read for the call that resumes at `key.cursor`. */
  offer(key: PageHandoffKey, page: Promise<ReadTablePage>): void {
    // Its failure is the taker's miss, or nobody's.
    page.catch(() => undefined);
    const text = keyText(key);
    this.#forget(text);
    const timer = setTimeout(() => this.#pages.delete(text), this.#ttlMs);
    timer.unref();
    this.#pages.set(text, { page, timer });
  }

  /** The page offered for `key`, once: undefined if none was, or it was dropped, or its read failed. */
  async take(key: PageHandoffKey): Promise<ReadTablePage | undefined> {
    const text = keyText(key);
    const entry = this.#pages.get(text);
    if (entry === undefined) return undefined;
    this.#forget(text);
    return entry.page.catch(() => undefined);
  }

  /** Pages held now, for tests. */
  get size(): number {
    return this.#pages.size;
  }

  #forget(text: string): void {
    const entry = this.#pages.get(text);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.#pages.delete(text);
  }
}

function keyText({ workflowId, segment, cursor }: PageHandoffKey): string {
  return `${workflowId}\u0000${segment}\u0000${cursor}`;
}
