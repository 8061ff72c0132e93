/**
 * Which of a page of source keys a references plan selects, for `mode:
 * replace`: the items by key (BatchGetItem), kept when their attribute
 * holds what a key of the referenced selection renders to. The referenced
 * selection is read whole, by its own plan (down its chain), into a set in
 * the caller's memory, as a references Scan holds it (reference-reader.ts):
 * data that never leaves the activity, read again by every call.
 *
 * With `limit`, whether an item is selected depends on the others of its
 * key (the newest few), which no item says by itself: the loader refuses
 * replace there.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { getItems } from './batch-getter.ts';
import { referringValueId, selectedValues } from './reference-reader.ts';
import { readTablePage } from './table-reader.ts';
import type { ReferencesPlan } from './where/read-plan.ts';

/** The ids (referringValueId) of what the attribute holds for every selected key of the referenced table. */
export async function referencedSelection(client: DynamoDBClient, plan: ReferencesPlan, abortSignal?: AbortSignal): Promise<Set<string>> {
  return selectedValues(plan, { segment: 0, ...(abortSignal ? { abortSignal } : {}), ...(plan.parent.kind === 'references' ? { cache: {} } : {}) }, (parent, options) => readTablePage(client, parent, options));
}

/** One flag per key, in order: true when the source item exists and refers to a selected key. */
export async function keysReferencing(client: DynamoDBClient, plan: ReferencesPlan, keyAttributes: readonly string[], keys: readonly Item[], selected: ReadonlySet<string>, options: { concurrency?: number } = {}): Promise<boolean[]> {
  const items = await getItems(client, plan.table, keyAttributes, keys, { consistentRead: plan.consistentRead, ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}) });
  return items.map((item) => {
    const value = item?.[plan.attribute];
    return value !== undefined && selected.has(referringValueId(value));
  });
}
