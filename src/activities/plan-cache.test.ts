import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { PlanCache, type PlanCacheInput } from './plan-cache.ts';

const input = (salt: string): PlanCacheInput => ({
  table: {
    source: 'Users',
    destination: 'Users',
    sourceConnection: 'a',
    destinationConnection: 'b',
    consistentRead: false,
    onTypeMismatch: 'error',
    transformers: { Name: { type: 'fullName', options: {} } },
    mode: 'upsert',
    createTable: false,
    segments: 1,
  },
  defaults: {},
  keyAttributes: ['id'],
  sandbox: { memoryLimitMb: 64, timeoutMs: 100 },
  keysAreSensitive: true,
  salt,
});

describe('PlanCache', () => {
  it('reuses a plan while the salt is the same, and builds a new one when it was rotated', async () => {
    const cache = new PlanCache();
    try {
      const first = cache.get(input('salt-1'), builtinRegistry);
      expect(cache.get(input('salt-1'), builtinRegistry)).toBe(first);
      const rotated = cache.get(input('salt-2'), builtinRegistry);
      expect(rotated).not.toBe(first);
      const item = { id: { S: '1' }, Name: { S: 'Ada Lovelace' } };
      const [a] = await first.transformPage([item], { typeMismatches: 0 });
      const [b] = await rotated.transformPage([item], { typeMismatches: 0 });
      expect(a).not.toEqual(b);
    } finally {
      cache.clear();
    }
  });

  it('builds a plan per set of rule sets, and runs each item through its rule set', async () => {
    const cache = new PlanCache();
    try {
      const plain = cache.get(input('salt-1'), builtinRegistry);
      const rules = [{ name: 'kept', when: "begins_with(id, 'k')", transformers: { Name: { type: 'passthrough', options: {} } } }];
      const withRules = { ...input('salt-1'), table: { ...input('salt-1').table, rules } };
      const ruled = cache.get(withRules, builtinRegistry);
      expect(ruled).not.toBe(plain);
      expect(cache.get(withRules, builtinRegistry)).toBe(ruled);
      const [kept, other] = await ruled.transformPage([{ id: { S: 'k1' }, Name: { S: 'Ada Lovelace' } }, { id: { S: 'x1' }, Name: { S: 'Ada Lovelace' } }]);
      expect(kept!['Name']).toEqual({ S: 'Ada Lovelace' });
      expect(other!['Name']).not.toEqual({ S: 'Ada Lovelace' });
    } finally {
      cache.clear();
    }
  });

  it('keeps no salt in its keys', () => {
    expect(PlanCache.key(input('cnry-salt-in-key'))).not.toContain('cnry-salt-in-key');
  });
});
