import { createHmac } from 'node:crypto';
import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
import { hash } from './hash.ts';

const registry = createRegistry([hash]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'hash', options }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['userId']) as { S: string }).S;

describe('hash', () => {
  describeFakeContract(hash, {
    accepts: ['S', 'SS', 'B', 'BS'],
    produces: 'S',
    realisticInputs: () => {
      const source = new Faker({ locale: [en, base], seed: 9 });
      return Array.from({ length: 200 }, () => source.internet.email());
    },
    options: [{}, { length: 8 }],
    pattern: /^[0-9a-f]+$/,
    // Never two alike.
    distinct: 1,
  });

  it('gives S for B and SS for BS', () => {
    expect(make()({ B: new Uint8Array([1, 2]) }, ['a'])).toHaveProperty('S');
    expect(make()({ BS: [new Uint8Array([1]), new Uint8Array([2])] }, ['a'])).toHaveProperty('SS');
  });

  it('is the HMAC-SHA-256 of the input keyed by the salt, in hex by default', () => {
    const expected = createHmac('sha256', 'salt-1').update('["hash",{}]').update('user-42').digest('hex');
    expect(s(make(), 'user-42')).toBe(expected);
    expect(s(make(), 'user-42')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('honours encoding and length; a shorter hash is a prefix of the longer one', () => {
    const full = s(make(), 'user-42');
    expect(s(make({ length: 12 }), 'user-42')).toBe(full.slice(0, 12));
    const base64 = s(make({ encoding: 'base64' }), 'user-42');
    expect(base64).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(base64, 'base64').toString('hex')).toBe(full);
    expect(s(make({ encoding: 'base64', length: 8 }), 'user-42')).toBe(base64.slice(0, 8));
  });

  it('hashes a B value by its bytes: the same bytes as a string give the same hash', () => {
    const bytes = new Uint8Array(Buffer.from('user-42'));
    expect(make()({ B: bytes }, ['a'])).toEqual({ S: s(make(), 'user-42') });
  });

  it('keeps an empty B empty, as S, and validates its options', () => {
    expect(make()({ B: new Uint8Array() }, ['a'])).toEqual({ S: '' });
    expect(hash.options.parse({})).toEqual({ encoding: 'hex' });
    expect(() => hash.options.parse({ length: 7 })).toThrow();
    expect(() => hash.options.parse({ length: 65 })).toThrow();
    expect(() => hash.options.parse({ encoding: 'base32' })).toThrow();
    expect(() => hash.options.parse({ algorithm: 'md5' })).toThrow();
  });
});
