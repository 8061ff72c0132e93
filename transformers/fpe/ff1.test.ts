import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Ff1 } from './ff1.ts';

// NIST's "FF1 samples" (Cryptographic Standards and Guidelines, examples with
// intermediate values: FF1samples.pdf, csrc.nist.gov), the published test
// vectors for SP 800-38G: samples 1-3 AES-128, 4-6 AES-192, 7-9 AES-256.
const K128 = '2B7E151628AED2A6ABF7158809CF4F3C';
const K192 = `${K128}EF4359D8D580AA4F`;
const K256 = `${K192}7F036D6F04FC6A94`;
const NO_TWEAK = '';
const TWEAK_10 = '39383736353433323130';
const TWEAK_11 = '3737373770717273373737';
const SAMPLES = [
  { sample: 1, key: K128, tweak: NO_TWEAK, radix: 10, plaintext: '0123456789', ciphertext: '2433477484' },
  { sample: 2, key: K128, tweak: TWEAK_10, radix: 10, plaintext: '0123456789', ciphertext: '6124200773' },
  { sample: 3, key: K128, tweak: TWEAK_11, radix: 36, plaintext: '0123456789abcdefghi', ciphertext: 'a9tv40mll9kdu509eum' },
  { sample: 4, key: K192, tweak: NO_TWEAK, radix: 10, plaintext: '0123456789', ciphertext: '2830668132' },
  { sample: 5, key: K192, tweak: TWEAK_10, radix: 10, plaintext: '0123456789', ciphertext: '2496655549' },
  { sample: 6, key: K192, tweak: TWEAK_11, radix: 36, plaintext: '0123456789abcdefghi', ciphertext: 'xbj3kv35jrawxv32ysr' },
  { sample: 7, key: K256, tweak: NO_TWEAK, radix: 10, plaintext: '0123456789', ciphertext: '6657667009' },
  { sample: 8, key: K256, tweak: TWEAK_10, radix: 10, plaintext: '0123456789', ciphertext: '1001623463' },
  { sample: 9, key: K256, tweak: TWEAK_11, radix: 36, plaintext: '0123456789abcdefghi', ciphertext: 'xs8a0azh2avyalyzuwd' },
];

const toNumerals = (text: string): number[] => [...text].map((c) => Number.parseInt(c, 36));
const toText = (numerals: number[]): string => numerals.map((n) => n.toString(36)).join('');

describe('FF1 against the NIST samples', () => {
  for (const { sample, key, tweak, radix, plaintext, ciphertext } of SAMPLES) {
    const ff1 = new Ff1(Buffer.from(key, 'hex'), Buffer.from(tweak, 'hex'), radix, plaintext.length);

    it(`sample ${sample}: encrypts`, () => {
      expect(toText(ff1.encryptNumerals(toNumerals(plaintext)))).toBe(ciphertext);
    });

    it(`sample ${sample}: decrypts`, () => {
      expect(toText(ff1.decryptNumerals(toNumerals(ciphertext)))).toBe(plaintext);
    });

    it(`sample ${sample}: the integer API gives the same ciphertext`, () => {
      const value = [...plaintext].reduce((acc, c) => acc * BigInt(radix) + BigInt(Number.parseInt(c, 36)), 0n);
      const expected = [...ciphertext].reduce((acc, c) => acc * BigInt(radix) + BigInt(Number.parseInt(c, 36)), 0n);
      expect(ff1.encryptBig(value)).toBe(expected);
      expect(ff1.decryptBig(expected)).toBe(value);
      if (ff1.size <= BigInt(Number.MAX_SAFE_INTEGER)) {
        expect(ff1.encrypt(Number(value))).toBe(Number(expected));
        expect(ff1.decrypt(Number(expected))).toBe(Number(value));
      }
    });
  }
});

/**
 * Algorithm 7 as printed, numeral strings and BigInt throughout, without the
 * precomputed CBC-MAC prefix or the number fast path: an independent reading
 * of the standard to check the cases the samples leave out (b ≥ 13, so S
 * spans several blocks; b ≥ 16, so Q's variable part spans several blocks;
 * tweaks around block boundaries; radix 2 and 65536).
 */
function referenceEncrypt(key: Buffer, tweak: Buffer, radix: number, x: number[]): number[] {
  const aes = (block: Buffer): Buffer => {
    const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    cipher.setAutoPadding(false);
    return cipher.update(block);
  };
  const R = BigInt(radix);
  const num = (digits: number[]): bigint => digits.reduce((acc, n) => acc * R + BigInt(n), 0n);
  const str = (m: number, value: bigint): number[] => {
    const out: number[] = [];
    for (let k = 0; k < m; k++, value /= R) out.unshift(Number(value % R));
    return out;
  };
  const bytes = (value: bigint, count: number): Buffer => Buffer.from(value.toString(16).padStart(count * 2, '0'), 'hex');
  const n = x.length;
  const t = tweak.length;
  const u = Math.floor(n / 2);
  const v = n - u;
  let A = x.slice(0, u);
  let B = x.slice(u);
  const b = Math.ceil((R ** BigInt(v) - 1n).toString(2).length / 8);
  const d = 4 * Math.ceil(b / 4) + 4;
  const P = Buffer.concat([Buffer.from([1, 2, 1]), bytes(R, 3), Buffer.from([10, u % 256]), bytes(BigInt(n), 4), bytes(BigInt(t), 4)]);
  for (let i = 0; i < 10; i++) {
    const pad = Buffer.alloc((((-t - b - 1) % 16) + 16) % 16);
    const Q = Buffer.concat([tweak, pad, Buffer.from([i]), b === 0 ? Buffer.alloc(0) : bytes(num(B), b)]);
    const PQ = Buffer.concat([P, Q]);
    let Y: Buffer = Buffer.alloc(16);
    for (let j = 0; j < PQ.length; j += 16) Y = aes(Buffer.from(Y.map((byte, k) => byte ^ PQ[j + k]!)));
    const parts = [Y];
    for (let j = 1; j < Math.ceil(d / 16); j++) parts.push(aes(Buffer.from(Y.map((byte, k) => byte ^ Number((BigInt(j) >> BigInt(8 * (15 - k))) & 0xffn)))));
    const y = BigInt(`0x${Buffer.concat(parts).subarray(0, d).toString('hex')}`);
    const m = i % 2 === 0 ? u : v;
    const c = (num(A) + y) % R ** BigInt(m);
    A = B;
    B = str(m, c);
  }
  return [...A, ...B];
}

describe('FF1 against a literal reading of Algorithm 7', () => {
  const cases: { radix: number; length: number; tweakLength: number }[] = [
    { radix: 10, length: 6, tweakLength: 0 },
    { radix: 10, length: 7, tweakLength: 3 },
    { radix: 10, length: 40, tweakLength: 12 }, // b = 9: halves as BigInt
    { radix: 10, length: 70, tweakLength: 5 }, // b = 15, d = 20: S spans two blocks
    { radix: 10, length: 90, tweakLength: 16 }, // b = 19: Q's variable part spans two blocks
    { radix: 16, length: 5, tweakLength: 1 },
    { radix: 16, length: 32, tweakLength: 28 },
    { radix: 16, length: 23, tweakLength: 13 },
    { radix: 2, length: 20, tweakLength: 0 },
    { radix: 2, length: 122, tweakLength: 40 }, // 61-bit halves as 32-bit limbs
    { radix: 2, length: 91, tweakLength: 7 }, // limbs of 45 and 46 bits
    { radix: 2, length: 128, tweakLength: 0 }, // limbs of 64 bits
    { radix: 8, length: 31, tweakLength: 2 },
    { radix: 65536, length: 5, tweakLength: 0 }, // limbs of 32 and 48 bits
    { radix: 65536, length: 8, tweakLength: 9 }, // limbs of 64 bits
    { radix: 2, length: 130, tweakLength: 3 }, // 65 bits: BigInt
    { radix: 62, length: 22, tweakLength: 17 },
    { radix: 65536, length: 2, tweakLength: 2 },
    { radix: 65536, length: 9, tweakLength: 31 },
  ];
  for (const { radix, length, tweakLength } of cases) {
    it(`radix ${radix}, length ${length}, tweak of ${tweakLength} bytes`, () => {
      for (const keyLength of [16, 32]) {
        const key = randomBytes(keyLength);
        const tweak = randomBytes(tweakLength);
        const ff1 = new Ff1(key, tweak, radix, length);
        for (let trial = 0; trial < 5; trial++) {
          const x = Array.from({ length }, () => Math.floor(Math.random() * radix));
          const y = ff1.encryptNumerals(x);
          expect(y).toEqual(referenceEncrypt(key, tweak, radix, x));
          expect(ff1.decryptNumerals(y)).toEqual(x);
        }
      }
    });
  }
});

describe('FF1 domain and arguments', () => {
  const key = Buffer.alloc(32, 7);

  it('refuses domains below 1,000,000 (SP 800-38G Rev. 1)', () => {
    expect(() => new Ff1(key, Buffer.alloc(0), 10, 5)).toThrow('FF1 domain 10^5 = 100000 is below 1000000 (SP 800-38G Rev. 1, radix^minlen >= 1,000,000)');
    expect(() => new Ff1(key, Buffer.alloc(0), 2, 19)).toThrow(/below 1000000/);
    expect(new Ff1(key, Buffer.alloc(0), 10, 6).size).toBe(1_000_000n);
    expect(new Ff1(key, Buffer.alloc(0), 16, 5).size).toBe(1_048_576n);
  });

  it('refuses a bad key, radix or length', () => {
    expect(() => new Ff1(Buffer.alloc(20), Buffer.alloc(0), 10, 10)).toThrow('FF1 needs an AES key of 16, 24 or 32 bytes, not 20');
    expect(() => new Ff1(key, Buffer.alloc(0), 65537, 4)).toThrow('FF1 radix must be an integer from 2 to 65536, not 65537');
    expect(() => new Ff1(key, Buffer.alloc(0), 1_000_000, 1)).toThrow('FF1 radix must be an integer from 2 to 65536, not 1000000');
    expect(() => new Ff1(key, Buffer.alloc(0), 65536, 1)).toThrow('FF1 length must be an integer from 2 to 2^32 - 1, not 1');
  });

  it('refuses inputs outside the domain', () => {
    const ff1 = new Ff1(key, Buffer.alloc(0), 10, 6);
    expect(() => ff1.encrypt(1_000_000)).toThrow('FF1 input must be an integer from 0 to 10^6 - 1, and that range within 2^53');
    expect(() => ff1.encrypt(-1)).toThrow(RangeError);
    expect(() => ff1.encrypt(0.5)).toThrow(RangeError);
    expect(() => ff1.decryptBig(1_000_000n)).toThrow('FF1 input must be an integer from 0 to 10^6 - 1');
    expect(() => ff1.encryptNumerals([1, 2, 3, 4, 5, 10])).toThrow('FF1 numerals must be integers from 0 to 9');
    expect(() => ff1.encryptNumerals([1, 2, 3])).toThrow('FF1 instance takes 6 numerals, not 3');
    expect(() => new Ff1(key, Buffer.alloc(0), 2, 122).encrypt(1)).toThrow(/within 2\^53/);
  });

  it('decrypts what it encrypts, on numbers and on BigInt halves', () => {
    for (const [radix, length] of [[10, 6], [10, 15], [16, 13], [2, 122], [16, 32], [62, 22]] as const) {
      const ff1 = new Ff1(key, Buffer.from('tweak'), radix, length);
      const outputs = new Set<bigint>();
      for (let trial = 0; trial < 300; trial++) {
        const x = (BigInt(Math.floor(Math.random() * 2 ** 52)) * BigInt(Math.floor(Math.random() * 2 ** 52)) * 7919n) % ff1.size;
        const y = ff1.encryptBig(x);
        expect(y >= 0n && y < ff1.size).toBe(true);
        expect(ff1.decryptBig(y)).toBe(x);
        outputs.add(y);
        if (ff1.size <= BigInt(Number.MAX_SAFE_INTEGER)) expect(ff1.encrypt(Number(x))).toBe(Number(y));
      }
      expect(outputs.size).toBeGreaterThan(290);
    }
  });
});
