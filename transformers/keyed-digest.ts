/**
 * HMAC-SHA-256 under one key, of messages that share a prefix: what a
 * seeded transformer computes for every value (salt, then its seed scope,
 * then the attempt and the value). `createHmac` sets the key up again and
 * crosses into C++ five times a value; this works the key's two pads and
 * the prefix out once (RFC 2104: H((K ^ opad) || H((K ^ ipad) || m))) and
 * hashes each value with two one-shot calls. The digest is createHmac's,
 * byte for byte (keyed-digest.test.ts).
 */
import { hash } from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;

export class KeyedDigest {
  /** (K ^ ipad) || prefix, then room for a message's own bytes. */
  #inner: Buffer;
  readonly #innerStart: number;
  /** (K ^ opad) || the inner digest. */
  readonly #outer = Buffer.alloc(BLOCK + DIGEST);

  constructor(key: string, prefix: string) {
    let keyBytes = Buffer.from(key, 'utf8');
    if (keyBytes.length > BLOCK) keyBytes = hash('sha256', keyBytes, 'buffer');
    const prefixBytes = Buffer.from(prefix, 'utf8');
    this.#innerStart = BLOCK + prefixBytes.length;
    this.#inner = Buffer.alloc(this.#innerStart + 256);
    for (let i = 0; i < BLOCK; i++) {
      const k = keyBytes[i] ?? 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
    prefixBytes.copy(this.#inner, BLOCK);
  }

  /** HMAC(key, prefix || message), message as UTF-8: a Buffer of its own. */
  digest(message: string): Buffer {
    // UTF-8 takes at most 3 bytes for each UTF-16 unit.
    const start = this.#room(3 * message.length);
    return this.#finish(start + this.#inner.write(message, start, 'utf8'));
  }

  /** HMAC(key, prefix || message) of bytes: a Buffer of its own. */
  digestBytes(message: Uint8Array): Buffer {
    const start = this.#room(message.length);
    this.#inner.set(message, start);
    return this.#finish(start + message.length);
  }

  /** Where a message's bytes go, with room for `length` of them. */
  #room(length: number): number {
    if (this.#innerStart + length > this.#inner.length) {
      const grown = Buffer.alloc(this.#innerStart + length);
      this.#inner.copy(grown, 0, 0, this.#innerStart);
      this.#inner = grown;
    }
    return this.#innerStart;
  }

  #finish(end: number): Buffer {
    hash('sha256', this.#inner.subarray(0, end), 'buffer').copy(this.#outer, BLOCK);
    return hash('sha256', this.#outer, 'buffer');
  }
}
