import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { spreadOverPartitions } from './partition-spread.ts';

/** `partitions` keys with `perPartition` items each, in partition order as a Scan returns them. */
function scanOrder(partitions: number, perPartition: number): Item[] {
  return Array.from({ length: partitions * perPartition }, (_, i) => ({ pk: { S: `P${Math.floor(i / perPartition)}` }, sk: { N: String(i % perPartition) } }));
}
const pk = (item: Item) => item['pk']!.S!;

describe('spreadOverPartitions', () => {
  it('makes every run of 25 puts span 25 partitions when the page has that many', () => {
    const spread = spreadOverPartitions(scanOrder(40, 20), 'pk');
    for (let i = 0; i + 25 <= spread.length; i += 25) expect(new Set(spread.slice(i, i + 25).map(pk)).size).toBe(25);
  });

  it('keeps every item once, and the order of items of one partition key', () => {
    const items = scanOrder(7, 9);
    const spread = spreadOverPartitions(items, 'pk');
    expect([...spread].sort((a, b) => items.indexOf(a) - items.indexOf(b))).toEqual(items);
    for (let p = 0; p < 7; p++) expect(spread.filter((item) => pk(item) === `P${p}`)).toEqual(items.filter((item) => pk(item) === `P${p}`));
  });

  it('takes partitions unevenly filled in turn until the larger ones are all that is left', () => {
    const items: Item[] = [...scanOrder(1, 4), { pk: { S: 'Q' }, sk: { N: '0' } }];
    expect(spreadOverPartitions(items, 'pk').map((item) => `${pk(item)}${item['sk']!.N}`)).toEqual(['P00', 'Q0', 'P01', 'P02', 'P03']);
  });

  it('compares numeric partition keys by value, as DynamoDB does', () => {
    const items: Item[] = [{ id: { N: '1.50' }, n: { N: '0' } }, { id: { N: '1.5' }, n: { N: '1' } }, { id: { N: '2' }, n: { N: '2' } }];
    expect(spreadOverPartitions(items, 'id').map((item) => item['n']!.N)).toEqual(['0', '2', '1']);
  });
});
