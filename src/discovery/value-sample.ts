/**
 * The values kept per path for detection: a uniform reservoir of a fixed
 * number of values, each clipped to a fixed length, and a distinct-value
 * count kept as 32-bit hashes (so it holds no value). Memory per path is
 * bounded whatever the sample size.
 *
 * These are source values: they stay in the process that sampled them and
 * are never logged, written, or handed to Temporal. Detection returns
 * recognizer names and shares only.
 *
 * The reservoir draws from a fixed-seed generator, so the same items in the
 * same order give the same sample (and the same verdicts) on every run.
 */
import type { ScalarType } from './recognizers.ts';

export interface SampledValue {
  readonly type: ScalarType;
  readonly text: string;
  /** The value was longer than MAX_SAMPLED_CHARS and `text` is its beginning: whole-value shapes do not apply. */
  readonly clipped: boolean;
}

/** Values kept per path. */
export const SAMPLE_SIZE = 64;
/** Characters kept per value: enough for a paragraph of notes, not a document. */
export const MAX_SAMPLED_CHARS = 1024;
/** Distinct values counted exactly up to this many; above it the count says "at least". */
export const MAX_DISTINCT_COUNTED = 256;
/** Characters hashed for the distinct count: values that agree this far count as one. */
const HASHED_CHARS = 256;

export class ValueSample {
  /** Values offered, kept or not. */
  seen = 0;
  values: SampledValue[] = [];
  readonly #distinct = new Set<number>();
  #random: () => number;

  constructor(seed = 0x5eed) {
    this.#random = mulberry32(seed);
  }

  get distinct(): number {
    return this.#distinct.size;
  }

  get distinctCapped(): boolean {
    return this.#distinct.size >= MAX_DISTINCT_COUNTED;
  }

  /** `textHash` is `hashText(text)`, computed once by the caller for every path the value lands on. */
  add(type: ScalarType, text: string, textHash: number): void {
    if (this.#distinct.size < MAX_DISTINCT_COUNTED) this.#distinct.add(textHash);
    const index = this.seen++;
    // Algorithm R: the i-th value replaces a kept one with probability SAMPLE_SIZE / (i + 1).
    const slot = index < SAMPLE_SIZE ? index : Math.floor(this.#random() * (index + 1));
    if (slot >= SAMPLE_SIZE) return;
    const clipped = text.length > MAX_SAMPLED_CHARS;
    const value: SampledValue = { type, text: clipped ? text.slice(0, MAX_SAMPLED_CHARS) : text, clipped };
    if (slot === this.values.length) this.values.push(value);
    else this.values[slot] = value;
  }

  /**
   * Takes in another sample of a disjoint set of values (another item
   * type's), keeping each value with a weight of the share of values its
   * sample stands for.
   */
  merge(other: ValueSample): void {
    for (const h of other.#distinct) {
      if (this.#distinct.size >= MAX_DISTINCT_COUNTED) break;
      this.#distinct.add(h);
    }
    const total = this.seen + other.seen;
    if (other.seen === 0) return;
    if (total <= SAMPLE_SIZE) {
      this.values = [...this.values, ...other.values];
      this.seen = total;
      return;
    }
    const mine = [...this.values];
    const theirs = [...other.values];
    const merged: SampledValue[] = [];
    let mineLeft = this.seen;
    let theirsLeft = other.seen;
    while (merged.length < SAMPLE_SIZE && (mine.length > 0 || theirs.length > 0)) {
      const fromMine = theirs.length === 0 || (mine.length > 0 && this.#random() * (mineLeft + theirsLeft) < mineLeft);
      const from = fromMine ? mine : theirs;
      merged.push(from.splice(Math.floor(this.#random() * from.length), 1)[0]!);
      // Each pick uses up the share one kept value stood for.
      if (fromMine) mineLeft -= this.seen / this.values.length;
      else theirsLeft -= other.seen / other.values.length;
    }
    this.values = merged;
    this.seen = total;
  }
}

/** FNV-1a over the first HASHED_CHARS code units, mixed with the length. */
export function hashText(text: string): number {
  let h = 0x811c9dc5 ^ text.length;
  const end = Math.min(text.length, HASHED_CHARS);
  for (let i = 0; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A small, fast generator; quality is ample for choosing reservoir slots. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
