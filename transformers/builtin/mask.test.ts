import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../errors.ts';
import { createRegistry } from '../registry.ts';
import { mask } from './mask.ts';

const registry = createRegistry([mask]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'mask', options }, { salt });
const s = (options: Record<string, unknown>, input: string) => (make(options)({ S: input }, ['card']) as { S: string }).S;

describe('mask', () => {
  it('takes S and SS, and throws a TransformTypeError for other types', () => {
    expect(mask.accepts).toEqual(['S', 'SS']);
    expect(mask.produces).toBe('same');
    expect(() => make()({ N: '4111111111111111' }, ['card'])).toThrow(TransformTypeError);
    expect(() => make()({ N: '4111111111111111' }, ['card'])).toThrow('card: transformer "mask" accepts S, SS; got N');
  });

  it('keeps the last 4 characters by default', () => {
    expect(mask.options.parse({})).toEqual({ keepFirst: 0, keepLast: 4, char: '*', keepSeparators: false });
    expect(s({}, '4111-1111-1111-1234')).toBe('***************1234');
  });

  it('honours keepFirst, keepLast, char and keepSeparators', () => {
    expect(s({ keepFirst: 2, keepLast: 0 }, 'secret')).toBe('se****');
    expect(s({ keepFirst: 1, keepLast: 1, char: '#' }, 'secret')).toBe('s####t');
    expect(s({ char: '•' }, 'Geheimnis')).toBe('•••••mnis');
    expect(s({ keepSeparators: true }, '4111-1111-1111-1234')).toBe('****-****-****-1234');
    expect(s({ keepSeparators: true, keepFirst: 4 }, '4111 1111 1111 1234')).toBe('4111 **** **** 1234');
    expect(s({ keepSeparators: true, keepLast: 2 }, 'Ada-Marie Lovelace')).toBe('***-***** ******ce');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(s({ keepLast: 1 }, '😀😀😀x')).toBe('***x');
  });

  it('masks a value too short to keep first and last whole, so it never comes back as it was', () => {
    expect(s({}, '1234')).toBe('****');
    expect(s({}, 'abc')).toBe('***');
    expect(s({ keepFirst: 2, keepLast: 2 }, 'abcd')).toBe('****');
    expect(s({ keepFirst: 2, keepLast: 2 }, 'abcde')).toBe('ab*de');
    expect(s({ keepSeparators: true }, '12-34')).toBe('**-**');
  });

  it('never returns realistic inputs unchanged', () => {
    faker.seed(2);
    const inputs = [
      ...Array.from({ length: 70 }, () => faker.finance.creditCardNumber()),
      ...Array.from({ length: 70 }, () => faker.phone.number()),
      ...Array.from({ length: 60 }, () => faker.finance.accountNumber(faker.number.int({ min: 4, max: 12 }))),
    ];
    for (const options of [{}, { keepSeparators: true }, { keepFirst: 4, keepLast: 4 }]) {
      const fn = make(options);
      for (const input of inputs) expect((fn({ S: input }, ['card']) as { S: string }).S, input).not.toBe(input);
    }
  });

  it('does not depend on the salt', () => {
    expect(make({}, 'salt-1')({ S: 'abcdefgh' }, ['a'])).toEqual(make({}, 'salt-2')({ S: 'abcdefgh' }, ['a']));
  });

  it('masks every element of a set; elements that mask alike merge', () => {
    expect(make()({ SS: ['secret-1', 'secret-2'] }, ['a'])).toEqual({ SS: ['****et-1', '****et-2'] });
    expect(make()({ SS: ['aaaa-1234', 'bbbb-1234', 'cccc-9999'] }, ['a'])).toEqual({ SS: ['*****1234', '*****9999'] });
  });

  it('keeps an empty S empty, and validates its options', () => {
    expect(make()({ S: '' }, ['a'])).toEqual({ S: '' });
    expect(() => mask.options.parse({ char: '' })).toThrow('must be a single character');
    expect(() => mask.options.parse({ char: '**' })).toThrow('must be a single character');
    expect(mask.options.parse({ char: '😀' }).char).toBe('😀');
    expect(() => mask.options.parse({ keepLast: -1 })).toThrow();
    expect(() => mask.options.parse({ keepFirst: 1.5 })).toThrow();
    expect(() => mask.options.parse({ keep: 4 })).toThrow();
  });
});
