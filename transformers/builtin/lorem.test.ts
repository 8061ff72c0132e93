import { Faker, base, en, faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
import { lorem } from './lorem.ts';

const registry = createRegistry([lorem]);
const make = (salt = 'salt-1') => registry.instantiate({ type: 'lorem', options: {} }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['plot']) as { S: string }).S;
const words = (text: string) => text.split(/\s+/).filter((word) => word !== '').length;
const LOREM_WORDS = new Set(faker.definitions.lorem.word);

/** Sentences and catch phrases, from a fixed seed. */
const realistic = () => {
  const source = new Faker({ locale: [en, base], seed: 6 });
  return [...Array.from({ length: 100 }, () => source.lorem.sentence()), ...Array.from({ length: 100 }, () => source.company.catchPhrase())];
};

describe('lorem', () => {
  describeFakeContract(lorem, {
    accepts: ['S', 'SS'],
    realisticInputs: realistic,
    fits: (output, input) => words(output) === words(input),
  });

  it('writes as many lorem words as the input has, keeping a capital first letter and the final punctuation', () => {
    const out = s(make(), 'A rock band plays their final gig!');
    expect(words(out)).toBe(7);
    expect(out).toMatch(/^[A-Z][a-z]*( [a-z]+){6}!$/);
    for (const word of out.slice(0, -1).toLowerCase().split(' ')) expect(LOREM_WORDS.has(word)).toBe(true);
    expect(s(make(), 'lower case, no stop')).toMatch(/^[a-z]+( [a-z]+){3}$/);
    expect(s(make(), '  "Quoted" start?  ')).toMatch(/^[A-Z][a-z]* [a-z]+\?$/);
    expect(s(make(), 'Really.')).toMatch(/^[A-Z][a-z]*\.$/);
  });

  it('never returns lorem words themselves unchanged, and keeps an input without words', () => {
    const fn = make();
    for (const word of [...LOREM_WORDS].slice(0, 200)) expect(s(fn, word)).not.toBe(word);
    // No words: nothing to replace.
    expect(s(fn, '   ')).toBe('   ');
  });

  it('keeps a set of single words the same size, without duplicates', () => {
    const input = Array.from({ length: 60 }, (_, i) => `tag${i}`);
    const out = (make()({ SS: input }, ['tags']) as { SS: string[] }).SS;
    expect(out).toHaveLength(60);
    expect(new Set(out).size).toBe(60);
  });

  it('takes no options', () => {
    expect(() => lorem.options.parse({ words: 3 })).toThrow();
  });
});
