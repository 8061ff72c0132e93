import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { fullName } from './fullName.ts';
import { builtinRegistry } from './index.ts';

const make = (salt = 'salt-1') => builtinRegistry.instantiate({ type: 'fullName', options: {} }, { salt });
const NAME = /^\S+( \S+)+$/u;

describe('fullName', () => {
  it('accepts S and SS, and throws a TransformTypeError for other types', () => {
    expect(fullName.accepts).toEqual(['S', 'SS']);
    expect(fullName.produces).toBe('same');
    expect(() => make()({ BOOL: true }, ['people', 0, 'name'])).toThrow(TransformTypeError);
    expect(() => make()({ BOOL: true }, ['people', 0, 'name'])).toThrow('people[0].name: transformer "fullName" accepts S, SS; got BOOL');
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
    expect(() => builtinRegistry.instantiate({ type: 'fullName', options: { locale: 'de' } }, { salt: 's' })).toThrow();
  });

  it('replaces every element of a set, without duplicates', () => {
    const input = Array.from({ length: 50 }, (_, i) => `name ${i}`);
    const out = make()({ SS: input }, ['Names']) as { SS: string[] };
    expect(out.SS).toHaveLength(50);
    expect(new Set(out.SS).size).toBe(50);
    out.SS.forEach((element, i) => expect(element).not.toBe(input[i]));
  });

});
