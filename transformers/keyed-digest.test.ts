import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyedDigest } from './keyed-digest.ts';
import { mulberry32 } from '../test/support/prng.ts';

const hmac = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');

describe('KeyedDigest', () => {
  it("is createHmac's digest for keys, prefixes and messages of every length and kind", () => {
    const random = mulberry32(7);
    const text = (length: number) =>
      Array.from({ length }, () => {
        const r = random();
        // ASCII mostly, then two- and three-byte characters, emoji (surrogate pairs) and lone surrogates.
        if (r < 0.7) return String.fromCharCode(32 + Math.floor(random() * 95));
        if (r < 0.8) return 'é';
        if (r < 0.9) return '漢';
        if (r < 0.97) return '😀';
        return '\ud800';
      }).join('');
    const keys = ['', 's', 'a-salt-of-the-usual-length', 'k'.repeat(64), 'k'.repeat(65), text(100), '\ud800salt'];
    for (const key of keys) {
      for (const prefix of ['', '{"name":"fullName","options":{}}', text(70)]) {
        const digest = new KeyedDigest(key, prefix);
        // Growing messages: the scratch buffer grows past its first 256 bytes.
        for (const length of [0, 1, 2, 5, 30, 55, 56, 64, 100, 200, 300, 1000, 3]) {
          const message = `${length % 3}:${text(length)}`;
          expect(digest.digest(message).toString('hex')).toBe(hmac(key, prefix + message));
          expect(digest.digestBytes(Buffer.from(message, 'utf8')).toString('hex')).toBe(hmac(key, prefix + message));
        }
      }
    }
  });
});
