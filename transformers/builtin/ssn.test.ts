import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
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
  describeFakeContract(ssn, {
    accepts: ['S', 'SS'],
    realisticInputs: () => realistic(300),
    // Valid, with the input's separator: a dash, a space or none.
    fits: (output, input) => isValidSsn(output, /\D/.exec(input)?.[0] ?? ''),
    distinct: 1,
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
});
