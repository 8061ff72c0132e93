import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../errors.ts';
import { parseDecimal } from '../../model/decimal.ts';
import { createRegistry } from '../registry.ts';
import { LATITUDE_AXIS, LONGITUDE_AXIS } from './_coordinates.ts';
import { latitude } from './latitude.ts';
import { longitude } from './longitude.ts';

const registry = createRegistry([latitude, longitude]);
const make = (type: string, options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type, options }, { salt });
const fakeN = (fn: ReturnType<typeof make>, input: string) => (fn({ N: input }, ['geo', 'at']) as { N: string }).N;

/** Plain decimal text, as DynamoDB writes N: no exponent, no `-0`. */
const DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const decimalsOf = (text: string) => parseDecimal(text)!.scale;

const AXES = [
  { type: 'latitude', axis: LATITUDE_AXIS },
  { type: 'longitude', axis: LONGITUDE_AXIS },
] as const;

/** 200 realistic coordinates, 0 to 8 decimal places, the same on every run. */
function realistic(limit: number): string[] {
  faker.seed(7);
  return Array.from({ length: 200 }, (_, i) => String(faker.number.float({ min: -limit, max: limit, fractionDigits: i % 9 })));
}

/** Degrees between two values on the axis, the short way round for longitude and over the pole for latitude. */
function distance(type: 'latitude' | 'longitude', from: number, to: number): number {
  const direct = Math.abs(to - from);
  if (type === 'longitude') return Math.min(direct, 360 - direct);
  return Math.min(direct, 180 - from - to, 180 + from + to);
}

describe.each(AXES)('$type', ({ type, axis }) => {
  const inputs = realistic(axis.limit);

  it('accepts N, NS, S and SS, and throws a TransformTypeError for other types', () => {
    const definition = registry.get(type)!;
    expect(definition.accepts).toEqual(['N', 'NS', 'S', 'SS']);
    expect(definition.produces).toBe('same');
    const fn = make(type);
    for (const value of [{ BOOL: true }, { NULL: true as const }, { B: new Uint8Array([1]) }, { L: [{ N: '1' }] }]) {
      expect(() => fn(value, ['geo', 'at'])).toThrow(TransformTypeError);
    }
    expect(() => fn({ BOOL: true }, ['geo', 'at'])).toThrow(`geo.at: transformer "${type}" accepts N, NS, S, SS; got BOOL`);
  });

  it('gives N for N and S for S, the same fake for the same text', () => {
    const fn = make(type);
    const n = fn({ N: '45.123456' }, ['at']) as AttributeValue;
    const s = fn({ S: '45.123456' }, ['at']) as AttributeValue;
    expect(Object.keys(n)).toEqual(['N']);
    expect(Object.keys(s)).toEqual(['S']);
    expect(s.S).toBe(n.N);
  });

  it('never returns a realistic input unchanged; fakes are in range, plain decimal text, with the input’s decimal places', () => {
    const fn = make(type);
    for (const input of inputs) {
      const output = fakeN(fn, input);
      expect(output).toMatch(DECIMAL_TEXT);
      expect(Number(output)).not.toBe(Number(input));
      expect(Math.abs(Number(output))).toBeLessThanOrEqual(axis.limit);
      expect(decimalsOf(output)).toBe(decimalsOf(input));
    }
  });

  it('writes tiny and exponent-form inputs as plain decimals', () => {
    const fn = make(type);
    expect(fakeN(fn, '1e-7')).toMatch(/^-?\d+\.\d{7}$/);
    expect(fakeN(fn, '0.0000001')).toMatch(/^-?\d+\.\d{7}$/);
    expect(fakeN(fn, '1.5E1')).toMatch(/^-?\d+$/);
    // Near zero, rounding must not give "-0.00".
    const nearZero = Array.from({ length: 2000 }, (_, i) => fakeN(make(type, { precision: 0, maxDistanceKm: 100 }), String(i % 2)));
    for (const output of nearZero) expect(output).toMatch(DECIMAL_TEXT);
  });

  it('gives the same fakes from two separately made instances, and other fakes for another salt', () => {
    const one = inputs.map((input) => fakeN(make(type), input));
    expect(inputs.map((input) => fakeN(make(type), input))).toEqual(one);
    const salted = inputs.map((input) => fakeN(make(type, {}, 'salt-2'), input));
    // Inputs with 0 decimal places have only 181 or 361 fakes.
    expect(salted.filter((output, i) => output !== one[i]).length).toBeGreaterThan(inputs.length * 0.95);
  });

  it('writes `precision` decimal places whatever the input has', () => {
    for (const precision of [0, 2, 9, 15]) {
      const fn = make(type, { precision });
      for (const input of inputs.slice(0, 20)) expect(decimalsOf(fakeN(fn, input))).toBe(precision);
    }
  });

  it('moves the input by up to maxDistanceKm, wrapping or reflecting at the ends of the axis', () => {
    for (const maxDistanceKm of [0.5, 10, 5000]) {
      const fn = make(type, { maxDistanceKm });
      const reach = maxDistanceKm / axis.kmPerDegree;
      for (const input of [...inputs, String(axis.limit), String(-axis.limit), String(axis.limit - 0.001), String(0.0005 - axis.limit)]) {
        const output = fakeN(fn, input);
        expect(Number(output)).not.toBe(Number(input));
        expect(Math.abs(Number(output))).toBeLessThanOrEqual(axis.limit);
        // Rounding to the precision may add half a unit; a coarse value moves by at least one unit.
        const unit = 10 ** -decimalsOf(input);
        expect(distance(type, Number(input), Number(output))).toBeLessThanOrEqual(Math.max(reach, unit) + unit / 2 + 1e-9);
      }
    }
  });

  it('spends the whole reach: some fakes land far from the input', () => {
    const fn = make(type, { maxDistanceKm: 100, precision: 6 });
    const moves = inputs.map((input) => distance(type, Number(input), Number(fakeN(fn, input))));
    expect(Math.max(...moves)).toBeGreaterThan((100 / axis.kmPerDegree) * 0.8);
  });

  it('moves a coarse value by one unit when maxDistanceKm is shorter', () => {
    const output = fakeN(make(type, { maxDistanceKm: 1 }), '48');
    expect(['47', '49']).toContain(output);
  });

  it('never returns the same number in other text (+45.1 -> 45.1)', () => {
    // With a reach of one unit, half the first draws round back to the input.
    for (let salt = 0; salt < 200; salt++) {
      const output = (make(type, { maxDistanceKm: 1 }, String(salt))({ S: '+45.1' }, ['at']) as { S: string }).S;
      expect(Number(output)).not.toBe(45.1);
      expect(Math.abs(Number(output) - 45.1)).toBeLessThan(0.1 + 1e-9);
    }
  });

  it('replaces every element of a big NS with distinct numbers, whatever the order', () => {
    const input = [...new Set(inputs.filter((text) => decimalsOf(text) >= 3))].slice(0, 100);
    expect(input.length).toBeGreaterThan(60);
    const fn = make(type);
    const out = fn({ NS: input }, ['track']) as { NS: string[] };
    expect(out.NS).toHaveLength(input.length);
    expect(new Set(out.NS.map(Number)).size).toBe(input.length);
    out.NS.forEach((element, i) => expect(Number(element)).not.toBe(Number(input[i])));
    expect(fn({ NS: [...input].reverse() }, ['track'])).toEqual({ NS: [...out.NS].reverse() });
  });

  it('gives an NS of coarse values distinct fakes too, when the reach leaves room', () => {
    // 60 whole degrees, each free to move ±18: room enough. (Each free to move
    // only ±4, as with 500 km, the set can run out of distinct fakes.)
    const input = Array.from({ length: 60 }, (_, i) => String(i - 30));
    const out = make(type, { maxDistanceKm: 2000 })({ NS: input }, ['track']) as { NS: string[] };
    expect(new Set(out.NS.map(Number)).size).toBe(60);
    out.NS.forEach((element, i) => expect(element).not.toBe(input[i]));
  });

  it('replaces every element of a big SS without duplicates', () => {
    const input = [...new Set(inputs)].slice(0, 100);
    const out = make(type)({ SS: input }, ['track']) as { SS: string[] };
    expect(out.SS).toHaveLength(input.length);
    expect(new Set(out.SS).size).toBe(input.length);
    out.SS.forEach((element, i) => expect(element).not.toBe(input[i]));
  });

  it('leaves an empty S empty: it holds nothing to anonymize', () => {
    expect(make(type)({ S: '' }, ['at'])).toEqual({ S: '' });
    expect(make(type, { precision: 2, maxDistanceKm: 1 })({ S: '' }, ['at'])).toEqual({ S: '' });
  });

  it('gives other S that holds no number a random coordinate with 6 decimal places, or `precision`', () => {
    for (const input of [' ', 'n/a', '12°30′N', 'NaN', 'Infinity']) {
      const output = (make(type)({ S: input }, ['at']) as { S: string }).S;
      expect(output).toMatch(/^-?\d+\.\d{6}$/);
      expect(Math.abs(Number(output))).toBeLessThanOrEqual(axis.limit);
    }
    expect((make(type, { precision: 2, maxDistanceKm: 1 })({ S: 'n/a' }, ['at']) as { S: string }).S).toMatch(/^-?\d+\.\d{2}$/);
  });

  it('gives an out-of-range N a random coordinate, even with maxDistanceKm', () => {
    const output = fakeN(make(type, { maxDistanceKm: 1 }), String(axis.limit + 5));
    expect(Math.abs(Number(output))).toBeLessThanOrEqual(axis.limit);
  });

  it('validates its options and seeds by them', () => {
    for (const bad of [{ precision: -1 }, { precision: 16 }, { precision: 1.5 }, { maxDistanceKm: 0 }, { maxDistanceKm: -3 }, { maxDistanceKm: 30_000 }, { radius: 1 }]) {
      expect(() => make(type, bad), JSON.stringify(bad)).toThrow();
    }
    expect(fakeN(make(type, { precision: 6 }), '45.123456')).not.toBe(fakeN(make(type), '45.123456'));
  });
});
