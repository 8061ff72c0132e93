/**
 * Keys and tweaks of the identifier permutation.
 *
 * Both keys come from the job salt alone, through HMAC-SHA-256 with fixed
 * labels that keep them apart from each other and from every other use of
 * the salt (seeded fakes, hash). The tweak comes from the transformer's
 * scope and the range being permuted, never from the attribute path: the
 * same identifier must become the same output in `pk`, `sk`, GSI keys,
 * other attributes and other tables, or item collections and references
 * stop joining.
 *
 * Only the key is secret. Whoever holds the salt can invert every output;
 * whoever does not cannot, nor tell which input an output came from.
 */
import { createHmac } from 'node:crypto';

/** Domain-separation label; changing it changes every permuted value. */
export const FPE_LABEL = 'dynamask fpe v1';

export interface FpeKeys {
  /** AES-256 key of FF1. */
  readonly ff1: Buffer;
  /** Key from which each small range's shuffle key and offsets are derived. */
  readonly shuffle: Buffer;
}

export function deriveKeys(salt: string): FpeKeys {
  if (salt.length === 0) throw new Error('the identifier permutation needs a non-empty salt: an empty key would let anyone invert it');
  return {
    ff1: createHmac('sha256', salt).update(FPE_LABEL).digest(),
    shuffle: createHmac('sha256', salt).update(`${FPE_LABEL} shuffle`).digest(),
  };
}

/** The FF1 tweak of a range under a scope. JSON keeps the pair unambiguous. */
export function rangeTweak(scope: string, range: string): Buffer {
  return Buffer.from(JSON.stringify([scope, range]), 'utf8');
}

/** The AES-256-CTR key that shuffles one small range: one key per range, so no two keystreams overlap. */
export function shuffleKey(keys: FpeKeys, tweak: Uint8Array): Buffer {
  return createHmac('sha256', keys.shuffle).update(tweak).digest();
}

/**
 * The offsets, each in [0, size), by which a range enters and leaves a
 * shared table (range-permutation.ts). 48 bits each reduced mod a size
 * below 2^20: the bias is under 2^-28.
 */
export function offsetKey(keys: FpeKeys, tweak: Uint8Array, size: number): [number, number] {
  const digest = createHmac('sha256', keys.shuffle).update('offsets').update(tweak).digest();
  return [digest.readUIntBE(0, 6) % size, digest.readUIntBE(6, 6) % size];
}
