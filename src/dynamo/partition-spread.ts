/**
 * The order a page's puts go out in, spread over partitions. A Scan segment
 * returns items in partition order (every item of one partition key, then
 * the next), so written in that order, consecutive BatchWriteItem requests
 * all land on one destination partition; on real DynamoDB one partition
 * takes 1,000 write units a second, and a fresh on-demand table throttles
 * long before its table-wide warm throughput. Taking one item of each
 * partition key in turn makes each request of 25 span up to 25 partitions.
 *
 * Items of one partition key keep their relative order, so of two items
 * with the same key the later one is still put last.
 *
 * What this cannot do: a page holds partition keys that are neighbours in
 * hash order, and DynamoDB gives a partition a contiguous range of that
 * order, so a page's keys often share a partition. What spreads the load
 * over the table's partitions is the segments, each a distinct range,
 * written at the same time; a segment's page spreads within its range.
 */
import type { Item } from '../../model/item.ts';
import { primaryKeyText } from '../../model/item-key.ts';

export function spreadOverPartitions(items: readonly Item[], hashKey: string): readonly Item[] {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = primaryKeyText(item, [hashKey]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  // One partition key, or a distinct one per item: the order is as spread as it gets.
  if (groups.size <= 1 || groups.size === items.length) return items;
  const queues = [...groups.values()];
  const out: Item[] = [];
  for (let round = 0; out.length < items.length; round++) {
    for (const queue of queues) if (round < queue.length) out.push(queue[round]!);
  }
  return out;
}
