import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from './index.ts';
import { passthrough } from './passthrough.ts';

describe('passthrough', () => {
  const fn = builtinRegistry.instantiate({ type: 'passthrough', options: {} }, { salt: 's' });

  it('accepts any type and returns the value as it is', () => {
    expect(passthrough.accepts).toBe('any');
    const values: AttributeValue[] = [
      { S: 'x' },
      { N: '8.30' },
      { B: new Uint8Array([1, 2]) },
      { BOOL: false },
      { NULL: true },
      { SS: ['a', 'b'] },
      { NS: ['1', '1.0'] },
      { BS: [new Uint8Array([3])] },
      { M: {} },
      { L: [] },
    ];
    for (const value of values) expect(fn(value, ['a'])).toBe(value);
  });

  it('takes no options', () => {
    expect(() => builtinRegistry.instantiate({ type: 'passthrough', options: { x: 1 } }, { salt: 's' })).toThrow();
  });
});
