import { describe, expect, it } from 'vitest';
import { SecretCache } from './secret-cache.ts';

describe('the secret cache', () => {
  it('keeps a value for the TTL from when it arrived, then loads again', async () => {
    let now = 0;
    let loads = 0;
    const cache = new SecretCache({ ttlMs: 1_000, now: () => now });
    const load = async () => `v${++loads}`;
    expect(await cache.get('k', load)).toBe('v1');
    now = 999;
    expect(await cache.get('k', load)).toBe('v1');
    now = 1_000;
    expect(await cache.get('k', load)).toBe('v2');
    expect(await cache.get('other', load)).toBe('v3');
  });

  it('shares one load between concurrent lookups', async () => {
    let loads = 0;
    const cache = new SecretCache({ ttlMs: 1_000 });
    let release!: (value: string) => void;
    const load = () => {
      loads++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get('k', load), cache.get('k', load)]);
    release('v');
    expect(await both).toEqual(['v', 'v']);
    expect(loads).toBe(1);
  });

  it('does not keep a failure', async () => {
    const cache = new SecretCache({ ttlMs: 1_000 });
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'v')).toBe('v');
  });

  it('loads every time with a TTL of 0, and after clear()', async () => {
    let loads = 0;
    const load = async () => `v${++loads}`;
    const uncached = new SecretCache({ ttlMs: 0 });
    await uncached.get('k', load);
    expect(await uncached.get('k', load)).toBe('v2');
    const cache = new SecretCache({ ttlMs: 60_000 });
    expect(await cache.get('k', load)).toBe('v3');
    cache.clear();
    expect(await cache.get('k', load)).toBe('v4');
  });
});
