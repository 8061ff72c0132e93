/**
 * The outputs of recently permuted values. A single-table item repeats its
 * identifiers (`pk`, `sk`, GSI keys, references) and a scan returns an item
 * collection together, so most lookups hit while the cache stays small.
 *
 * Two generations approximate LRU without bookkeeping: hits in the older
 * generation move to the newer, and when the newer is full the older is
 * dropped whole.
 */
export class RecentValues {
  private readonly generationSize: number;
  private newer = new Map<string, string>();
  private older = new Map<string, string>();

  constructor(generationSize: number) {
    this.generationSize = generationSize;
  }

  get(value: string): string | undefined {
    const hit = this.newer.get(value);
    if (hit !== undefined) return hit;
    const old = this.older.get(value);
    if (old !== undefined) this.set(value, old);
    return old;
  }

  set(value: string, output: string): void {
    if (this.newer.size >= this.generationSize) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(value, output);
  }
}
