import { describe, expect, it } from 'vitest';
import { describeFakeContract, distinctDraws } from '../../test/support/transformer-contract.ts';
import { classify } from '../fpe/formats.ts';
import { createPermutation } from '../fpe/index.ts';
import { createRegistry } from '../registry.ts';
import { transformerScope } from '../seed-scope.ts';
import { permuteId } from './permuteId.ts';

const registry = createRegistry([permuteId]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'permuteId', options }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['pk']) as { S: string }).S;
const n = (fn: ReturnType<typeof make>, input: string) => (fn({ N: input }, ['id']) as { N: string }).N;

describe('permuteId', () => {
  describeFakeContract(permuteId, {
    accepts: ['S', 'SS', 'N', 'NS'],
    realisticInputs: () => [
      ...distinctDraws((faker) => faker.string.uuid(), 100),
      ...distinctDraws((faker) => faker.string.numeric(10), 50, 8),
      ...distinctDraws((faker) => faker.string.alphanumeric({ length: 12, casing: 'upper' }), 50, 9),
    ],
    options: [{}, { domain: 'orders' }],
    // The input's shape (format, length, case; a UUID's version and variant; an ID's class at each position): the permutation's whole promise.
    fits: (output, input) => classify(output) === classify(input) && classify(input) !== undefined,
    // A bijection: never two alike.
    distinct: 1,
  });

  it('is the fpe permutation under its name, whatever `format` and `otherwise` say', () => {
    const permutation = createPermutation('salt-1', transformerScope('permuteId', {}));
    const ids = ['550e8400-e29b-41d4-a716-446655440000', '0012345678', 'c0ffee', 'ORD7K2M9QX'];
    for (const options of [{}, { format: 'auto' }, { otherwise: 'passthrough' }]) {
      expect(ids.map((id) => s(make(options), id))).toEqual(ids.map((id) => permutation.permute(id)));
    }
    expect(s(make({ format: 'uuid' }), ids[0]!)).toBe(permutation.permute(ids[0]!));
    expect(s(make({ format: 'digits' }), ids[1]!)).toBe(permutation.permute(ids[1]!));
  });

  it('maps apart under another domain or another salt', () => {
    const ids = ['0012345678', '550e8400-e29b-41d4-a716-446655440000', 'ORD7K2M9QX'];
    for (const other of [make({ domain: 'orders' }), make({}, 'salt-2')]) {
      expect(ids.filter((id) => s(other, id) === s(make(), id))).toEqual([]);
    }
  });

  it('is a bijection of each format, exhaustively on all 10,000 strings of 4 digits', () => {
    const fn = make();
    const inputs = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));
    const outputs = inputs.map((id) => s(fn, id));
    expect(new Set(outputs)).toEqual(new Set(inputs));
  });

  it('permutes N integers keeping sign and digit count, apart from digit strings', () => {
    const fn = make();
    const out = n(fn, '1234567');
    expect(out).toMatch(/^[1-9]\d{6}$/);
    expect(n(fn, '-1234567')).toBe(`-${out}`);
    expect(out).not.toBe(s(fn, '1234567'));
    const set = fn({ NS: ['10', '11', '12'] }, ['ids']) as { NS: string[] };
    expect(new Set(set.NS).size).toBe(3);
    expect(set.NS.every((x) => /^[1-9]\d$/.test(x))).toBe(true);
  });

  it('refuses a value of no format, naming the path and why but never the value', () => {
    const fn = make();
    expect(() => fn({ S: 'USER#42' }, ['pk'])).toThrow(
      'pk: transformer "permuteId" cannot read this S value as an identifier: it has a character other than an ASCII letter or digit (formats: digits, hex, UUID, alphanumeric); otherwise: passthrough copies such values',
    );
    expect(() => make({ format: 'uuid' })({ S: 'c0ffee' }, ['ref'])).toThrow(
      'ref: transformer "permuteId" cannot read this S value as an identifier of format uuid (otherwise: passthrough copies other values)',
    );
    expect(() => fn({ N: '1.5' }, ['n'])).toThrow(
      'n: transformer "permuteId" cannot read this N value as an integer written without leading zeros (otherwise: passthrough copies other numbers)',
    );
  });

  it('copies such values with otherwise: passthrough, which keeps the whole mapping one to one', () => {
    const fn = make({ otherwise: 'passthrough', format: 'digits' });
    expect(s(fn, 'USER#42')).toBe('USER#42');
    expect(s(fn, 'c0ffee')).toBe('c0ffee');
    expect(n(fn, '1.5')).toBe('1.5');
    // Permuted values keep their format, so none meets a copied one.
    const inputs = ['c0ffee', 'ab12', ...Array.from({ length: 100 }, (_, i) => String(i).padStart(4, '0'))];
    const outputs = inputs.map((id) => s(fn, id));
    expect(new Set(outputs).size).toBe(inputs.length);
  });

  describe('its inverse', () => {
    const inverse = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiateInverse({ type: 'permuteId', options }, { salt })!;

    it('gives back every input of every format, under every form of the mapping and domain', () => {
      const ids = [
        ...distinctDraws((faker) => faker.string.uuid(), 40),
        ...distinctDraws((faker) => faker.string.numeric({ length: 8, allowLeadingZeros: true }), 40, 3),
        ...distinctDraws((faker) => faker.string.hexadecimal({ length: 12, casing: 'upper', prefix: '' }), 40, 4),
        ...distinctDraws((faker) => faker.string.alphanumeric({ length: 10, casing: 'upper' }), 40, 5),
      ];
      for (const options of [{}, { otherwise: 'passthrough' }, { domain: 'orders' }]) {
        const [fn, back] = [make(options), inverse(options)];
        for (const id of ids) expect(back({ S: s(fn, id) }), id).toEqual({ S: id });
      }
    });

    it('gives back N integers through permuteNumber: every one of 2 and 3 digits, either sign, and long ones', () => {
      const [fn, back] = [make(), inverse()];
      const inputs = [...Array.from({ length: 990 }, (_, i) => String(i + 10)), ...Array.from({ length: 990 }, (_, i) => String(-(i + 10))), '123456789012345678901234567890', '7'];
      const outputs = inputs.map((x) => n(fn, x));
      expect(new Set(outputs).size).toBe(inputs.length);
      expect(outputs.map((x) => (back({ N: x }) as { N: string }).N)).toEqual(inputs);
    });

    it('says no input gives a value that make refuses, and gives back what otherwise: passthrough copied', () => {
      expect(inverse()({ S: 'USER#42' })).toBeUndefined();
      expect(inverse()({ N: '1.5' })).toBeUndefined();
      expect(inverse({ format: 'uuid' })({ S: 'c0ffee' })).toBeUndefined();
      const back = inverse({ format: 'digits', otherwise: 'passthrough' });
      for (const copied of ['USER#42', 'c0ffee']) expect(back({ S: copied })).toEqual({ S: copied });
      expect(back({ N: '1.5' })).toEqual({ N: '1.5' });
      expect(back({ S: s(make({ format: 'digits' }), '0042') })).toEqual({ S: '0042' });
      expect(inverse()({ S: '' })).toEqual({ S: '' });
      expect(inverse()({ B: new Uint8Array([1]) })).toBeUndefined();
    });

    it('needs the salt: under another, the inverse gives another input', () => {
      const id = '550e8400-e29b-41d4-a716-446655440000';
      expect(inverse({}, 'salt-2')({ S: s(make(), id) })).not.toEqual({ S: id });
    });
  });

  it('keeps an empty string empty and declares itself preserving', () => {
    expect(make()({ S: '' }, ['pk'])).toEqual({ S: '' });
    expect(registry.uniqueness({ type: 'permuteId', options: {} })).toBe('preserved');
    expect(permuteId.options.parse({})).toEqual({ format: 'auto', otherwise: 'error' });
  });
});
