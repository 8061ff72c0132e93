/**
 * Reads a references plan (where/read-plan.ts): the items of this table
 * whose attribute holds a partition key the referenced table's selection
 * holds, or with a template the key rendered into it (reference-values.ts).
 *
 * - With a GSI on the attribute: the selection page by page, and a Query of
 *   the index per distinct value among it (collection-reader.ts), at most
 *   `limit` items each, newest first. Reads about what it copies.
 * - Without one: a parallel Scan of this table that keeps the items whose
 *   value is a selected one. The selected values are read whole, every
 *   segment of the selection, into a set in this call's memory (data: it
 *   never leaves the activity), once per call; the Scan reads and pays for
 *   the whole table, and the items it leaves out are where dangling
 *   references are found (dangling-references.ts).
 * - With a where of the table's own beside the reference (a union): always
 *   the Scan, which also keeps the items the where holds for (ring-reader.ts,
 *   keepsItem), each once.
 * - Whatever the parent: a ring parent (a table on a cycle of references)
 *   gives its keys straight from the walk round the ring.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { readCollectionPage } from './collection-reader.ts';
import { countDangling } from './dangling-references.ts';
import { referringValue, referringValueId } from './reference-values.ts';
import { readPlanSegments, type ReferencesPlan } from './where/read-plan.ts';
import { keepsItem, ringKeys, ringSelection, splitPage, type ReadPage } from './ring-reader.ts';
import { referringIds } from './ring-walk.ts';
import type { RootPageCache } from './collection-reader.ts';
import type { ReadCursor, ReadPageOptions, ReadTablePage } from './table-reader.ts';

export async function readReferencePage(client: DynamoDBClient, plan: ReferencesPlan, options: ReadPageOptions, readPage: ReadPage): Promise<ReadTablePage> {
  const { via } = plan;
  const { cache: _cache, cursor: _cursor, ...readOptions } = options;
  const cache = options.cache ?? {};
  // A parent that follows references in turn keeps its own root page and selected keys, a level down.
  const rest = plan.parent.kind === 'references' || plan.parent.kind === 'ring' ? { ...readOptions, cache: (cache.parent ??= {}) } : readOptions;
  if (via.kind === 'index') {
    const follow = { table: plan.table, index: via.index, attribute: plan.attribute, rootKey: plan.parentKey, consistentRead: plan.consistentRead, ...(via.limit !== undefined ? { limit: via.limit } : {}) };
    // The collection reader queries the roots' values of rootKey: here, what the attribute holds for each selected key.
    const referring = async (cursor: ReadCursor | undefined) => {
      const page = await readPage(plan.parent, { ...rest, ...(cursor !== undefined ? { cursor } : {}) });
      return plan.template === undefined ? page : { ...page, items: referringItems(plan, page.items) };
    };
    return readCollectionPage(client, follow, { ...options, cache }, referring);
  }
  cache.selected ??= await selectedValues(client, plan, rest, readPage);
  const selected = cache.selected;
  const keeps = keepsItem(plan.where, plan.attribute, selected);
  const scan = { kind: 'scan' as const, table: plan.table, consistentRead: plan.consistentRead, segments: via.segments };
  const page = await readPage(scan, { ...readOptions, ...(options.cursor !== undefined ? { cursor: options.cursor } : {}) });
  const { items, others, roots } = splitPage(page.items, keeps, plan.attribute);
  const dangling = plan.dangling === undefined ? undefined : await countDangling(client, plan, others, (cache.known ??= new Map()), options.abortSignal);
  // Every segment holds the whole selection: it is counted once, on the first page of the first segment. With a where of its own, the roots are the items it picked instead.
  const keys = plan.where === undefined && options.segment === 0 && options.cursor === undefined ? selected.size : 0;
  return { items, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}), selection: { roots, collections: 0, keys, ...(dangling !== undefined ? { dangling } : {}) } };
}

function referringItems(plan: ReferencesPlan, items: readonly Item[]): Item[] {
  return items.flatMap((item) => {
    const key = item[plan.parentKey];
    const value = key === undefined ? undefined : referringValue(plan, key);
    return value === undefined ? [] : [{ [plan.parentKey]: value }];
  });
}

export async function selectedValues(client: DynamoDBClient, plan: ReferencesPlan, options: Omit<ReadPageOptions, 'cursor'> & { cache?: RootPageCache }, readPage: ReadPage): Promise<Set<string>> {
  if (plan.parent.kind === 'ring') {
    // The walk has the referenced member's keys already: no Scan of it to read them back.
    const cache = options.cache ?? {};
    const walk = { ...(options.limit !== undefined ? { limit: options.limit } : {}), ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) };
    cache.ring ??= await ringSelection(client, plan.parent, walk, readPage);
    return referringIds(plan, ringKeys(cache.ring));
  }
  const values = new Set<string>();
  for (let segment = 0; segment < readPlanSegments(plan.parent); segment++) {
    let cursor: ReadCursor | undefined;
    do {
      const page = await readPage(plan.parent, { ...options, segment, ...(cursor !== undefined ? { cursor } : {}) });
      for (const item of page.items) {
        const key = item[plan.parentKey];
        const value = key === undefined ? undefined : referringValue(plan, key);
        if (value !== undefined) values.add(referringValueId(value));
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  return values;
}


export { referringValueId } from './reference-values.ts';
