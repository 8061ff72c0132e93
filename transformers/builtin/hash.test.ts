import { createHmac } from 'node:crypto';
import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { createRegistry } from '../registry.ts';
import { hash } from './hash.ts';

const registry = createRegistry([hash]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'hash', options }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['userId']) as { S: string }).S;

describe('hash', () => {
  it('takes S, B and their sets, gives S (SS for sets), and throws a TransformTypeError for other types', () => {
    expect(hash.accepts).toEqual(['S', 'SS', 'B', 'BS']);
    expect(hash.produces).toBe('S');
    expect(make()({ S: 'abc' }, ['a'])).toHaveProperty('S');
    expect(make()({ B: new Uint8Array([1, 2]) }, ['a'])).toHaveProperty('S');
    expect(make()({ BS: [new Uint8Array([1]), new Uint8Array([2])] }, ['a'])).toHaveProperty('SS');
    expect(() => make()({ N: '42' }, ['userId'])).toThrow(TransformTypeError);
    expect(() => make()({ N: '42' }, ['userId'])).toThrow('userId: transformer "hash" accepts S, SS, B, BS; got N');
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

  it('gives the same hash in every table and every separately made instance (joins keep working), another with another salt', () => {
    const one = make();
    const two = registry.instantiate({ type: 'hash', options: {} }, { salt: 'salt-1' });
    expect(one({ S: 'user-42' }, ['users', 'id'])).toEqual(two({ S: 'user-42' }, ['orders', 'userId']));
    expect(s(make({}, 'salt-2'), 'user-42')).not.toBe(s(one, 'user-42'));
  });

  it('never returns realistic inputs unchanged, and never hashes two of them alike', () => {
    faker.seed(9);
    const inputs = [...new Set(Array.from({ length: 200 }, () => faker.internet.email()))];
    const fn = make({ length: 8 });
    const outs = inputs.map((input) => s(fn, input));
    outs.forEach((out, i) => expect(out).not.toBe(inputs[i]));
    expect(new Set(outs).size).toBe(inputs.length);
  });

  it('keeps a set the same size', () => {
    const input = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    const out = (make()({ SS: input }, ['a']) as { SS: string[] }).SS;
    expect(out).toHaveLength(50);
    expect(new Set(out).size).toBe(50);
  });

  it('keeps an empty S or B empty, and validates its options', () => {
    expect(make()({ S: '' }, ['a'])).toEqual({ S: '' });
    expect(make()({ B: new Uint8Array() }, ['a'])).toEqual({ S: '' });
    expect(hash.options.parse({})).toEqual({ encoding: 'hex' });
    expect(() => hash.options.parse({ length: 7 })).toThrow();
    expect(() => hash.options.parse({ length: 65 })).toThrow();
    expect(() => hash.options.parse({ encoding: 'base32' })).toThrow();
    expect(() => hash.options.parse({ algorithm: 'md5' })).toThrow();
  });
});
