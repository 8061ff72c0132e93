import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import type { TransformerRef } from '../../model/job.ts';
import { DigestSet, itemTag, SHARED_ITEM } from './digest-set.ts';
import { ItemChecker } from './item-check.ts';
import { PathRules } from './path-rules.ts';
import { containsBounded, wordRuns } from './text-search.ts';

const S = (value: string) => ({ S: value });
const N = (value: string) => ({ N: value });
const ref = (type: string): TransformerRef => ({ type, options: {} });

const MAPPINGS: Record<string, TransformerRef> = {
  email: ref('email'),
  'contacts[*].phone': ref('phone'),
  notes: ref('passthrough'),
  state: ref('state'),
  profile: ref('passthrough'),
  'profile.name': ref('fullName'),
};
const DEFAULTS = { S: ref('characterScramble') };

function checker(crossItemValues = 1000): ItemChecker {
  return new ItemChecker(new PathRules(MAPPINGS, DEFAULTS, ['pk']), ['pk'], { minLength: 4, crossItemValues });
}

const source: Item = {
  pk: S('USER#1'),
  email: S('ada@example.com'),
  contacts: { L: [{ M: { phone: S('+44 20 7946 0958') } }] },
  notes: S('likes tea'),
  state: S('CA'),
  profile: { M: { name: S('Ada Lovelace'), since: N('2019') } },
  visits: N('12'),
};

const clean: Item = {
  pk: S('USER#1'),
  email: S('kq7@example.net'),
  contacts: { L: [{ M: { phone: S('+44 20 7946 1234') } }] },
  notes: S('likes tea'),
  state: S('NY'),
  profile: { M: { name: S('Grace Hopper'), since: N('2019') } },
  visits: N('12'),
};

const rows = (check: ItemChecker) => Object.fromEntries([...check.rows.values()].map((row) => [row.label, [row.kind, row.values, row.short, row.survivors, row.changed]]));

describe('one item against the item it became', () => {
  it('counts values per mapping, short ones apart, and finds nothing in a clean copy but the unnamed number', () => {
    const check = checker();
    check.check(source, clean, 'k1');
    expect(rows(check)).toEqual({
      pk: ['kept', 1, 0, 0, 0],
      email: ['transformed', 1, 0, 0, 0],
      'contacts[*].phone': ['transformed', 1, 0, 0, 0],
      notes: ['kept', 1, 0, 0, 0],
      state: ['transformed', 0, 1, 0, 0],
      'profile.name': ['transformed', 1, 0, 0, 0],
      // Inherited from the passthrough on profile.
      profile: ['kept', 1, 0, 0, 0],
      // No mapping, no default for N: copied without the job saying so.
      visits: ['unnamed', 1, 0, 1, 0],
    });
    expect(check.findings).toEqual([{ path: 'visits', foundAt: 'visits', how: 'copied, named by no mapping', keyAttributes: ['pk'], count: 1 }]);
  });

  it('finds a value at its own path, at another, in a key and inside text, naming paths only', () => {
    const check = checker();
    check.check(source, { ...clean, email: S('ada@example.com'), backup: S('ada@example.com'), pk: S('USER#ada@example.com'), notes: S('write to ada@example.com.'), visits: N('13') }, 'k1');
    expect(check.findings.map(({ path, foundAt, how }) => [path, foundAt, how])).toEqual([
      // The key differs from the source's, so the kept key is reported as changed.
      ['pk', 'pk', 'differs'],
      ['email', 'email', 'same path'],
      ['email', 'backup', 'other path'],
      ['email', 'pk', 'inside key'],
      ['email', 'notes', 'inside text'],
      ['notes', 'notes', 'differs'],
    ]);
    expect(JSON.stringify(check.findings)).not.toContain('ada@');
  });

  it('shows nested keys the job does not name as *', () => {
    const check = checker();
    check.check(source, { ...clean, extra: { M: { 'ada@example.com': S('Ada Lovelace') } } }, 'k1');
    expect(check.findings.filter((finding) => finding.path !== 'visits').map(({ path, foundAt, how }) => [path, foundAt, how])).toEqual([['profile.name', 'extra.*', 'other path']]);
  });

  it('counts a missing destination item', () => {
    const check = checker();
    check.check(source, undefined, 'k1');
    expect(check.missing).toBe(1);
    expect(check.findings).toEqual([{ path: '(item)', foundAt: '(item)', how: 'missing', keyAttributes: ['pk'], count: 1 }]);
  });
});

describe('across items', () => {
  it('finds a value of one item in the kept values of another, whole or among its words', () => {
    const check = checker();
    check.check(source, clean, 'k1');
    check.check({ ...source, pk: S('USER#2'), email: S('grace@example.com') }, { ...clean, pk: S('USER#2') }, 'k2');
    check.checkAcrossItems({ ...clean, notes: S('met Ada Lovelace, then wrote to (ada@example.com)') }, 'k3');
    const across = check.findings.filter((finding) => finding.how === 'in another item').map(({ path, foundAt, count }) => [path, foundAt, count]);
    expect(across.sort()).toEqual([
      ['email', 'notes', 1],
      ['profile.name', 'notes', 1],
    ]);
  });

  it('ignores the item itself and transformed values of others', () => {
    const check = checker();
    check.check(source, clean, 'k1');
    // Its own value in its own notes was the first pass's to find; a transformed path holding another item's value is a chance fake.
    check.checkAcrossItems({ ...clean, notes: S('ada@example.com') }, 'k1');
    check.checkAcrossItems({ ...clean, email: S('ada@example.com') }, 'k2');
    expect(check.findings.filter((finding) => finding.how === 'in another item')).toEqual([]);
  });

  it('can be turned off', () => {
    const check = checker(0);
    check.check(source, clean, 'k1');
    check.checkAcrossItems({ ...clean, notes: S('ada@example.com') }, 'k2');
    expect(check.crossItem).toBeUndefined();
    expect(check.findings.filter((finding) => finding.how === 'in another item')).toEqual([]);
  });
});

describe('the digest set', () => {
  it('answers what was added, with its item and mapping, through growth', () => {
    const set = new DigestSet(100_000);
    for (let i = 0; i < 5000; i++) set.add(`S:value ${i}`, i, i % 7);
    expect(set.size).toBe(5000);
    expect(set.get('S:value 4321')).toEqual({ item: 4321, label: 4321 % 7 });
    expect(set.get('S:value 5000')).toBeUndefined();
    // Slots of 14 bytes, 35% to 70% full, beside the 2 MiB prefilter.
    expect(set.bytes - 2 ** 21).toBeGreaterThanOrEqual(5000 * 20);
    expect(set.bytes - 2 ** 21).toBeLessThanOrEqual(5000 * 40);
  });

  it('marks a value two items hold, and stops at its capacity', () => {
    const set = new DigestSet(2);
    set.add('S:a', 1, 0);
    set.add('S:a', 2, 0);
    set.add('S:b', 1, 0);
    set.add('S:c', 1, 0);
    expect(set.get('S:a')!.item).toBe(SHARED_ITEM);
    expect(set.get('S:c')).toBeUndefined();
    expect(set.full).toBe(true);
    expect(itemTag('x')).not.toBe(SHARED_ITEM);
  });
});

describe('text search', () => {
  it('finds a value inside text only where it does not run on into a word', () => {
    expect(containsBounded('call John.', 'John')).toBe(true);
    expect(containsBounded('John-Paul', 'John')).toBe(true);
    expect(containsBounded('Johnson', 'John')).toBe(false);
    expect(containsBounded('xJohn Johnson John', 'John')).toBe(true);
    expect(containsBounded('tel:+44 20 7946 0958;', '+44 20 7946 0958')).toBe(true);
    expect(containsBounded('id 41111111111111112', '4111111111111111')).toBe(false);
  });

  it('yields the runs of words a source value could be, punctuation trimmed', () => {
    const runs: string[] = [];
    wordRuns('met Ada Lovelace, (ada@example.com).', { words: (n) => n <= 2, length: (n) => n >= 4, maxWords: 2 }, (run) => runs.push(run));
    expect(runs).toEqual(['met Ada', 'Ada Lovelace,', 'Ada Lovelace', 'Lovelace,', 'Lovelace', 'Lovelace, (ada@example.com).', 'Lovelace, (ada@example.com', '(ada@example.com).', 'ada@example.com']);
  });
});
