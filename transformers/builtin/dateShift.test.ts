import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { TransformValueError } from '../errors.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
import { dateShift } from './dateShift.ts';

const registry = createRegistry([dateShift]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'dateShift', options }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['released']) as { S: string }).S;
const DAY = 86_400_000;

/** Milliseconds between two ISO texts of the same zone (read as UTC: the zone text is the same on both). */
const gap = (a: string, b: string) => {
  const utc = (text: string) => Date.parse(text.length === 10 ? text : `${text.slice(0, 10)}T${text.slice(11).replace(/([Zz]|[+-]\d\d(:?\d\d)?)$/, '')}Z`);
  return Math.abs(utc(a) - utc(b));
};

/** Dates as a table would hold them: ISO date-times, dates, date-times to the second and epoch milliseconds, from a fixed seed. */
const realistic = () => {
  const source = new Faker({ locale: [en, base], seed: 3 });
  return Array.from({ length: 200 }, () => {
    const date = source.date.between({ from: '1950-01-01', to: '2030-01-01' });
    return [date.toISOString(), date.toISOString().slice(0, 10), date.toISOString().replace(/\.\d{3}Z$/, 'Z'), String(date.getTime())];
  }).flat();
};

describe('dateShift', () => {
  describeFakeContract(dateShift, {
    accepts: ['S', 'SS', 'N', 'NS'],
    realisticInputs: realistic,
  });

  it('keeps the format of the input exactly', () => {
    const cases: [string, RegExp][] = [
      ['2013-09-02', /^\d{4}-\d\d-\d\d$/],
      ['2013-09-02T00:00:00Z', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/],
      ['2013-09-02T10:11:12.345Z', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/],
      ['2013-09-02T10:11:12.123456789Z', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/],
      ['2013-09-02T10:11:12+02:00', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+02:00$/],
      ['2013-09-02T10:11:12-0530', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0530$/],
      ['2013-09-02T10:11:12', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/],
      ['2013-09-02 10:11', /^\d{4}-\d\d-\d\d \d\d:\d\d$/],
      ['2013-09-02t10:11:12,5z', /^\d{4}-\d\d-\d\dt\d\d:\d\d:\d\d,\dz$/],
      ['1378080000', /^\d{10}$/],
      ['1378080000123', /^\d{13}$/],
      ['1378080000.25', /^\d{10}\.\d\d$/],
    ];
    for (const [input, format] of cases) {
      const out = s(make(), input);
      expect(out, input).toMatch(format);
      expect(out, input).not.toBe(input);
    }
    // An N stays an N.
    expect(make()({ N: '1378080000' }, ['a'])).toHaveProperty('N');
  });

  it('moves by at most maxDays, never by nothing', () => {
    for (let i = 0; i < 100; i++) {
      const salt = `salt-${i}`;
      const dateOnly = s(make({}, salt), '2013-09-02');
      expect(gap(dateOnly, '2013-09-02')).toBeGreaterThanOrEqual(DAY);
      expect(gap(dateOnly, '2013-09-02')).toBeLessThanOrEqual(30 * DAY);
      const dateTime = s(make({ maxDays: 2 }, salt), '2013-09-02T10:11:12.345Z');
      expect(gap(dateTime, '2013-09-02T10:11:12.345Z')).toBeGreaterThan(0);
      expect(gap(dateTime, '2013-09-02T10:11:12.345Z')).toBeLessThanOrEqual(2 * DAY);
      const seconds = Number((make({}, salt)({ N: '1378080000' }, ['a']) as { N: string }).N);
      expect(Math.abs(seconds - 1378080000)).toBeLessThanOrEqual(30 * 86_400);
      const millis = Number((make({}, salt)({ N: '1378080000123' }, ['a']) as { N: string }).N);
      expect(Math.abs(millis - 1378080000123)).toBeLessThanOrEqual(30 * DAY);
      expect(Math.abs(millis - 1378080000123)).toBeGreaterThan(0);
    }
  });

  it('crosses months, years and leap days correctly', () => {
    const outs = Array.from({ length: 300 }, (_, i) => s(make({ maxDays: 400 }, `salt-${i}`), '2024-02-29'));
    for (const out of outs) {
      // A real date: Date agrees on every field.
      expect(new Date(`${out}T00:00:00Z`).toISOString().slice(0, 10)).toBe(out);
      expect(gap(out, '2024-02-29')).toBeLessThanOrEqual(400 * DAY);
    }
    expect(outs.some((out) => out.startsWith('2023'))).toBe(true);
    expect(outs.some((out) => out.startsWith('2025'))).toBe(true);
    // Near the end of year 9999 it moves back rather than out of four digits.
    expect(s(make({ maxDays: 36_500 }), '9999-12-31')).toMatch(/^9\d{3}-/);
  });

  it('throws a TransformValueError naming the path, not the value, for an S that is not a date', () => {
    for (const input of ['next Tuesday', '2013-13-01', '2013-02-30', '2013-09-02T24:00:00Z', '02/09/2013', '2013-09-02T10']) {
      expect(() => make()({ S: input }, ['movies', 3, 'released']), input).toThrow(TransformValueError);
    }
    expect(() => make()({ S: 'next Tuesday' }, ['released'])).toThrow(
      'released: transformer "dateShift" cannot read this S value as an ISO-8601 date or date-time, or epoch seconds or milliseconds',
    );
  });

  it('seeds by its options: another maxDays gives other shifts', () => {
    const inputs = Array.from({ length: 30 }, (_, i) => `2013-09-${String(i + 1).padStart(2, '0')}T12:00:00Z`);
    const run = (options = {}) => inputs.map((input) => s(make(options), input));
    expect(run({ maxDays: 10 })).not.toEqual(run());
  });

  it('keeps a set of neighbouring dates, or an NS, the same size, without duplicates', () => {
    const input = Array.from({ length: 20 }, (_, i) => `2013-09-${String(i + 1).padStart(2, '0')}`);
    const out = (make({ maxDays: 1 })({ SS: input }, ['a']) as { SS: string[] }).SS;
    expect(out).toHaveLength(20);
    expect(new Set(out).size).toBe(20);
    const ns = (make()({ NS: ['1378080000', '1378080001'] }, ['a']) as { NS: string[] }).NS;
    expect(new Set(ns).size).toBe(2);
  });

  it('validates maxDays', () => {
    expect(dateShift.options.parse({})).toEqual({ maxDays: 30 });
    expect(() => dateShift.options.parse({ maxDays: 0 })).toThrow();
    expect(() => dateShift.options.parse({ maxDays: 1.5 })).toThrow();
    expect(() => dateShift.options.parse({ maxDays: 36_501 })).toThrow();
  });
});
