import { createHash } from 'node:crypto';
import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { characterScramble } from './characterScramble.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';

const registry = createRegistry([characterScramble]);
const make = (salt = 'salt-1') => registry.instantiate({ type: 'characterScramble', options: {} }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['code']) as { S: string }).S;

/** The class each character keeps: A for upper case, a for lower, 9 for digits, else the character itself. */
const shape = (text: string) =>
  [...text].map((c) => (/\p{Lu}/u.test(c) ? 'A' : /\p{L}/u.test(c) ? 'a' : /\p{Nd}/u.test(c) ? '9' : c)).join('');

/** IBANs, number plates, phone numbers and usernames, from a fixed seed. */
const realistic = () => {
  const source = new Faker({ locale: [en, base], seed: 5 });
  return [
    ...Array.from({ length: 50 }, () => source.finance.iban()),
    ...Array.from({ length: 50 }, () => source.vehicle.vrm()),
    ...Array.from({ length: 50 }, () => source.phone.number()),
    ...Array.from({ length: 50 }, () => source.internet.username()),
  ];
};

describe('characterScramble', () => {
  describeFakeContract(characterScramble, {
    accepts: ['S', 'SS'],
    realisticInputs: realistic,
    fits: (output, input) => shape(output) === shape(input),
  });

  it('replaces letters by letters of the same case and digits by digits, keeping everything else in place', () => {
    const input = 'AB-1234 x_y, (555) 123.45 / Zed!';
    const out = s(make(), input);
    expect(out).toHaveLength(input.length);
    expect(shape(out)).toBe(shape(input));
    expect(out).toMatch(/^[A-Za-z0-9 \-_,()./!]+$/);
  });

  it('replaces non-ASCII letters and digits by ASCII ones of the same case, one character for one', () => {
    const input = 'Ünïcødé Ωmega ß 😀 日本 ٣';
    const out = s(make(), input);
    expect([...out]).toHaveLength([...input].length);
    expect(out).toMatch(/^[A-Z][a-z]{6} [A-Z][a-z]{4} [a-z] 😀 [a-z]{2} [0-9]$/u);
  });

  it('never returns a one-character input unchanged, whatever the salt, and keeps one with nothing to scramble', () => {
    for (let i = 0; i < 200; i++) {
      expect(s(make(`salt-${i}`), 'a')).not.toBe('a');
      expect(s(make(`salt-${i}`), '7')).not.toBe('7');
    }
    expect(s(make(), '--- / ---')).toBe('--- / ---');
  });

  it('keeps a set of one- and two-digit elements the same size, without duplicates', () => {
    const input = Array.from({ length: 20 }, (_, i) => String(i));
    const out = (make()({ SS: input }, ['a']) as { SS: string[] }).SS;
    expect(out).toHaveLength(20);
    expect(new Set(out).size).toBe(20);
    out.forEach((element, i) => expect(shape(element)).toBe(shape(input[i]!)));
  });

  it('gives the outputs it gave before its draws skipped faker.number.int (a job keeps its outputs across versions)', () => {
    const fn = make('pinned-salt');
    const inputs = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
    for (let i = 0; i < 500; i++) inputs.push(`Order #${i}, shipped to Jane Doe`, `A${i % 7}`, `Ünïcödé ${i} 𝒳 straße ٣`);
    const outputs = inputs.map((input) => s(fn, input));
    expect(outputs.slice(70, 73)).toEqual(['Cfaehut 2 D wjariz 5', 'Qubwn #6, dimptcq it Ckhz Amq', 'K4']);
    // Of all 1,562 outputs, computed by the version before (faker.number.int per character).
    expect(createHash('sha256').update(JSON.stringify(outputs)).digest('hex')).toBe('5a48a1bd2484b96e5d749ee23b9e7fb24f55775fc855d22deb35e1a3361200ca');
  });

  it('takes no options', () => {
    expect(() => characterScramble.options.parse({ keepCase: false })).toThrow();
  });
});
