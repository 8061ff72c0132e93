import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
import { creditCard } from './creditCard.ts';

const registry = createRegistry([creditCard]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'creditCard', options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['Card']) as { S: string }).S;

/** The Luhn check, written independently of the transformer's. */
const passesLuhn = (value: string) => {
  const digits = value.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
};
const shape = (value: string) => value.replace(/\d/g, '#');

/** Card numbers as a table would hold them (every faker issuer; dashed, spaced or bare), from a fixed seed. */
const realistic = (count: number) => {
  const source = new Faker({ locale: [en, base], seed: 5 });
  const issuers = ['visa', 'mastercard', 'american_express', 'discover', 'diners_club', 'jcb', 'maestro', 'laser', 'instapayment'];
  return Array.from({ length: count }, (_, i) => {
    const number = source.finance.creditCardNumber({ issuer: issuers[i % issuers.length]! });
    return [number, number.replace(/-/g, ''), number.replace(/-/g, ' ')][i % 3]!;
  });
};

describe('creditCard', () => {
  describeFakeContract(creditCard, {
    accepts: ['S', 'SS'],
    realisticInputs: () => realistic(300),
    options: [{}, { keepFirstDigits: 1 }, { keepFirstDigits: 6 }, { keepFirstDigits: 8 }],
    fits: passesLuhn,
    distinct: 1,
  });

  it('treats the defaults as defaults, and rejects unknown or out-of-range options', () => {
    const input = { S: '4111 1111 1111 1111' };
    expect(make({ preserveFormat: true, keepFirstDigits: 1 })(input, ['Card'])).toEqual(make()(input, ['Card']));
    expect(() => make({ keepFirstDigits: 9 })).toThrow();
    expect(() => make({ keepFirstDigits: -1 })).toThrow();
    expect(() => make({ keepFirstDigits: 1.5 })).toThrow();
    expect(() => make({ preserveFormat: 'yes' })).toThrow();
    expect(() => make({ preserveIssuer: false })).toThrow();
  });

  it('keeps the length, the separators and the first digit of a card number, and passes Luhn', () => {
    const fn = make();
    for (const input of realistic(200)) {
      const out = fakeS(fn, input);
      expect(shape(out)).toBe(shape(input));
      expect(out[0]).toBe(input[0]);
      expect(passesLuhn(out)).toBe(true);
      expect(out).not.toBe(input);
    }
  });

  it('keeps as many first digits as keepFirstDigits says', () => {
    for (const keepFirstDigits of [0, 4, 6, 8]) {
      const fn = make({ keepFirstDigits });
      for (const input of realistic(50)) {
        const out = fakeS(fn, input);
        expect(out.replace(/\D/g, '').slice(0, keepFirstDigits)).toBe(input.replace(/\D/g, '').slice(0, keepFirstDigits));
        expect(passesLuhn(out)).toBe(true);
      }
    }
    // Nothing kept: a network's first digit.
    for (const input of realistic(50)) expect(fakeS(make({ keepFirstDigits: 0 }), input)).toMatch(/^[3-6]/);
  });

  it('gives 16 bare digits without preserveFormat, still keeping the first digits', () => {
    const fn = make({ preserveFormat: false, keepFirstDigits: 6 });
    const out = fakeS(fn, '3782-822463-10005');
    expect(out).toMatch(/^378282\d{10}$/);
    expect(passesLuhn(out)).toBe(true);
  });

  it('gives anything that is not card-shaped a 16-digit card number', () => {
    const fn = make();
    for (const input of ['unknown', '4111 **** **** 1111', '1234', '4111_1111_1111_1111', '12345678901234567890']) {
      const out = fakeS(fn, input);
      expect(out).toMatch(/^[3-6]\d{15}$/);
      expect(passesLuhn(out)).toBe(true);
    }
  });
});
