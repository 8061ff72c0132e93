import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { createRegistry } from '../registry.ts';
import { lorem } from './lorem.ts';

const registry = createRegistry([lorem]);
const make = (salt = 'salt-1') => registry.instantiate({ type: 'lorem', options: {} }, { salt });
const s = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['plot']) as { S: string }).S;
const words = (text: string) => text.split(/\s+/).filter((word) => word !== '').length;
const LOREM_WORDS = new Set(faker.definitions.lorem.word);

describe('lorem', () => {
  it('takes S and SS, and throws a TransformTypeError for other types', () => {
    expect(lorem.accepts).toEqual(['S', 'SS']);
    expect(lorem.produces).toBe('same');
    expect(() => make()({ N: '1' }, ['plot'])).toThrow('plot: transformer "lorem" accepts S, SS; got N');
    expect(() => make()({ N: '1' }, ['plot'])).toThrow(TransformTypeError);
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

  it('never returns realistic inputs unchanged, nor lorem words themselves', () => {
    faker.seed(6);
    const fn = make();
    const inputs = [...Array.from({ length: 100 }, () => faker.lorem.sentence()), ...Array.from({ length: 100 }, () => faker.company.catchPhrase())];
    for (const input of inputs) {
      const out = s(fn, input);
      expect(out).not.toBe(input);
      expect(words(out)).toBe(words(input));
    }
    for (const word of [...LOREM_WORDS].slice(0, 200)) expect(s(fn, word)).not.toBe(word);
    // No words: nothing to replace.
    expect(s(fn, '   ')).toBe('   ');
  });

  it('is deterministic per salt, and differs across salts', () => {
    const inputs = Array.from({ length: 30 }, (_, i) => `Review number ${i} of the film.`);
    const run = (salt: string) => inputs.map((input) => s(make(salt), input));
    expect(run('salt-1')).toEqual(run('salt-1'));
    expect(run('salt-2')).not.toEqual(run('salt-1'));
  });

  it('keeps a set the same size, without duplicates', () => {
    const input = Array.from({ length: 60 }, (_, i) => `tag${i}`);
    const out = (make()({ SS: input }, ['tags']) as { SS: string[] }).SS;
    expect(out).toHaveLength(60);
    expect(new Set(out).size).toBe(60);
  });

  it('keeps an empty S empty, and takes no options', () => {
    expect(make()({ S: '' }, ['a'])).toEqual({ S: '' });
    expect(() => lorem.options.parse({ words: 3 })).toThrow();
  });
});
