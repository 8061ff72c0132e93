import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { createRegistry } from '../registry.ts';
import { username } from './username.ts';

const registry = createRegistry([username]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'username', options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['User']) as { S: string }).S;
const USERNAME = /^[\w.]+$/;

/** Usernames as a table would hold them, from a fixed seed. */
const realistic = (count: number) => {
  const source = new Faker({ locale: [en, base], seed: 7 });
  return Array.from({ length: count }, () => source.internet.username());
};

describe('username', () => {
  it('accepts S and SS, and throws a TransformTypeError for other types', () => {
    expect(username.accepts).toEqual(['S', 'SS']);
    expect(username.produces).toBe('same');
    expect(() => make()({ N: '12' }, ['users', 0, 'login'])).toThrow(TransformTypeError);
    expect(() => make()({ L: [] }, ['users', 0, 'login'])).toThrow('users[0].login: transformer "username" accepts S, SS; got L');
  });

  it('takes no options', () => {
    expect(() => make({ locale: 'de' })).toThrow();
  });

  it('gives the same fake for the same salt and input, across separately made instances', () => {
    const inputs = realistic(20);
    const one = make();
    const two = make();
    expect(inputs.map((input) => fakeS(two, input))).toEqual(inputs.map((input) => fakeS(one, input)));
    for (const output of inputs.map((input) => fakeS(one, input))) expect(output).toMatch(USERNAME);
  });

  it('gives different fakes for different salts', () => {
    const inputs = realistic(10);
    const one = inputs.map((input) => fakeS(make({}, 'salt-1'), input));
    const two = inputs.map((input) => fakeS(make({}, 'salt-2'), input));
    expect(one.filter((output, i) => output !== two[i]).length).toBeGreaterThanOrEqual(9);
  });

  it('never returns a realistic input unchanged, and spreads inputs over many fakes', () => {
    const fn = make();
    const inputs = realistic(200);
    const outputs = inputs.map((input) => fakeS(fn, input));
    outputs.forEach((output, i) => expect(output).not.toBe(inputs[i]));
    expect(new Set(outputs).size).toBeGreaterThan(190);
  });

  it('replaces every element of a large set, keeping its size and without duplicates', () => {
    const input = [...new Set(realistic(300))];
    const out = make()({ SS: input }, ['Aliases']) as { SS: string[] };
    expect(out.SS).toHaveLength(input.length);
    expect(new Set(out.SS).size).toBe(input.length);
    out.SS.forEach((element, i) => expect(element).not.toBe(input[i]));
  });

  it('keeps an empty string empty: nothing to anonymize', () => {
    expect(make()({ S: '' }, ['User'])).toEqual({ S: '' });
    const out = make()({ SS: ['', 'ada'] }, ['Aliases']) as { SS: string[] };
    expect(out.SS).toHaveLength(2);
    expect(out.SS[0]).toBe('');
    expect(out.SS[1]).not.toBe('ada');
    expect(out.SS[1]).toMatch(USERNAME);
  });
});
