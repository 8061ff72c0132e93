import { describe, expect, it } from 'vitest';
import { KeyedShuffle } from './keyed-shuffle.ts';

const key = (byte: number): Buffer => Buffer.alloc(32, byte);

describe('KeyedShuffle', () => {
  it('is a permutation of its whole range, and backward undoes forward', () => {
    for (const size of [1, 2, 3, 10, 1000, 46_656, 999_999]) {
      const shuffle = new KeyedShuffle(key(1), size);
      const hit = new Uint8Array(size);
      let undone = 0;
      for (let x = 0; x < size; x++) {
        const y = shuffle.forward(x);
        hit[y] = 1;
        if (shuffle.backward(y) === x) undone++;
      }
      expect(hit.every((h) => h === 1)).toBe(true);
      expect(undone).toBe(size);
    }
  }, 60_000);

  it('depends on the key, and only on the key', () => {
    const order = (shuffle: KeyedShuffle): number[] => Array.from({ length: 1000 }, (_, x) => shuffle.forward(x));
    expect(order(new KeyedShuffle(key(1), 1000))).toEqual(order(new KeyedShuffle(key(1), 1000)));
    expect(order(new KeyedShuffle(key(1), 1000))).not.toEqual(order(new KeyedShuffle(key(2), 1000)));
  });

  it('moves most elements (a shuffle, not a near-identity)', () => {
    const shuffle = new KeyedShuffle(key(3), 10_000);
    let fixed = 0;
    for (let x = 0; x < 10_000; x++) if (shuffle.forward(x) === x) fixed++;
    // A uniform permutation has one fixed point on average; 20 is far in the tail.
    expect(fixed).toBeLessThan(20);
  });

  it('counts the inverse in its bytes once it is built', () => {
    const shuffle = new KeyedShuffle(key(4), 1000);
    expect(shuffle.bytes).toBe(4000);
    shuffle.backward(0);
    expect(shuffle.bytes).toBe(8000);
  });

  it('refuses a bad key, size or input', () => {
    expect(() => new KeyedShuffle(Buffer.alloc(16), 10)).toThrow('a keyed shuffle needs a 32-byte key, not 16');
    expect(() => new KeyedShuffle(key(1), 0)).toThrow('a keyed shuffle takes a size from 1 to 2^32 - 1, not 0');
    const shuffle = new KeyedShuffle(key(1), 10);
    expect(() => shuffle.forward(10)).toThrow('keyed shuffle input must be an integer from 0 to 9');
    expect(() => shuffle.backward(-1)).toThrow('keyed shuffle input must be an integer from 0 to 9');
  });
});
