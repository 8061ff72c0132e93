/**
 * Keyed permutations of the ranges [0, size) that shapes are drawn from,
 * chosen by size:
 *   - below 1,000,000 (SP 800-38G Rev. 1's floor for FF1): a keyed shuffle
 *     of the whole range (keyed-shuffle.ts);
 *   - a range that is exactly radix^length (digits, hex, a UUID's 122 bits):
 *     FF1 over those numerals;
 *   - a range inside radix^length (integers without a leading zero:
 *     9·10^(n−1) of 10^n), or of any other size (an alphanumeric pattern: a
 *     product of 10s and 26s) over the bits of size - 1: FF1 cycle-walked,
 *     re-encrypted until the result is below size. That is a permutation of
 *     [0, size) (it follows the FF1 cycle to the next member); the calls it
 *     takes on average are radix^length / size, under 2 over bits and 10/9
 *     for integers.
 *
 * Short alphanumeric patterns share tables: there are 3^n patterns of n
 * characters but only n + 1 sizes (10^digits · 26^letters), and a table per
 * pattern would mean hundreds of megabytes for a column of random 4-character
 * codes. Each pattern enters and leaves its size's table through keyed
 * offsets of its own, so the mapping of one pattern says nothing about
 * another's unless two known pairs happen to meet inside the table (about
 * k1·k2/size for k1 and k2 known pairs).
 */
import { AesEcb, Ff1, MIN_DOMAIN_SIZE } from './ff1.ts';
import { KeyedShuffle } from './keyed-shuffle.ts';
import type { RangeInteger } from './formats.ts';
import { rangeTweak, shuffleKey, offsetKey, type FpeKeys } from './keys.ts';

export interface RangePermutation {
  forward(x: RangeInteger): RangeInteger;
  backward(x: RangeInteger): RangeInteger;
}

export interface RangeSpec {
  /** Part of the tweak: two ranges of one size permute independently. */
  readonly range: string;
  /** The table a range below 1,000,000 uses (`range` itself unless it shares one). */
  readonly table: string;
  readonly size: bigint;
  /** The FF1 numerals the range lies within (radix^length ≥ size); undefined for the bits of size - 1. */
  readonly numerals: { readonly radix: number; readonly length: number } | undefined;
}

/** Shuffle tables held per permutation: a 6-digit-short range takes up to 8 MB with its inverse. */
const TABLE_BYTES = 32 * 2 ** 20;
/** FF1 instances and table entries held per permutation (an FF1 instance is small: its AES context is shared). */
const MAX_RANGES = 4096;

/** The range permutations of one identifier permutation (one salt and scope). */
export class RangePermutations {
  private readonly keys: FpeKeys;
  private readonly aes: AesEcb;
  private readonly scope: string;
  private readonly tables: TableCache;
  private readonly ranges = new Map<string, RangePermutation>();
  private lastRange: string | undefined;
  private lastPermutation: RangePermutation | undefined;

  constructor(keys: FpeKeys, scope: string, tableBytes = TABLE_BYTES) {
    this.keys = keys;
    this.aes = new AesEcb(keys.ff1);
    this.scope = scope;
    this.tables = new TableCache(tableBytes);
  }

  get(spec: RangeSpec): RangePermutation {
    // Runs of one format are the common case.
    if (spec.range === this.lastRange) return this.lastPermutation!;
    let permutation = this.ranges.get(spec.range);
    if (permutation === undefined) {
      permutation = this.make(spec);
      // Rebuilding is deterministic and cheap; the bound only stops a column of ever-new patterns from growing the map.
      if (this.ranges.size >= MAX_RANGES) this.ranges.clear();
      this.ranges.set(spec.range, permutation);
    }
    this.lastRange = spec.range;
    this.lastPermutation = permutation;
    return permutation;
  }

  /** Bytes of the shuffle tables held now. */
  get tableBytes(): number {
    return this.tables.bytes;
  }

  private make(spec: RangeSpec): RangePermutation {
    if (spec.size < BigInt(MIN_DOMAIN_SIZE)) return this.makeSmall(spec);
    const tweak = rangeTweak(this.scope, spec.range);
    const size = spec.size;
    const ff1 =
      spec.numerals === undefined
        ? new Ff1(this.aes, tweak, 2, (size - 1n).toString(2).length)
        : new Ff1(this.aes, tweak, spec.numerals.radix, spec.numerals.length);
    if (ff1.size === size) {
      return {
        forward: (x) => (typeof x === 'number' ? ff1.encrypt(x) : ff1.encryptBig(x)),
        backward: (x) => (typeof x === 'number' ? ff1.decrypt(x) : ff1.decryptBig(x)),
      };
    }
    const sizeNumber = Number(size);
    return {
      forward(x) {
        if (typeof x === 'number') {
          do x = ff1.encrypt(x);
          while (x >= sizeNumber);
          return x;
        }
        do x = ff1.encryptBig(x);
        while (x >= size);
        return x;
      },
      backward(x) {
        if (typeof x === 'number') {
          do x = ff1.decrypt(x);
          while (x >= sizeNumber);
          return x;
        }
        do x = ff1.decryptBig(x);
        while (x >= size);
        return x;
      },
    };
  }

  private makeSmall(spec: RangeSpec): RangePermutation {
    const size = Number(spec.size);
    // Looked up on each call, so an evicted table is rebuilt rather than kept alive by this closure.
    const table = (): KeyedShuffle =>
      this.tables.get(spec.table, () => new KeyedShuffle(shuffleKey(this.keys, rangeTweak(this.scope, spec.table)), size));
    if (spec.table === spec.range) {
      return { forward: (x) => table().forward(x as number), backward: (x) => table().backward(x as number) };
    }
    const [into, out] = offsetKey(this.keys, rangeTweak(this.scope, spec.range), size);
    return {
      forward: (x) => (table().forward(((x as number) + into) % size) + out) % size,
      backward: (x) => (table().backward(((x as number) - out + size) % size) - into + size) % size,
    };
  }
}

/** Shuffle tables, least recently used first, within a byte budget (a table grows when its inverse is built). */
class TableCache {
  private readonly entries = new Map<string, KeyedShuffle>();
  private readonly maxBytes: number;
  private lastLabel: string | undefined;
  private lastTable: KeyedShuffle | undefined;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get(label: string, make: () => KeyedShuffle): KeyedShuffle {
    if (label === this.lastLabel) return this.lastTable!;
    let table = this.entries.get(label);
    if (table !== undefined) {
      this.entries.delete(label);
      this.entries.set(label, table);
    } else {
      table = make();
      this.entries.set(label, table);
      this.evict();
    }
    this.lastLabel = label;
    this.lastTable = table;
    return table;
  }

  get bytes(): number {
    let total = 0;
    for (const table of this.entries.values()) total += table.bytes;
    return total;
  }

  private evict(): void {
    let total = this.bytes;
    // The newest table (last in the map) is never evicted: it is about to be used.
    for (const [label, table] of this.entries) {
      if (total <= this.maxBytes || this.entries.size === 1) break;
      total -= table.bytes;
      this.entries.delete(label);
    }
  }
}
