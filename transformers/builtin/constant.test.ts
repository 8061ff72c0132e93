import { describe, expect, it } from 'vitest';
import { constant } from './constant.ts';
import { builtinRegistry } from './index.ts';

const make = (value: unknown) => builtinRegistry.instantiate({ type: 'constant', options: { value } }, { salt: 's' });

describe('constant', () => {
  it('accepts any type', () => {
    expect(constant.accepts).toBe('any');
    expect(make('x')({ N: '1' }, ['a'])).toEqual({ S: 'x' });
    expect(make('x')({ SS: ['a'] }, ['a'])).toEqual({ S: 'x' });
  });

  it('picks the DynamoDB type from the JSON type of `value`', () => {
    expect(make('redacted')({ S: 'x' }, ['a'])).toEqual({ S: 'redacted' });
    expect(make('')({ S: 'x' }, ['a'])).toEqual({ S: '' });
    expect(make(42)({ S: 'x' }, ['a'])).toEqual({ N: '42' });
    expect(make(-0.5)({ S: 'x' }, ['a'])).toEqual({ N: '-0.5' });
    expect(make(true)({ S: 'x' }, ['a'])).toEqual({ BOOL: true });
    expect(make(false)({ S: 'x' }, ['a'])).toEqual({ BOOL: false });
    expect(make(null)({ S: 'x' }, ['a'])).toEqual({ NULL: true });
  });

  it('returns a fresh object per value', () => {
    const fn = make('x');
    expect(fn({ S: 'a' }, ['a'])).not.toBe(fn({ S: 'b' }, ['a']));
  });

  it('rejects a missing, non-scalar or non-finite value and unknown options', () => {
    const bad = (options: Record<string, unknown>) => () => builtinRegistry.instantiate({ type: 'constant', options }, { salt: 's' });
    expect(bad({})).toThrow();
    expect(bad({ value: { a: 1 } })).toThrow();
    expect(bad({ value: [1] })).toThrow();
    expect(bad({ value: Number.POSITIVE_INFINITY })).toThrow();
    expect(bad({ value: Number.NaN })).toThrow();
    expect(bad({ value: 1, type: 'N' })).toThrow();
  });
});
