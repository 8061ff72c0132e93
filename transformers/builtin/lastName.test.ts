import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { SeededFaker, transformerScope } from '../seeded-faker.ts';
import { lastName } from './lastName.ts';
import { builtinRegistry } from './index.ts';

const make = (salt = 'salt-1') => builtinRegistry.instantiate({ type: 'lastName', options: {} }, { salt });
const NAME = /^[A-Z][\p{L}' -]*$/u;

describe('lastName', () => {
  it('accepts S and SS, and throws a TransformTypeError for other types', () => {
    expect(lastName.accepts).toEqual(['S', 'SS']);
    expect(lastName.produces).toBe('same');
    expect(() => make()({ BOOL: true }, ['people', 0, 'name'])).toThrow(TransformTypeError);
    expect(() => make()({ BOOL: true }, ['people', 0, 'name'])).toThrow('people[0].name: transformer "lastName" accepts S, SS; got BOOL');
  });

  it('replaces the value with a fake one, deterministically per salt', () => {
    const out = make()({ S: 'Ada Lovelace' }, ['Name']) as { S: string };
    expect(out.S).toMatch(NAME);
    expect(out.S).not.toBe('Ada Lovelace');
    expect(make()({ S: 'Ada Lovelace' }, ['Other'])).toEqual(out);
    const others = ['salt-2', 'salt-3', 'salt-4'].map((salt) => (make(salt)({ S: 'Ada Lovelace' }, ['Name']) as { S: string }).S);
    expect(others.some((other) => other !== out.S)).toBe(true);
  });

  it('spreads distinct inputs over many fakes', () => {
    const fn = make();
    const outs = new Set(Array.from({ length: 200 }, (_, i) => (fn({ S: `person ${i}` }, ['Name']) as { S: string }).S));
    expect(outs.size).toBeGreaterThan(100);
  });

  it('takes no options', () => {
    expect(() => builtinRegistry.instantiate({ type: 'lastName', options: { locale: 'de' } }, { salt: 's' })).toThrow();
  });

  it('replaces every element of a set, without duplicates', () => {
    const input = Array.from({ length: 50 }, (_, i) => `name ${i}`);
    const out = make()({ SS: input }, ['Names']) as { SS: string[] };
    expect(out.SS).toHaveLength(50);
    expect(new Set(out.SS).size).toBe(50);
    out.SS.forEach((element, i) => expect(element).not.toBe(input[i]));
  });

  it('never returns the input unchanged, even when the first fake equals it', () => {
    // Find a (salt, input) whose first derivation is the input itself.
    const scope = transformerScope('lastName', {});
    let found: { salt: string; input: string } | undefined;
    for (let s = 0; found === undefined && s < 200; s++) {
      const seeded = new SeededFaker(String(s), scope);
      const input = faker.definitions.person.last_name.generic!.find((name) => seeded.reseed(name).person.lastName() === name);
      if (input !== undefined) found = { salt: String(s), input };
    }
    expect(found).toBeDefined();
    const { salt, input } = found!;
    const out = make(salt)({ S: input }, ['Name']) as { S: string };
    expect(out.S).not.toBe(input);
    expect(out).toEqual(make(salt)({ S: input }, ['Name']));
  });
});
