import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { itemSize } from '../../model/item-size.ts';
import { grewMost, ItemRefusedError, MAX_ITEM_BYTES, writableItems, type ItemLimitOptions } from './item-limits.ts';

const options = (more: Partial<ItemLimitOptions> = {}): ItemLimitOptions => ({ keyAttributes: ['pk', 'sk'], knownNames: new Set(), oversize: 'error', ...more });
const item = (more: Item = {}): Item => ({ pk: { S: 'USER#1' }, sk: { N: '7' }, ...more });
const refusal = (run: () => unknown): ItemRefusedError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ItemRefusedError) return error;
    throw error;
  }
  throw new Error('no refusal');
};

/** An item of exactly `bytes` bytes as DynamoDB counts them. */
function sized(bytes: number): Item {
  const base = item({ body: { S: '' } });
  return item({ body: { S: 'x'.repeat(bytes - itemSize(base)) } });
}

describe('writableItems', () => {
  it('takes an item of exactly 400 KB and refuses one byte more, naming the path that grew and the key attributes, never a value', () => {
    expect(itemSize(sized(MAX_ITEM_BYTES))).toBe(MAX_ITEM_BYTES);
    expect(writableItems([item()], [sized(MAX_ITEM_BYTES)], options())).toMatchObject({ skipped: 0 });
    const error = refusal(() => writableItems([item(), item({ body: { S: 'short' } })], [item(), sized(MAX_ITEM_BYTES + 1)], options()));
    expect(error.path).toBe('body');
    expect(error.message).toBe(
      `a transformed item would be ${MAX_ITEM_BYTES + 1} bytes, over DynamoDB's 400 KB item limit (409600 bytes of attribute names and values); ` +
        `body grew most (+${MAX_ITEM_BYTES + 1 - itemSize(item({ body: { S: 'short' } }))} bytes); the table's key attributes: pk, sk; ` +
        'oversizeItems: skip would leave such items out and count them; nothing of the page was written',
    );
    expect(error.message).not.toContain('USER#1');
  });

  it('counts multi-byte characters as UTF-8 bytes, so a string short in characters can still be too large', () => {
    // 140,000 characters of 3 bytes each: 420,000 bytes.
    const error = refusal(() => writableItems([item()], [item({ note: { S: '€'.repeat(140_000) } })], options()));
    expect(error.path).toBe('note');
    expect(writableItems([item()], [item({ note: { S: 'a'.repeat(140_000) } })], options()).skipped).toBe(0);
  });

  it('with oversize: skip leaves oversize items out, keeps the order of the others, and counts them', () => {
    const big = sized(MAX_ITEM_BYTES + 10);
    const small = [item({ n: { N: '1' } }), item({ n: { N: '2' } }), item({ n: { N: '3' } })];
    const result = writableItems([{}, {}, {}, {}, {}], [small[0]!, big, small[1]!, big, small[2]!], options({ oversize: 'skip' }));
    expect(result).toEqual({ items: small, skipped: 2 });
  });

  it('refuses a key attribute that is missing, empty or too long whatever the oversize policy, naming it and the key attributes', () => {
    const cases: [Item, string][] = [
      [{ pk: { S: 'a' } }, 'the sort key sk of a transformed item is missing'],
      [{ pk: { S: '' }, sk: { N: '1' } }, 'the partition key pk of a transformed item came out empty, which DynamoDB refuses for a key'],
      [{ pk: { S: 'a' }, sk: { B: new Uint8Array() } }, 'the sort key sk of a transformed item came out empty, which DynamoDB refuses for a key'],
      [{ pk: { S: 'é'.repeat(1025) }, sk: { N: '1' } }, "the partition key pk of a transformed item is 2050 bytes, over DynamoDB's 2048-byte limit for a partition key"],
      [{ pk: { S: 'a' }, sk: { S: 'x'.repeat(1025) } }, "the sort key sk of a transformed item is 1025 bytes, over DynamoDB's 1024-byte limit for a sort key"],
    ];
    for (const [bad, why] of cases) {
      const error = refusal(() => writableItems([item()], [bad], options({ oversize: 'skip' })));
      expect(error.message).toBe(`${why} (the table's key attributes: pk, sk); nothing of the page was written`);
    }
    expect(writableItems([item()], [{ pk: { S: 'é'.repeat(1024) }, sk: { S: 'x'.repeat(1024) } }], options()).skipped).toBe(0);
  });

  it('refuses an index key attribute of the wrong type, empty or too long, and takes an item without it (not in that index)', () => {
    const indexKeys: ItemLimitOptions['indexKeys'] = [
      { name: 'gsi1pk', type: 'S', partition: true, roles: ['the hash key of index GSI1'] },
      { name: 'when', type: 'N', partition: false, roles: ['the range key of index GSI1', 'the range key of index byWhen'] },
    ];
    const cases: [Item, string][] = [
      [item({ gsi1pk: { S: '' } }), 'gsi1pk, the hash key of index GSI1, of a transformed item came out empty, which DynamoDB refuses for an index key (leave the attribute out to keep the item out of the index)'],
      [item({ gsi1pk: { N: '1' } }), 'gsi1pk, the hash key of index GSI1, of a transformed item came out N, where the table declares S for it, which DynamoDB refuses for an index key'],
      [item({ when: { NULL: true } }), 'when, the range key of index GSI1 and the range key of index byWhen, of a transformed item came out NULL, where the table declares N for it, which DynamoDB refuses for an index key'],
      [item({ gsi1pk: { S: 'x'.repeat(2049) } }), "gsi1pk, the hash key of index GSI1, of a transformed item is 2049 bytes, over DynamoDB's 2048-byte limit for a partition key"],
    ];
    for (const [bad, why] of cases) {
      const error = refusal(() => writableItems([item()], [bad], options({ indexKeys, oversize: 'skip' })));
      expect(error.message).toBe(`${why} (the table's key attributes: pk, sk); nothing of the page was written`);
      expect(error.path).toBe(Object.keys(bad).at(-1));
    }
    const fine = [item(), item({ gsi1pk: { S: 'EMAIL#x' }, when: { N: '1' } })];
    expect(writableItems([item(), item()], fine, options({ indexKeys }))).toEqual({ items: fine, skipped: 0 });
  });
});

describe('grewMost', () => {
  it('follows the map key or list element that holds most of the growth, and stops where the growth is spread', () => {
    const source: Item = { pk: { S: 'a' }, profile: { M: { bio: { S: 'hi' }, name: { S: 'Ann' } } }, tags: { L: [{ S: 'a' }, { S: 'b' }] } };
    const grown: Item = { ...source, profile: { M: { bio: { S: 'x'.repeat(1000) }, name: { S: 'Ann' } } } };
    expect(grewMost(source, grown)).toEqual({ path: ['profile', 'bio'], growth: 998 });
    const spread: Item = { ...source, tags: { L: [{ S: 'x'.repeat(500) }, { S: 'y'.repeat(500) }] } };
    expect(grewMost(source, spread)).toEqual({ path: ['tags'], growth: 998 });
    const added: Item = { ...source, extra: { S: 'x'.repeat(10) } };
    expect(grewMost(source, added)).toEqual({ path: ['extra'], growth: 15 });
  });

  it('masks in the message a map key the job does not name, since it may be data', () => {
    const source: Item = { pk: { S: 'a' }, sk: { N: '1' }, contacts: { M: { 'ann@example.com': { S: 'x' } } } };
    const grown: Item = { ...source, contacts: { M: { 'ann@example.com': { S: 'x'.repeat(MAX_ITEM_BYTES) } } } };
    const error = refusal(() => writableItems([source], [grown], options()));
    expect(error.path).toBe('contacts.*');
    expect(error.message).not.toContain('ann@example.com');
  });
});
