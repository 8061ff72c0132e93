import { describe, expect, it } from 'vitest';
import { builtinRegistry } from './index.ts';
import { nullTransformer } from './null.ts';

describe('null', () => {
  const fn = builtinRegistry.instantiate({ type: 'null', options: {} }, { salt: 's' });

  it('replaces a value of any type with NULL', () => {
    expect(nullTransformer.accepts).toBe('any');
    expect(nullTransformer.produces).toBe('NULL');
    for (const value of [{ S: 'x' }, { N: '1' }, { SS: ['a'] }, { BOOL: true }, { NULL: true as const }]) {
      expect(fn(value, ['a'])).toEqual({ NULL: true });
    }
  });

  it('takes no options', () => {
    expect(() => builtinRegistry.instantiate({ type: 'null', options: { keep: true } }, { salt: 's' })).toThrow();
  });
});
