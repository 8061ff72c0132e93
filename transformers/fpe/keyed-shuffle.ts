/**
 * A keyed permutation of a small range [0, size), size < 1,000,000: the
 * domains FF1 may not serve under SP 800-38G Rev. 1 (a 4-digit code, 3 hex
 * digits, a 4-character alphanumeric ID).
 *
 * The whole range is shuffled once, Fisher–Yates driven by AES-256-CTR under
 * a key of its own: given the key, every one of the size! orderings is
 * equally likely (each index is drawn by rejection, without modulo bias).
 * That is an ideal cipher on the range rather than a Feistel network, so it
 * has none of the small-domain weaknesses that made NIST raise FF1's minimum;
 * what it gives away is only what any permutation of a tiny set must (a
 * value seen with its image tells nothing about the others beyond which
 * images are taken).
 *
 * A table costs 4 bytes per element and a keystream word per element to
 * build: at the limit 4 MB, and about 25 times an HMAC-SHA-256 per 1,000
 * elements (some 40 ms on an idle machine of this kind). The inverse is
 * built only when asked for.
 */
import { createCipheriv, type Cipheriv } from 'node:crypto';

/** Keystream read per refill, after the first word for each position: 1 K words. */
const STREAM_BYTES = 4096;

export class KeyedShuffle {
  readonly size: number;
  private readonly table: Uint32Array;
  private inverse: Uint32Array | undefined;

  /** `key`: 32 bytes, used only for this range (see keys.ts). */
  constructor(key: Uint8Array, size: number) {
    if (key.length !== 32) throw new RangeError(`a keyed shuffle needs a 32-byte key, not ${key.length}`);
    if (!Number.isInteger(size) || size < 1 || size > 0xffffffff) throw new RangeError(`a keyed shuffle takes a size from 1 to 2^32 - 1, not ${size}`);
    this.size = size;
    this.table = shuffledRange(key, size);
  }

  forward(x: number): number {
    return this.table[this.check(x)]!;
  }

  backward(x: number): number {
    if (this.inverse === undefined) {
      const inverse = new Uint32Array(this.size);
      for (let i = 0; i < this.size; i++) inverse[this.table[i]!] = i;
      this.inverse = inverse;
    }
    return this.inverse[this.check(x)]!;
  }

  /** Bytes held (the table, and the inverse once built): for a cache that bounds memory. */
  get bytes(): number {
    return this.table.byteLength + (this.inverse?.byteLength ?? 0);
  }

  private check(x: number): number {
    if (!(Number.isInteger(x) && x >= 0 && x < this.size)) throw new RangeError(`keyed shuffle input must be an integer from 0 to ${this.size - 1}`);
    return x;
  }
}

function shuffledRange(key: Uint8Array, size: number): Uint32Array {
  const table = new Uint32Array(size);
  for (let i = 0; i < size; i++) table[i] = i;
  const stream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  // One word per position, and a refill for the rare redraws.
  let words = keystream(stream, 4 * size);
  let next = 0;
  // Fisher–Yates: position i takes a uniform j in [0, i]. Words at or above
  // the largest multiple of (i + 1) below 2^32 are redrawn, so j is unbiased.
  for (let i = size - 1; i > 0; i--) {
    const bound = i + 1;
    const limit = 2 ** 32 - (2 ** 32 % bound);
    let w: number;
    do {
      if (next === words.byteLength) {
        words = keystream(stream, STREAM_BYTES);
        next = 0;
      }
      // Little-endian whatever the platform, so a salt shuffles alike everywhere.
      w = words.getUint32(next, true);
      next += 4;
    } while (w >= limit);
    const j = w % bound;
    const t = table[i]!;
    table[i] = table[j]!;
    table[j] = t;
  }
  return table;
}

function keystream(stream: Cipheriv, bytes: number): DataView {
  const out = stream.update(Buffer.alloc(bytes));
  return new DataView(out.buffer, out.byteOffset, out.byteLength);
}
