/**
 * What `verify` remembers of the source across items, so that a value of
 * one item found in another destination item is caught too: a set of keyed
 * 64-bit digests of the source values the job transforms, each with the
 * item it came from and the mapping that covers it. No value is kept.
 *
 * Why digests and not a Bloom filter: a hit is reported as a survivor, and
 * without the values a hit cannot be confirmed afterwards, so a filter's
 * false positives would be false alarms on every large table (1% at ~10
 * bits a value, over millions of lookups). A 64-bit digest makes a false
 * hit a chance of n / 2^64 per lookup: about 5e-14 with a million values,
 * 5e-5 over a billion lookups.
 *
 * Why keyed: the digest is SHA-256 of a random per-run key and the value,
 * cut to 64 bits. Unkeyed digests of short values (a nine-digit SSN) are a
 * lookup table of the values; with a key that lives only in this process
 * and is never written, the set alone cannot be searched for a guess.
 *
 * Each entry tags its item with 32 bits of the destination key's hash, so
 * a value of item A found in item B is missed only if the two tags agree:
 * a chance of 2^-32 per such pair.
 *
 * Memory: open addressing (linear probing) in typed arrays, 14 bytes a
 * slot (64-bit digest, 32-bit item tag, 16-bit mapping), doubled when 70%
 * full, so 35% to 70% full: 20 to 40 bytes a value, 20 to 40 MB per
 * million values, and a fixed 2 MiB prefilter. `capacity` caps it; past
 * the cap, values are no longer added and `full` says so.
 */
import { hash, randomBytes } from 'node:crypto';

const EMPTY = 0;
const SLOT = 3;
/** Bits of the prefilter: 2 MiB, so most lookups of a value never added skip the SHA-256. */
const PREFILTER_BITS = 2 ** 24;
const MAX_LOAD = 0.7;
/** Mapping labels the set tells apart; later ones share the last. */
export const MAX_LABELS = 0xfffe;
/** Item tag for a value more than one source item holds: a hit is in another item whichever it is. */
export const SHARED_ITEM = 0xffffffff;

export interface DigestHit {
  /** Index of the mapping label given to `add`. */
  readonly label: number;
  /** The tag of the item the value came from, or SHARED_ITEM. */
  readonly item: number;
}

export class DigestSet {
  readonly #key = randomBytes(16).toString('hex');
  /**
   * One bit per value, by a fast 32-bit hash with a per-run seed: a lookup
   * whose bit is clear was never added, without the cost of a SHA-256
   * (most lookups, in the second pass). It only ever sends a lookup on to
   * the digests, so it adds no false hit.
   */
  readonly #prefilter = new Uint32Array(PREFILTER_BITS / 32);
  readonly #seed = randomBytes(4).readUInt32LE(0);
  readonly #capacity: number;
  #slots = new Uint32Array(1024 * SLOT);
  /** Mapping label + 1 per slot; EMPTY marks a free slot. */
  #labels = new Uint16Array(1024);
  #size = 0;
  #full = false;

  /** `capacity`: values kept at most. */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  /** Values were left out once the set reached its capacity. */
  get full(): boolean {
    return this.#full;
  }

  get bytes(): number {
    return this.#slots.byteLength + this.#labels.byteLength + this.#prefilter.byteLength;
  }

  /** `item`: a 32-bit tag of the destination item the value's item became; `label`: which mapping covers the value. */
  add(text: string, item: number, label: number): void {
    const bit = this.#bit(text);
    this.#prefilter[bit >>> 5]! |= 1 << (bit & 31);
    const [hi, lo] = this.#digest(text);
    let slot = this.#find(hi, lo);
    if (this.#labels[slot] !== EMPTY) {
      if (this.#slots[slot * SLOT + 2] !== item >>> 0) this.#slots[slot * SLOT + 2] = SHARED_ITEM;
      return;
    }
    if (this.#size >= this.#capacity) {
      this.#full = true;
      return;
    }
    if (this.#size + 1 > this.#labels.length * MAX_LOAD) {
      this.#grow();
      slot = this.#find(hi, lo);
    }
    this.#slots[slot * SLOT] = hi;
    this.#slots[slot * SLOT + 1] = lo;
    this.#slots[slot * SLOT + 2] = item >>> 0;
    this.#labels[slot] = Math.min(label, MAX_LABELS - 1) + 1;
    this.#size++;
  }

  get(text: string): DigestHit | undefined {
    const bit = this.#bit(text);
    if ((this.#prefilter[bit >>> 5]! & (1 << (bit & 31))) === 0) return undefined;
    const [hi, lo] = this.#digest(text);
    const slot = this.#find(hi, lo);
    const label = this.#labels[slot]!;
    return label === EMPTY ? undefined : { label: label - 1, item: this.#slots[slot * SLOT + 2]! };
  }

  #bit(text: string): number {
    let h = this.#seed ^ 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return (h >>> 0) & (PREFILTER_BITS - 1);
  }

  #digest(text: string): [number, number] {
    const digest = hash('sha256', this.#key + text, 'buffer');
    return [digest.readUInt32LE(0), digest.readUInt32LE(4)];
  }

  /** The slot holding the digest, or the empty slot where it would go. */
  #find(hi: number, lo: number): number {
    const mask = this.#labels.length - 1;
    for (let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      if (this.#labels[slot] === EMPTY || (this.#slots[slot * SLOT] === hi && this.#slots[slot * SLOT + 1] === lo)) return slot;
    }
  }

  #grow(): void {
    const slots = this.#slots;
    const labels = this.#labels;
    this.#slots = new Uint32Array(slots.length * 2);
    this.#labels = new Uint16Array(labels.length * 2);
    for (let slot = 0; slot < labels.length; slot++) {
      if (labels[slot] === EMPTY) continue;
      const to = this.#find(slots[slot * SLOT]!, slots[slot * SLOT + 1]!);
      this.#slots.set(slots.subarray(slot * SLOT, slot * SLOT + SLOT), to * SLOT);
      this.#labels[to] = labels[slot]!;
    }
  }
}

/** A 32-bit tag of a destination item's key, to tell a value's own item from others (FNV-1a over its key's text). */
export function itemTag(keyId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < keyId.length; i++) h = Math.imul(h ^ keyId.charCodeAt(i), 0x01000193);
  // SHARED_ITEM is reserved.
  return (h >>> 0) === SHARED_ITEM ? 0 : h >>> 0;
}
