import { describe, expect, it } from 'vitest';
import { setOwn, type Item } from './item.ts';

describe('setOwn', () => {
  it('makes every name an own, enumerable, writable attribute, prototype names included', () => {
    const item: Item = {};
    const names = ['title', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    names.forEach((name, i) => setOwn(item, name, { N: String(i) }));
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item)).toEqual(names);
    for (const [i, name] of names.entries()) {
      expect(Object.getOwnPropertyDescriptor(item, name)).toEqual({ value: { N: String(i) }, enumerable: true, writable: true, configurable: true });
    }
    setOwn(item, '__proto__', { S: 'again' });
    expect(item['__proto__']).toEqual({ S: 'again' });
    expect(JSON.parse(JSON.stringify(item)).constructor).toEqual({ N: '2' });
  });
});
