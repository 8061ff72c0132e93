import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CursorSeal } from './sealed-cursor.ts';

describe('CursorSeal', () => {
  const cursor = { startKey: { year: { N: '2013' }, title: { S: 'Rush-canary' } } };

  it('round-trips a cursor and hides its values', () => {
    const seal = new CursorSeal('secret');
    const sealed = seal.seal(cursor);
    expect(seal.open(sealed)).toEqual(cursor);
    expect(sealed).not.toContain('Rush');
    expect(Buffer.from(sealed.slice(3), 'base64url').toString('latin1')).not.toContain('canary');
  });

  it('refuses a cursor sealed under another key, or tampered with', () => {
    const sealed = new CursorSeal('a').seal(cursor);
    expect(() => new CursorSeal('b').open(sealed)).toThrow(/sealed with another key.*DYNAMASK_CURSOR_KEY/);
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(() => new CursorSeal('a').open(flipped)).toThrow(/another key/);
    expect(() => new CursorSeal('a').open('eyJzdGFydEtleSI6e319')).toThrow(/not one dynamask sealed/);
  });

  it('makes one machine key and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dynamask-seal-'));
    const first = CursorSeal.fromEnvironment({ DYNAMASK_CACHE_DIR: dir });
    const second = CursorSeal.fromEnvironment({ DYNAMASK_CACHE_DIR: dir });
    expect(second.open(first.seal(cursor))).toEqual(cursor);
    expect(readFileSync(join(dir, 'cursor.key'))).toHaveLength(32);
    expect(CursorSeal.fromEnvironment({ DYNAMASK_CACHE_DIR: dir, DYNAMASK_CURSOR_KEY: 'k' }).open(new CursorSeal('k').seal(1))).toBe(1);
  });
});

describe('CursorSeal.runSalt', () => {
  it('gives every worker with the key the same salt for a run, another for another run or key', () => {
    const run = 'dynamask/users/2026-01-01T03:00:00.000Z';
    expect(new CursorSeal('k').runSalt(run)).toBe(new CursorSeal('k').runSalt(run));
    expect(new CursorSeal('k').runSalt(run)).not.toBe(new CursorSeal('k').runSalt(`${run}x`));
    expect(new CursorSeal('k').runSalt(run)).not.toBe(new CursorSeal('other').runSalt(run));
    // Neither the key nor the run ID can be read back from it.
    expect(new CursorSeal('k').runSalt(run)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
