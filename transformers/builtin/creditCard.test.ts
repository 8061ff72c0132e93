import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { createRegistry } from '../registry.ts';
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
  it('accepts S and SS, and throws a TransformTypeError for other types', () => {
    expect(creditCard.accepts).toEqual(['S', 'SS']);
    expect(creditCard.produces).toBe('same');
    expect(() => make()({ N: '4111111111111111' }, ['payment', 'card'])).toThrow(TransformTypeError);
    expect(() => make()({ N: '4111111111111111' }, ['payment', 'card'])).toThrow('payment.card: transformer "creditCard" accepts S, SS; got N');
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

  it('gives the same fakes across separately made instances, and different ones for different salts', () => {
    const inputs = realistic(20);
    const one = inputs.map((input) => fakeS(make(), input));
    expect(inputs.map((input) => fakeS(make(), input))).toEqual(one);
    const other = inputs.map((input) => fakeS(make({}, 'salt-2'), input));
    expect(other.filter((output, i) => output !== one[i]).length).toBeGreaterThanOrEqual(19);
  });

  it('never returns a realistic number unchanged, and spreads inputs over many fakes', () => {
    for (const keepFirstDigits of [1, 8]) {
      const fn = make({ keepFirstDigits });
      const inputs = realistic(200);
      const outputs = inputs.map((input) => fakeS(fn, input));
      outputs.forEach((output, i) => expect(output).not.toBe(inputs[i]));
      expect(new Set(outputs).size).toBe(new Set(inputs).size);
    }
  });

  it('replaces every element of a large set, keeping its size and without duplicates', () => {
    const input = [...new Set(realistic(300))];
    const out = make({ keepFirstDigits: 6 })({ SS: input }, ['Cards']) as { SS: string[] };
    expect(out.SS).toHaveLength(input.length);
    expect(new Set(out.SS).size).toBe(input.length);
    out.SS.forEach((element, i) => {
      expect(element).not.toBe(input[i]);
      expect(passesLuhn(element)).toBe(true);
    });
  });

  it('keeps an empty string empty: nothing to anonymize', () => {
    expect(make()({ S: '' }, ['Card'])).toEqual({ S: '' });
    const out = make()({ SS: ['', '4111111111111111'] }, ['Cards']) as { SS: string[] };
    expect(out.SS).toHaveLength(2);
    expect(out.SS[0]).toBe('');
    expect(out.SS[1]).not.toBe('4111111111111111');
    expect(passesLuhn(out.SS[1]!)).toBe(true);
  });
});
