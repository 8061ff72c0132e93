import { describe, expect, it } from 'vitest';
import { DROP } from '../definition.ts';
import { drop } from './drop.ts';
import { builtinRegistry } from './index.ts';

describe('drop', () => {
  const fn = builtinRegistry.instantiate({ type: 'drop', options: {} }, { salt: 's' });

  it('drops a value of any type', () => {
    expect(drop.accepts).toBe('any');
    expect(drop.produces).toBe('none');
    for (const value of [{ S: 'x' }, { N: '1' }, { SS: ['a'] }, { L: [] }]) expect(fn(value, ['a'])).toBe(DROP);
  });

  it('takes no options', () => {
    expect(() => builtinRegistry.instantiate({ type: 'drop', options: { x: 1 } }, { salt: 's' })).toThrow();
  });
});
