/**
 * Which of a page of source keys a references or ring plan selects, for
 * `mode: replace`: the items by key (BatchGetItem), kept when the table's
 * own where holds for them (a union, a ring member's roots) or their
 * attribute holds what a key of the referenced selection renders to. The
 * referenced selection is read whole, by its own plan (down its chain, or
 * the walk round the ring), into the caller's memory, as a references
 * Scan holds it (reference-reader.ts, ring-reader.ts): data that never
 * leaves the activity, read again by every call.
 *
 * With `limit`, whether an item is selected depends on the others of its
 * key (the newest few), which no item says by itself: the loader refuses
 * replace there.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { getItems } from './batch-getter.ts';
import { selectedValues } from './reference-reader.ts';
import { keepsItem, ringReferred, ringSelection } from './ring-reader.ts';
import { readTablePage } from './table-reader.ts';
import type { ReferencesPlan, RingPlan } from './where/read-plan.ts';

export type SelectionTest = (item: Item) => boolean;

/** Whether the plan selects a source item: built once a call, holding the referenced selection. */
export async function selectionTest(client: DynamoDBClient, plan: ReferencesPlan | RingPlan, abortSignal?: AbortSignal): Promise<SelectionTest> {
  const readPage = (parent: Parameters<typeof readTablePage>[1], options: Parameters<typeof readTablePage>[2]) => readTablePage(client, parent, options);
  if (plan.kind === 'ring') {
    const walk = await ringSelection(client, plan, abortSignal ? { abortSignal } : {}, readPage);
    const first = plan.members[0]!;
    const keeps = keepsItem(first.where, first.attribute, ringReferred(plan, walk));
    return (item) => keeps(item) !== undefined;
  }
  const options = { segment: 0, ...(abortSignal ? { abortSignal } : {}), ...(plan.parent.kind !== 'scan' && plan.parent.kind !== 'query' && plan.parent.kind !== 'partiql' ? { cache: {} } : {}) };
  const keeps = keepsItem(plan.where, plan.attribute, await selectedValues(client, plan, options, readPage));
  return (item) => keeps(item) !== undefined;
}

/** One flag per key, in order: true when the source item exists and the plan selects it. */
export async function keysSelected(client: DynamoDBClient, plan: ReferencesPlan | RingPlan, keyAttributes: readonly string[], keys: readonly Item[], selects: SelectionTest, options: { concurrency?: number } = {}): Promise<boolean[]> {
  const items = await getItems(client, plan.table, keyAttributes, keys, { consistentRead: plan.consistentRead, ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}) });
  return items.map((item) => item !== undefined && selects(item));
}
