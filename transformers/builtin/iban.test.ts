import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
import { iban } from './iban.ts';

const registry = createRegistry([iban]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'iban', options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['Iban']) as { S: string }).S;

/** ISO 13616: move the first 4 characters to the end, letters to 10-35; the number mod 97 is 1. */
const passesMod97 = (value: string) => {
  const compact = value.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  const numeric = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1;
};
const GROUPED = /^[A-Z0-9]{4}( [A-Z0-9]{4})*( [A-Z0-9]{1,3})?$/;

/** IBANs as a table would hold them (every faker country, half printed in groups of 4), from a fixed seed. */
const realistic = (count: number) => {
  const source = new Faker({ locale: [en, base], seed: 9 });
  return Array.from({ length: count }, (_, i) => source.finance.iban({ formatted: i % 2 === 0 }));
};

describe('iban', () => {
  describeFakeContract(iban, {
    accepts: ['S', 'SS'],
    realisticInputs: () => realistic(300),
    fits: passesMod97,
    distinct: 1,
  });

  it('takes no options', () => {
    expect(() => make({ countryCode: 'DE' })).toThrow();
  });

  it('gives a valid IBAN of the input\'s country, grouped in fours when the input is', () => {
    const fn = make();
    for (const input of realistic(200)) {
      const out = fakeS(fn, input);
      expect(passesMod97(out)).toBe(true);
      expect(out.slice(0, 2)).toBe(input.slice(0, 2));
      expect(out.replace(/ /g, '')).toHaveLength(input.replace(/ /g, '').length);
      expect(out.includes(' ')).toBe(input.includes(' '));
      if (input.includes(' ')) expect(out).toMatch(GROUPED);
      expect(out).not.toBe(input);
    }
  });

  it('reads the country case-insensitively, and gives any country when faker does not know the input\'s', () => {
    const fn = make();
    expect(fakeS(fn, 'de89370400440532013000')).toMatch(/^DE\d{20}$/);
    for (const input of ['ZZ12 3456 7890', 'unknown', '1234', 'US12345']) {
      const out = fakeS(fn, input);
      expect(passesMod97(out)).toBe(true);
      expect(out.includes(' ')).toBe(input === 'ZZ12 3456 7890');
    }
    // Spaces that do not group in fours are not kept.
    expect(fakeS(fn, 'DE89 370400440532013000')).toMatch(/^DE\d{20}$/);
  });
});
