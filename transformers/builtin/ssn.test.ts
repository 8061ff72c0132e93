import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { createRegistry } from '../registry.ts';
import { ssn } from './ssn.ts';

const registry = createRegistry([ssn]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'ssn', options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['Ssn']) as { S: string }).S;

/** A valid SSN: area not 000, 666 or 900-999; group not 00; serial not 0000. */
const isValidSsn = (value: string, separator: string) => {
  const match = new RegExp(`^(\\d{3})${separator}(\\d{2})${separator}(\\d{4})$`).exec(value);
  if (match === null) return false;
  const [area, group, serial] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
};

/** SSNs as a table would hold them, a third each dashed, spaced and bare, from a fixed seed. */
const realistic = (count: number) => {
  const source = new Faker({ locale: [en, base], seed: 3 });
  return Array.from({ length: count }, (_, i) => {
    const parts = [source.string.numeric(3), source.string.numeric(2), source.string.numeric(4)];
    return parts.join(['-', ' ', ''][i % 3]);
  });
};

describe('ssn', () => {
  it('accepts S and SS, and throws a TransformTypeError for other types', () => {
    expect(ssn.accepts).toEqual(['S', 'SS']);
    expect(ssn.produces).toBe('same');
    expect(() => make()({ N: '123456789' }, ['person', 'ssn'])).toThrow(TransformTypeError);
    expect(() => make()({ N: '123456789' }, ['person', 'ssn'])).toThrow('person.ssn: transformer "ssn" accepts S, SS; got N');
  });

  it('takes no options', () => {
    expect(() => make({ format: 'dashed' })).toThrow();
  });

  it('keeps the separator of an SSN-shaped input, and writes AAA-GG-SSSS for anything else', () => {
    const fn = make();
    expect(isValidSsn(fakeS(fn, '123-45-6789'), '-')).toBe(true);
    expect(isValidSsn(fakeS(fn, '123 45 6789'), ' ')).toBe(true);
    expect(isValidSsn(fakeS(fn, '123456789'), '')).toBe(true);
    for (const input of ['123-456789', '12-345-6789', 'SSN 123-45-6789', 'unknown', '1234567890']) expect(isValidSsn(fakeS(fn, input), '-')).toBe(true);
  });

  it('draws only valid SSNs, over the whole range', () => {
    const fn = make();
    const outputs = Array.from({ length: 5000 }, (_, i) => fakeS(fn, `input ${i}`));
    for (const output of outputs) expect(isValidSsn(output, '-')).toBe(true);
    const areas = outputs.map((output) => Number(output.slice(0, 3)));
    expect(Math.min(...areas)).toBeLessThan(20);
    expect(Math.max(...areas)).toBeGreaterThan(880);
  });

  it('gives the same fakes across separately made instances, and different ones for different salts', () => {
    const inputs = realistic(20);
    const one = inputs.map((input) => fakeS(make(), input));
    expect(inputs.map((input) => fakeS(make(), input))).toEqual(one);
    const other = inputs.map((input) => fakeS(make({}, 'salt-2'), input));
    expect(other.filter((output, i) => output !== one[i]).length).toBeGreaterThanOrEqual(19);
  });

  it('never returns a realistic SSN unchanged, and spreads inputs over many fakes', () => {
    const fn = make();
    const inputs = realistic(200);
    const outputs = inputs.map((input) => fakeS(fn, input));
    outputs.forEach((output, i) => expect(output).not.toBe(inputs[i]));
    expect(new Set(outputs).size).toBe(new Set(inputs).size);
  });

  it('replaces every element of a large set, keeping its size and without duplicates', () => {
    const input = [...new Set(realistic(300))];
    const out = make()({ SS: input }, ['Ssns']) as { SS: string[] };
    expect(out.SS).toHaveLength(input.length);
    expect(new Set(out.SS).size).toBe(input.length);
    out.SS.forEach((element, i) => expect(element).not.toBe(input[i]));
  });

  it('keeps an empty string empty: nothing to anonymize', () => {
    expect(make()({ S: '' }, ['Ssn'])).toEqual({ S: '' });
    const out = make()({ SS: ['', '123-45-6789'] }, ['Ssns']) as { SS: string[] };
    expect(out.SS).toHaveLength(2);
    expect(out.SS[0]).toBe('');
    expect(out.SS[1]).not.toBe('123-45-6789');
    expect(isValidSsn(out.SS[1]!, '-')).toBe(true);
  });
});
