import { Faker, base, de, en, en_GB } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
import { phone } from './phone.ts';

const registry = createRegistry([phone]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'phone', options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['Phone']) as { S: string }).S;
const E164 = /^\+[1-9]\d{1,14}$/;
const NANP = /^\(\d{3}\) \d{3}-\d{4}$/;

/** Phone numbers as a table would hold them (US, UK and German, in every faker style), from a fixed seed. */
const realistic = (count: number) => {
  const sources = [en, en_GB, de].map((locale, i) => new Faker({ locale: [locale, en, base], seed: 100 + i }));
  const styles = ['human', 'national', 'international'] as const;
  return Array.from({ length: count }, (_, i) => sources[i % 3]!.phone.number({ style: styles[Math.floor(i / 3) % 3]! }));
};

/** The input with its digits blanked: what "preserve" must keep. */
const shape = (value: string) => value.replace(/\d/g, '#');

describe('phone', () => {
  describeFakeContract(phone, {
    accepts: ['S', 'SS'],
    realisticInputs: () => realistic(300),
    options: [{}, { format: 'preserve' }, { format: 'e164' }, { format: 'national' }],
    fits: (output, input, { format }) => {
      if (format === 'e164') return E164.test(output);
      if (format === 'national') return /^[\d() -]+$/.test(output);
      // preserve: every digit replaced, everything else in place.
      return shape(output) === shape(input);
    },
    distinct: 1,
  });

  it('treats the defaults as defaults, and rejects unknown or mistyped options', () => {
    const input = { S: '+1 (555) 123-4567' };
    expect(make({ format: 'preserve', preserveLength: true })(input, ['Phone'])).toEqual(make()(input, ['Phone']));
    expect(() => make({ format: 'international' })).toThrow();
    expect(() => make({ preserveLength: 'yes' })).toThrow();
    expect(() => make({ country: 'US' })).toThrow();
  });

  describe('format: preserve', () => {
    const fn = make();

    it('keeps the dialling prefix: "+" or "00" and the country code, a trunk "0", a "1-"', () => {
      const cases: [string, string][] = [
        ['+1 (555) 123-4567', '+1 ('],
        ['+44 20 7946 0958', '+44 '],
        ['+49-30-1234567', '+49-'],
        ['+380 44 123 4567', '+380 '],
        ['+7 495 123-45-67', '+7 '],
        ['0044 20 7946 0958', '0044 '],
        ['020 7946 0958', '0'],
        ['(030) 1234567', '(0'],
        ['1-800-555-0199 ext. 42', '1-'],
      ];
      for (const [input, prefix] of cases) {
        const out = fakeS(fn, input);
        expect(out.startsWith(prefix)).toBe(true);
        // The national number starts with 2-9, as real ones do.
        expect(out.slice(prefix.length).replace(/\D/g, '')).toMatch(/^[2-9]/);
        expect(shape(out)).toBe(shape(input));
      }
    });

    it('gives an input with nothing to replace a national fake', () => {
      for (const input of ['n/a', 'unknown', '+', '+1', '()-']) expect(fakeS(fn, input)).toMatch(NANP);
    });
  });

  describe('format: e164', () => {
    it('writes +CC and the national digits, with the input\'s country code (else +1) and national length', () => {
      const fn = make({ format: 'e164' });
      expect(fakeS(fn, '+1 (555) 123-4567')).toMatch(/^\+1[2-9]\d{9}$/);
      expect(fakeS(fn, '+44 20 7946 0958')).toMatch(/^\+44[2-9]\d{9}$/);
      expect(fakeS(fn, '0044 20 7946 0958')).toMatch(/^\+44[2-9]\d{9}$/);
      expect(fakeS(fn, '+49 30 1234567')).toMatch(/^\+49[2-9]\d{8}$/);
      expect(fakeS(fn, '555-1234')).toMatch(/^\+1[2-9]\d{6}$/);
      // An extension is not part of the number.
      expect(fakeS(fn, '(230) 990-8576 x502')).toMatch(/^\+1[2-9]\d{9}$/);
      expect(fakeS(fn, '+44 20 7946 0958 ext. 12')).toMatch(/^\+44[2-9]\d{9}$/);
      expect(fakeS(fn, '020 7946 0958')).toMatch(/^\+1[2-9]\d{9}$/);
      expect(fakeS(fn, 'n/a')).toMatch(/^\+1[2-9]\d{9}$/);
      // Within E.164's 15 digits.
      expect(fakeS(fn, '+44 1234 567890 1234 5678')).toMatch(/^\+44\d{13}$/);
    });

    it('gives 10 national digits without preserveLength', () => {
      const fn = make({ format: 'e164', preserveLength: false });
      expect(fakeS(fn, '+44 20 7946 0958')).toMatch(/^\+44[2-9]\d{9}$/);
      expect(fakeS(fn, '555-1234')).toMatch(/^\+1[2-9]\d{9}$/);
    });
  });

  describe('format: national', () => {
    it('writes (555) 123-4567 for 10 national digits, else groups and a dash', () => {
      const fn = make({ format: 'national' });
      expect(fakeS(fn, '+1 (555) 123-4567')).toMatch(/^\([2-9]\d\d\) \d{3}-\d{4}$/);
      expect(fakeS(fn, '555.123.4567')).toMatch(NANP);
      expect(fakeS(fn, '555-1234')).toMatch(/^[2-9]\d\d-\d{4}$/);
      expect(fakeS(fn, '+49 30 1234567')).toMatch(/^[2-9]\d \d{3}-\d{4}$/);
      expect(fakeS(make({ format: 'national', preserveLength: false }), '555-1234')).toMatch(NANP);
    });
  });

  it('gives a set of short numbers distinct fakes, and a 7-digit number in a set its shape', () => {
    const short = Array.from({ length: 50 }, (_, i) => `+1 55${String(i).padStart(2, '0')}`);
    const out = make()({ SS: short }, ['Phones']) as { SS: string[] };
    expect(new Set(out.SS).size).toBe(50);
    // A short national number, beside an empty element.
    const seven = make()({ SS: ['', '555-1234'] }, ['Phones']) as { SS: string[] };
    expect(seven.SS).toEqual(['', expect.stringMatching(/^[2-9]\d\d-\d{4}$/)]);
    expect(seven.SS[1]).not.toBe('555-1234');
  });
});
