/**
 * Values by key for a short time, so that every activity of a run does not
 * call Secrets Manager (which bills per call and throttles), while a rotated
 * secret is picked up within the TTL. Concurrent lookups of one key share
 * one call; a failed call is not kept, so the next lookup tries again.
 */
export class SecretCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { expires: number; value: Promise<string> }>();

  constructor(options: { ttlMs: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  get(key: string, load: () => Promise<string>): Promise<string> {
    const now = this.#now();
    const known = this.#entries.get(key);
    if (known && known.expires > now) return known.value;
    const value = load();
    if (this.#ttlMs <= 0) return value;
    const entry = { expires: Number.POSITIVE_INFINITY, value };
    this.#entries.set(key, entry);
    value.then(
      // The TTL counts from when the value arrived, not from when it was asked for.
      () => {
        entry.expires = this.#now() + this.#ttlMs;
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    this.#prune(now);
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(key);
  }
}
