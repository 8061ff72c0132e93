import { describe, expect, it } from 'vitest';
import { itemTypeOf, keyPrefix } from './item-types.ts';

describe('key prefixes', () => {
  it.each([
    ['USER#42', { prefix: 'USER#', whole: false }],
    ['ORDER#2026-01-05#7', { prefix: 'ORDER#', whole: false }],
    ['TENANT|acme', { prefix: 'TENANT|', whole: false }],
    ['USER_PROFILE:9', { prefix: 'USER_PROFILE:', whole: false }],
    ['PROFILE', { prefix: 'PROFILE', whole: true }],
    ['V2#x', { prefix: 'V2#', whole: false }],
  ])('%s has the prefix %j', (value, expected) => expect(keyPrefix('SK', value)).toEqual({ attribute: 'SK', ...expected }));

  it.each(['user#42', 'acme#USER#1', 'ada@example.com', '2026-01-05', 'TRON: Legacy', 'https://example.com', 'Rush', 'A', '#42', '42#USER'])(
    '%s has none',
    (value) => expect(keyPrefix('SK', value)).toBeUndefined(),
  );

  it('names an item by its sort-key prefix, else its partition key\'s', () => {
    const keys = { partitionKey: 'PK', sortKey: 'SK' };
    expect(itemTypeOf({ PK: { S: 'USER#1' }, SK: { S: 'ORDER#2026' } }, keys).name).toBe('ORDER');
    expect(itemTypeOf({ PK: { S: 'USER#1' }, SK: { S: '2026-01-05' } }, keys).name).toBe('USER');
    expect(itemTypeOf({ PK: { S: 'ada' }, SK: { S: 'x' } }, keys)).toEqual({ name: '' });
    expect(itemTypeOf({ PK: { N: '7' } }, { partitionKey: 'PK' })).toEqual({ name: '' });
  });
});
