import { describe, expect, it } from 'vitest';
import { primaryKeyText } from './item-key.ts';

describe('primaryKeyText', () => {
  const key = (item: Parameters<typeof primaryKeyText>[0]) => primaryKeyText(item, ['pk', 'sk']);

  it('is equal exactly when DynamoDB would take two items for one: numbers by value, strings and binaries by content', () => {
    expect(key({ pk: { N: '1.50' }, sk: { S: 'a' } })).toBe(key({ pk: { N: '1.5' }, sk: { S: 'a' } }));
    expect(key({ pk: { N: '1e2' }, sk: { S: 'a' } })).toBe(key({ pk: { N: '100' }, sk: { S: 'a' } }));
    expect(key({ pk: { N: '100' }, sk: { S: 'a' } })).not.toBe(key({ pk: { N: '10' }, sk: { S: 'a' } }));
    expect(key({ pk: { B: new Uint8Array([1, 2]) }, sk: { S: 'a' } })).toBe(key({ pk: { B: new Uint8Array([1, 2]) }, sk: { S: 'a' } }));
    expect(key({ pk: { S: '12' }, sk: { S: 'a' } })).not.toBe(key({ pk: { N: '12' }, sk: { S: 'a' } }));
  });

  it('cannot be fooled by a string that spells the next key', () => {
    expect(key({ pk: { S: 'a' }, sk: { S: 'b' } })).not.toBe(key({ pk: { S: 'a2:Sb' }, sk: { S: '' } }));
    expect(key({ pk: { S: 'ab' }, sk: { S: 'c' } })).not.toBe(key({ pk: { S: 'a' }, sk: { S: 'bc' } }));
  });
});
