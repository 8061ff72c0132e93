import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { createRegistry } from '../registry.ts';
import { characterScramble } from './characterScramble.ts';

const registry = createRegistry([characterScramble]);
const make = (salt = 'salt-1') => registry.instantiate({ type: 'characterScramble', options: {} }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['code']) as { S: string }).S;

/** The class each character keeps: A for upper case, a for lower, 9 for digits, else the character itself. */
const shape = (text: string) =>
  [...text].map((c) => (/\p{Lu}/u.test(c) ? 'A' : /\p{L}/u.test(c) ? 'a' : /\p{Nd}/u.test(c) ? '9' : c)).join('');

describe('characterScramble', () => {
  it('takes S and SS, and throws a TransformTypeError for other types', () => {
    expect(characterScramble.accepts).toEqual(['S', 'SS']);
    expect(characterScramble.produces).toBe('same');
    expect(() => make()({ N: '12' }, ['a'])).toThrow(TransformTypeError);
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

  it('never returns realistic inputs unchanged, even one-character ones', () => {
    faker.seed(5);
    const fn = make();
    const inputs = [
      ...Array.from({ length: 50 }, () => faker.finance.iban()),
      ...Array.from({ length: 50 }, () => faker.vehicle.vrm()),
      ...Array.from({ length: 50 }, () => faker.phone.number()),
      ...Array.from({ length: 50 }, () => faker.internet.username()),
    ];
    for (const input of inputs) {
      const out = s(fn, input);
      expect(out).not.toBe(input);
      expect(shape(out)).toBe(shape(input));
    }
    for (let i = 0; i < 200; i++) {
      expect(s(make(`salt-${i}`), 'a')).not.toBe('a');
      expect(s(make(`salt-${i}`), '7')).not.toBe('7');
    }
    // Nothing to scramble: kept.
    expect(s(make(), '--- / ---')).toBe('--- / ---');
  });

  it('is deterministic per salt, and differs across salts', () => {
    const inputs = Array.from({ length: 30 }, (_, i) => `ORDER-${1000 + i}-xy`);
    const run = (salt: string) => inputs.map((input) => s(make(salt), input));
    expect(run('salt-1')).toEqual(run('salt-1'));
    expect(run('salt-2')).not.toEqual(run('salt-1'));
  });

  it('keeps a set the same size, without duplicates', () => {
    const input = Array.from({ length: 20 }, (_, i) => String(i));
    const out = (make()({ SS: input }, ['a']) as { SS: string[] }).SS;
    expect(out).toHaveLength(20);
    expect(new Set(out).size).toBe(20);
    out.forEach((element, i) => expect(shape(element)).toBe(shape(input[i]!)));
  });

  it('keeps an empty S empty, and takes no options', () => {
    expect(make()({ S: '' }, ['a'])).toEqual({ S: '' });
    expect(() => characterScramble.options.parse({ keepCase: false })).toThrow();
  });
});
