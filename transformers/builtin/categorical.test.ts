import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { numberKey } from '../../model/decimal.ts';
import { TransformTypeError } from '../errors.ts';
import { createRegistry } from '../registry.ts';
import { categorical } from './categorical.ts';

const registry = createRegistry([categorical]);
const make = (values: unknown[], salt = 'salt-1') => registry.instantiate({ type: 'categorical', options: { values } }, { salt });
const COLOURS = ['red', 'green', 'blue', 'yellow'];

describe('categorical', () => {
  it('replaces S with one of the string values and N with one of the numbers', () => {
    expect(categorical.accepts).toEqual(['S', 'SS', 'N', 'NS']);
    expect(categorical.produces).toBe('same');
    const fn = make(['red', 'green', 1, 2.5, 1e21]);
    for (let i = 0; i < 50; i++) {
      expect(['red', 'green']).toContain((fn({ S: `colour ${i}` }, ['a']) as { S: string }).S);
      expect(['1', '2.5', '1000000000000000000000']).toContain((fn({ N: String(i) }, ['a']) as { N: string }).N);
    }
  });

  it('picks every value over many inputs', () => {
    const fn = make(COLOURS);
    const outs = new Set(Array.from({ length: 200 }, (_, i) => (fn({ S: `item ${i}` }, ['a']) as { S: string }).S));
    expect(outs).toEqual(new Set(COLOURS));
  });

  it('throws a TransformTypeError when the values hold nothing for the input type, or for other types', () => {
    expect(() => make(['red'])({ N: '1' }, ['info', 'rating'])).toThrow(TransformTypeError);
    expect(() => make(['red'])({ N: '1' }, ['info', 'rating'])).toThrow('info.rating: transformer "categorical" accepts S, SS; got N');
    expect(() => make([1, 2])({ SS: ['a'] }, ['tags'])).toThrow('tags: transformer "categorical" accepts N, NS; got SS');
    expect(() => make(['red', 1])({ BOOL: true }, ['a'])).toThrow('a: transformer "categorical" accepts S, SS, N, NS; got BOOL');
  });

  it('never returns the input while another value exists', () => {
    faker.seed(8);
    const fn = make(COLOURS);
    for (let i = 0; i < 200; i++) {
      const input = faker.helpers.arrayElement(COLOURS);
      expect((make(COLOURS, `salt-${i}`)({ S: input }, ['a']) as { S: string }).S).not.toBe(input);
      expect((fn({ S: input }, ['a']) as { S: string }).S).not.toBe(input);
    }
    for (let i = 0; i < 50; i++) expect(make(['a', 'b'], `salt-${i}`)({ S: 'a' }, ['x'])).toEqual({ S: 'b' });
    // Numbers compare by value: 2.50 is the value 2.5.
    for (let i = 0; i < 50; i++) expect(make([2.5, 3], `salt-${i}`)({ N: '2.50' }, ['x'])).toEqual({ N: '3' });
    // One value: nothing else to give.
    expect(make(['only'])({ S: 'only' }, ['x'])).toEqual({ S: 'only' });
  });

  it('is deterministic per salt and values, and differs across salts', () => {
    const inputs = Array.from({ length: 40 }, (_, i) => `customer ${i}`);
    const run = (salt: string, values = COLOURS) => inputs.map((input) => (make(values, salt)({ S: input }, ['a']) as { S: string }).S);
    expect(run('salt-1')).toEqual(run('salt-1'));
    expect(run('salt-2')).not.toEqual(run('salt-1'));
    expect(run('salt-1', [...COLOURS, 'purple'])).not.toEqual(run('salt-1'));
  });

  it('keeps a set the same size while the values allow, then merges', () => {
    for (let i = 0; i < 30; i++) {
      const out = (make(COLOURS, `salt-${i}`)({ SS: ['a', 'b', 'c', 'd'] }, ['tags']) as { SS: string[] }).SS;
      expect([...out].sort()).toEqual([...COLOURS].sort());
      const numbers = (make([1, 2, 3, 4, 5], `salt-${i}`)({ NS: ['1', '2', '3'] }, ['n']) as { NS: string[] }).NS;
      expect(new Set(numbers.map(numberKey)).size).toBe(3);
      numbers.forEach((n, j) => expect(n).not.toBe(['1', '2', '3'][j]));
    }
    expect((make(['x', 'y'])({ SS: ['a', 'b', 'c'] }, ['tags']) as { SS: string[] }).SS.sort()).toEqual(['x', 'y']);
  });

  it('keeps an empty S empty, and validates its values', () => {
    expect(make(COLOURS)({ S: '' }, ['a'])).toEqual({ S: '' });
    expect(() => categorical.options.parse({ values: [] })).toThrow();
    expect(() => categorical.options.parse({})).toThrow();
    expect(() => categorical.options.parse({ values: ['a', 'a'] })).toThrow('values must be distinct');
    expect(() => categorical.options.parse({ values: [true] })).toThrow();
    expect(categorical.options.parse({ values: ['1', 1] })).toEqual({ values: ['1', 1] });
  });
});
