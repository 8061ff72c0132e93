/**
 * FF1, the format-preserving encryption mode of NIST SP 800-38G Rev. 1
 * (§5.1, Algorithms 7 and 8), with AES from node:crypto: a keyed, tweaked
 * permutation of the numeral strings of one radix and one length.
 *
 * The rounds carry NUM_radix(A) and NUM_radix(B) as integers rather than
 * numeral strings. The algorithm reads a half only through NUM_radix and
 * writes one only through STR_radix, and NUM(STR(c)) = c, so the whole input
 * is one integer x = NUM(A)·radix^v + NUM(B) and numerals appear only at the
 * edges (`encryptNumerals`, for the standard's samples).
 *
 * Per instance (key, tweak, radix, length) every block of P || Q but the
 * last is fixed, so the CBC-MAC state after them is computed once and a
 * round costs one AES block (two or more only when NUM(B) needs 13 bytes or
 * more). Halves stay JavaScript numbers while radix^v ≤ 2^45, which keeps
 * y mod radix^m exact when reduced byte by byte; with a power-of-two radix
 * they are pairs of 32-bit limbs up to 2^64 (a UUID's 61-bit halves), where
 * y mod 2^m is just y's low bits; BigInt serves the rest. A round in BigInt
 * costs about as much as its AES block, so the limbs halve a UUID's cost.
 *
 * Rev. 1's domain rule, radix^length ≥ 1,000,000, is enforced here: smaller
 * domains are the caller's to permute another way (keyed-shuffle.ts).
 */
import { createCipheriv, type Cipheriv } from 'node:crypto';

/** SP 800-38G Rev. 1: radix^minlen ≥ 1,000,000. */
export const MIN_DOMAIN_SIZE = 1_000_000;

/** Largest radix^v whose rounds run on numbers: (y mod M)·256 + 255 stays below 2^53. */
const NUMBER_HALF_LIMIT = 2 ** 45;

const BLOCK = 16;
const ROUNDS = 10;

export class Ff1 {
  readonly radix: number;
  readonly length: number;
  /** radix^length: the number of numeral strings permuted. */
  readonly size: bigint;
  /** radix^length as a number, when it is at most 2^53; otherwise 0 (the number API is refused). */
  private readonly sizeNumber: number;
  /** Bytes of [NUM(B)] in Q. */
  private readonly b: number;
  /** Bytes of S read as y. */
  private readonly d: number;
  private readonly aes: AesEcb;
  /**
   * The blocks of P || Q from the first one holding [i]: the fixed bytes of
   * T and the padding, the variable ones zero, the first block already
   * XORed with the CBC-MAC state of the fixed blocks before it.
   */
  private readonly tail: Buffer;
  private readonly scratch: Buffer;
  /** Offset of [i] in `tail`. */
  private readonly roundAt: number;
  private readonly numberHalves: boolean;
  /** Halves as (high, low) 32-bit limbs: a power-of-two radix, radix^v ≤ 2^64. */
  private readonly limbHalves: boolean;
  /** Bits of radix^v, the low half of x. */
  private readonly bitsOfV: bigint;
  // 2^(m − 32) for m the bits of radix^u and radix^v, or 2^m when m < 32 (then the high limb stays 0).
  private readonly highModU: number;
  private readonly highModV: number;
  private readonly lowModU: number;
  private readonly lowModV: number;
  /** Scratch for the limbs [A high, A low, B high, B low]. */
  private readonly limbs = [0, 0, 0, 0];
  // radix^u and radix^v, the moduli of even and odd rounds, and radix^v to split x.
  private readonly modU: number;
  private readonly modV: number;
  private readonly modUBig: bigint;
  private readonly modVBig: bigint;
  /** Bits of radix^m when the radix is a power of two: reduction is then BigInt.asUintN. */
  private readonly bitsU: number | undefined;
  private readonly bitsV: number | undefined;

  /**
   * `key`: an AES key (16, 24 or 32 bytes), or an AesEcb to share one key
   * schedule between instances; `tweak`: any byte string, fixed for the
   * instance (an instance costs a few AES blocks besides).
   */
  constructor(key: Uint8Array | AesEcb, tweak: Uint8Array, radix: number, length: number) {
    if (!Number.isInteger(radix) || radix < 2 || radix > 65536) throw new RangeError(`FF1 radix must be an integer from 2 to 65536, not ${radix}`);
    if (!Number.isInteger(length) || length < 2 || length > 0xffffffff) throw new RangeError(`FF1 length must be an integer from 2 to 2^32 - 1, not ${length}`);
    if (tweak.length > 0xffffffff) throw new RangeError('FF1 tweak is longer than 2^32 - 1 bytes');
    this.radix = radix;
    this.length = length;
    this.size = BigInt(radix) ** BigInt(length);
    if (this.size < BigInt(MIN_DOMAIN_SIZE)) {
      throw new RangeError(`FF1 domain ${radix}^${length} = ${this.size} is below ${MIN_DOMAIN_SIZE} (SP 800-38G Rev. 1, radix^minlen >= 1,000,000)`);
    }
    const u = Math.floor(length / 2);
    const v = length - u;
    this.sizeNumber = this.size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(this.size) : 0;
    this.modUBig = BigInt(radix) ** BigInt(u);
    this.modVBig = BigInt(radix) ** BigInt(v);
    this.numberHalves = this.modVBig <= BigInt(NUMBER_HALF_LIMIT);
    this.modU = Number(this.modUBig);
    this.modV = Number(this.modVBig);
    const radixBits = Math.log2(radix);
    this.bitsU = Number.isInteger(radixBits) ? radixBits * u : undefined;
    this.bitsV = Number.isInteger(radixBits) ? radixBits * v : undefined;
    this.limbHalves = !this.numberHalves && this.bitsV !== undefined && this.bitsV <= 64;
    this.bitsOfV = BigInt(this.bitsV ?? 0);
    const limbs = (bits: number): [number, number] => (bits >= 32 ? [2 ** (bits - 32), 2 ** 32] : [1, 2 ** bits]);
    [this.highModU, this.lowModU] = limbs(this.bitsU ?? 0);
    [this.highModV, this.lowModV] = limbs(this.bitsV ?? 0);
    // b = ⌈⌈v·LOG(radix)⌉/8⌉, exactly: the bytes of radix^v − 1.
    this.b = Math.ceil((this.modVBig - 1n).toString(2).length / 8);
    this.d = 4 * Math.ceil(this.b / 4) + 4;

    this.aes = key instanceof AesEcb ? key : new AesEcb(key);

    const t = tweak.length;
    const pad = (((-t - this.b - 1) % BLOCK) + BLOCK) % BLOCK;
    const pq = Buffer.alloc(BLOCK + t + pad + 1 + this.b);
    // P = [1]¹ || [2]¹ || [1]¹ || [radix]³ || [10]¹ || [u mod 256]¹ || [n]⁴ || [t]⁴
    pq.set([1, 2, 1, (radix >>> 16) & 0xff, (radix >>> 8) & 0xff, radix & 0xff, 10, u & 0xff]);
    pq.writeUInt32BE(length, 8);
    pq.writeUInt32BE(t, 12);
    // Q = T || [0]^((−t−b−1) mod 16) || [i]¹ || [NUM(B)]^b
    pq.set(tweak, BLOCK);
    const roundOffset = BLOCK + t + pad;
    const fixedBlocks = Math.floor(roundOffset / BLOCK);
    let state: Buffer = Buffer.alloc(BLOCK);
    for (let k = 0; k < fixedBlocks; k++) state = this.aes.encrypt(xor(state, pq.subarray(k * BLOCK, (k + 1) * BLOCK)));
    this.tail = Buffer.from(pq.subarray(fixedBlocks * BLOCK));
    for (let k = 0; k < BLOCK; k++) this.tail[k]! ^= state[k]!;
    this.roundAt = roundOffset - fixedBlocks * BLOCK;
    this.scratch = Buffer.alloc(this.tail.length);
  }

  /** Encrypts NUM_radix(X) (0 ≤ x < radix^length); for domains up to 2^53. */
  encrypt(x: number): number {
    return this.runNumber(x, false);
  }

  decrypt(x: number): number {
    return this.runNumber(x, true);
  }

  /** Encrypts NUM_radix(X) (0 ≤ x < radix^length). */
  encryptBig(x: bigint): bigint {
    return this.runBig(x, false);
  }

  decryptBig(x: bigint): bigint {
    return this.runBig(x, true);
  }

  /** FF1.Encrypt on a numeral string (each numeral 0 ≤ x < radix), as the standard states it. */
  encryptNumerals(numerals: readonly number[]): number[] {
    return this.toNumerals(this.encryptBig(this.fromNumerals(numerals)));
  }

  decryptNumerals(numerals: readonly number[]): number[] {
    return this.toNumerals(this.decryptBig(this.fromNumerals(numerals)));
  }

  private runNumber(x: number, decrypt: boolean): number {
    if (!(Number.isInteger(x) && x >= 0 && x < this.sizeNumber)) {
      throw new RangeError(`FF1 input must be an integer from 0 to ${this.radix}^${this.length} - 1, and that range within 2^53`);
    }
    const a = Math.floor(x / this.modV);
    const [c, d] = decrypt ? this.decryptNumberHalves(a, x - a * this.modV) : this.encryptNumberHalves(a, x - a * this.modV);
    return c * this.modV + d;
  }

  private runBig(x: bigint, decrypt: boolean): bigint {
    if (!(x >= 0n && x < this.size)) throw new RangeError(`FF1 input must be an integer from 0 to ${this.radix}^${this.length} - 1`);
    if (this.limbHalves) return this.runLimbs(x, decrypt);
    const a = x / this.modVBig;
    const b = x - a * this.modVBig;
    if (this.numberHalves) {
      const [c, d] = decrypt ? this.decryptNumberHalves(Number(a), Number(b)) : this.encryptNumberHalves(Number(a), Number(b));
      return BigInt(c) * this.modVBig + BigInt(d);
    }
    const [c, d] = decrypt ? this.decryptBigHalves(a, b) : this.encryptBigHalves(a, b);
    return c * this.modVBig + d;
  }

  // Algorithm 7, step 6: A has length m in round i, so NUM(A) + (y mod radix^m) < 2·radix^m.
  private encryptNumberHalves(a: number, b: number): [number, number] {
    for (let i = 0; i < ROUNDS; i++) {
      const m = i % 2 === 0 ? this.modU : this.modV;
      let c = a + this.yModNumber(i, b, m);
      if (c >= m) c -= m;
      a = b;
      b = c;
    }
    return [a, b];
  }

  // Algorithm 8, step 6: the rounds in reverse, B and A swapped, subtraction for addition.
  private decryptNumberHalves(a: number, b: number): [number, number] {
    for (let i = ROUNDS - 1; i >= 0; i--) {
      const m = i % 2 === 0 ? this.modU : this.modV;
      let c = b - this.yModNumber(i, a, m);
      if (c < 0) c += m;
      b = a;
      a = c;
    }
    return [a, b];
  }

  private encryptBigHalves(a: bigint, b: bigint): [bigint, bigint] {
    for (let i = 0; i < ROUNDS; i++) {
      const even = i % 2 === 0;
      const c = this.reduce(a + this.yBig(i, b), even);
      a = b;
      b = c;
    }
    return [a, b];
  }

  private decryptBigHalves(a: bigint, b: bigint): [bigint, bigint] {
    for (let i = ROUNDS - 1; i >= 0; i--) {
      const even = i % 2 === 0;
      const c = this.reduce(b - this.yBig(i, a), even);
      b = a;
      a = c;
    }
    return [a, b];
  }

  private runLimbs(x: bigint, decrypt: boolean): bigint {
    const a = x >> this.bitsOfV;
    const b = BigInt.asUintN(Number(this.bitsOfV), x);
    const h = this.limbs;
    h[0] = Number(a >> 32n);
    h[1] = Number(BigInt.asUintN(32, a));
    h[2] = Number(b >> 32n);
    h[3] = Number(BigInt.asUintN(32, b));
    if (decrypt) this.decryptLimbs(h);
    else this.encryptLimbs(h);
    return (((BigInt(h[0]!) << 32n) | BigInt(h[1]!)) << this.bitsOfV) | (BigInt(h[2]!) << 32n) | BigInt(h[3]!);
  }

  // Algorithm 7 on limbs: (NUM(A) + y) mod 2^m is a two-limb addition of y's low m bits.
  private encryptLimbs(h: number[]): void {
    let [aHigh, aLow, bHigh, bLow] = h as [number, number, number, number];
    for (let i = 0; i < ROUNDS; i++) {
      const even = i % 2 === 0;
      const r = this.prfLimbs(i, bHigh, bLow);
      const lowMod = even ? this.lowModU : this.lowModV;
      const highMod = even ? this.highModU : this.highModV;
      let low = aLow + (r.readUInt32BE(8) % lowMod);
      const carry = low >= lowMod ? 1 : 0;
      low -= carry * lowMod;
      const high = (aHigh + (r.readUInt32BE(4) % highMod) + carry) % highMod;
      aHigh = bHigh;
      aLow = bLow;
      bHigh = lowMod === 2 ** 32 ? high : 0;
      bLow = low;
    }
    h[0] = aHigh;
    h[1] = aLow;
    h[2] = bHigh;
    h[3] = bLow;
  }

  // Algorithm 8 on limbs: a two-limb subtraction with borrow.
  private decryptLimbs(h: number[]): void {
    let [aHigh, aLow, bHigh, bLow] = h as [number, number, number, number];
    for (let i = ROUNDS - 1; i >= 0; i--) {
      const even = i % 2 === 0;
      const r = this.prfLimbs(i, aHigh, aLow);
      const lowMod = even ? this.lowModU : this.lowModV;
      const highMod = even ? this.highModU : this.highModV;
      let low = bLow - (r.readUInt32BE(8) % lowMod);
      const borrow = low < 0 ? 1 : 0;
      low += borrow * lowMod;
      const high = (((bHigh - (r.readUInt32BE(4) % highMod) - borrow) % highMod) + highMod) % highMod;
      bHigh = aHigh;
      bLow = aLow;
      aHigh = lowMod === 2 ** 32 ? high : 0;
      aLow = low;
    }
    h[0] = aHigh;
    h[1] = aLow;
    h[2] = bHigh;
    h[3] = bLow;
  }

  /** R for a round with NUM(B) in limbs; b ≤ 8 and d = 12 here, so R holds y's low 64 bits at bytes 4–11. */
  private prfLimbs(round: number, high: number, low: number): Buffer {
    const block = this.scratch;
    this.tail.copy(block);
    block[this.roundAt]! ^= round;
    block[15]! ^= low & 0xff;
    block[14]! ^= (low >>> 8) & 0xff;
    block[13]! ^= (low >>> 16) & 0xff;
    block[12]! ^= low >>> 24;
    block[11]! ^= high & 0xff;
    block[10]! ^= (high >>> 8) & 0xff;
    block[9]! ^= (high >>> 16) & 0xff;
    block[8]! ^= high >>> 24;
    return this.aes.encrypt(block);
  }

  /** c mod radix^m, into [0, radix^m) also for a negative c. */
  private reduce(c: bigint, even: boolean): bigint {
    const bits = even ? this.bitsU : this.bitsV;
    if (bits !== undefined) return BigInt.asUintN(bits, c);
    const m = even ? this.modUBig : this.modVBig;
    const r = c % m;
    return r < 0n ? r + m : r;
  }

  /** Steps 6.i–6.iv with NUM(B) a number: y mod `modulus`. The tail is one block here (b ≤ 6). */
  private yModNumber(round: number, numB: number, modulus: number): number {
    const block = this.scratch;
    this.tail.copy(block);
    block[this.roundAt]! ^= round;
    for (let k = BLOCK - 1, rest = numB; rest > 0; k--) {
      const low = rest % 256;
      block[k]! ^= low;
      rest = (rest - low) / 256;
    }
    const r = this.aes.encrypt(block);
    let y = 0;
    for (let k = 0; k < this.d; k++) y = (y * 256 + r[k]!) % modulus;
    return y;
  }

  /** Steps 6.i–6.iv with NUM(B) a BigInt: y whole. */
  private yBig(round: number, numB: bigint): bigint {
    const tail = this.scratch;
    this.tail.copy(tail);
    tail[this.roundAt]! ^= round;
    let rest = numB;
    for (let k = tail.length - 1; rest > 0n; k -= 4) {
      const word = Number(BigInt.asUintN(32, rest));
      rest >>= 32n;
      tail[k]! ^= word & 0xff;
      tail[k - 1]! ^= (word >>> 8) & 0xff;
      tail[k - 2]! ^= (word >>> 16) & 0xff;
      tail[k - 3]! ^= word >>> 24;
    }
    // PRF: CBC-MAC, its state carried into each later block of the tail.
    let r = this.aes.encrypt(tail.subarray(0, BLOCK));
    for (let k = BLOCK; k < tail.length; k += BLOCK) {
      const next = tail.subarray(k, k + BLOCK);
      for (let j = 0; j < BLOCK; j++) next[j]! ^= r[j]!;
      r = this.aes.encrypt(next);
    }
    // S = R || CIPH(R ⊕ [1]¹⁶) || CIPH(R ⊕ [2]¹⁶) || …, its first d bytes.
    let s = r;
    if (this.d > BLOCK) {
      const extra = Math.ceil(this.d / BLOCK) - 1;
      const blocks = Buffer.alloc(extra * BLOCK);
      for (let j = 1; j <= extra; j++) {
        const at = (j - 1) * BLOCK;
        r.copy(blocks, at);
        blocks.writeUInt32BE((blocks.readUInt32BE(at + 12) ^ j) >>> 0, at + 12);
      }
      s = Buffer.concat([r, this.aes.encrypt(blocks)]);
    }
    let y = 0n;
    for (let k = 0; k < this.d; k += 4) y = (y << 32n) | BigInt(s.readUInt32BE(k));
    return y;
  }

  private fromNumerals(numerals: readonly number[]): bigint {
    if (numerals.length !== this.length) throw new RangeError(`FF1 instance takes ${this.length} numerals, not ${numerals.length}`);
    let x = 0n;
    const radix = BigInt(this.radix);
    for (const numeral of numerals) {
      if (!Number.isInteger(numeral) || numeral < 0 || numeral >= this.radix) throw new RangeError(`FF1 numerals must be integers from 0 to ${this.radix - 1}`);
      x = x * radix + BigInt(numeral);
    }
    return x;
  }

  private toNumerals(x: bigint): number[] {
    const out = new Array<number>(this.length);
    const radix = BigInt(this.radix);
    for (let k = this.length - 1; k >= 0; k--) {
      out[k] = Number(x % radix);
      x /= radix;
    }
    return out;
  }
}

/**
 * AES-ECB without padding on whole blocks: CIPH_K of the standard, one
 * OpenSSL context reused for every block (creating one costs more than
 * the ten rounds of an FF1 call).
 */
export class AesEcb {
  private readonly cipher: Cipheriv;

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError(`FF1 needs an AES key of 16, 24 or 32 bytes, not ${key.length}`);
    this.cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    this.cipher.setAutoPadding(false);
  }

  /** CIPH_K of each 16-byte block of `blocks`. */
  encrypt(blocks: Uint8Array): Buffer {
    return this.cipher.update(blocks);
  }
}

function xor(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.alloc(BLOCK);
  for (let k = 0; k < BLOCK; k++) out[k] = a[k]! ^ b[k]!;
  return out;
}
