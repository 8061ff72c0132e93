/**
 * Reads a references plan (where/read-plan.ts): the items of this table
 * whose attribute holds a partition key the referenced table's selection
 * holds.
 *
 * - With a GSI on the attribute: the selection page by page, and a Query of
 *   the index per distinct key among it (collection-reader.ts), at most
 *   `limit` items each, newest first. Reads about what it copies.
 * - Without one: a parallel Scan of this table that keeps the items whose
 *   value is a selected key. The selected keys are read whole, every
 *   segment of the selection, into a set in this call's memory (data: it
 *   never leaves the activity), once per call; the Scan reads and pays for
 *   the whole table.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { readCollectionPage } from './collection-reader.ts';
import { encodeKey } from './json-key.ts';
import { readPlanSegments, type ReferencesPlan, type RootsPlan } from './where/read-plan.ts';
import type { ReadCursor, ReadPageOptions, ReadTablePage } from './table-reader.ts';

type ReadPage = (plan: RootsPlan, options: ReadPageOptions) => Promise<ReadTablePage>;

export async function readReferencePage(client: DynamoDBClient, plan: ReferencesPlan, options: ReadPageOptions, readPage: ReadPage): Promise<ReadTablePage> {
  const { via } = plan;
  const { cache: _cache, cursor: _cursor, ...rest } = options;
  if (via.kind === 'index') {
    const follow = { table: plan.table, index: via.index, attribute: plan.attribute, rootKey: plan.parentKey, consistentRead: plan.consistentRead, ...(via.limit !== undefined ? { limit: via.limit } : {}) };
    return readCollectionPage(client, follow, options, (cursor) => readPage(plan.parent, { ...rest, ...(cursor !== undefined ? { cursor } : {}) }));
  }
  const cache = options.cache ?? {};
  cache.selected ??= await selectedKeys(plan.parent, plan.parentKey, rest, readPage);
  const selected = cache.selected;
  const scan = { kind: 'scan' as const, table: plan.table, consistentRead: plan.consistentRead, segments: via.segments };
  const page = await readPage(scan, { ...rest, ...(options.cursor !== undefined ? { cursor: options.cursor } : {}) });
  const items = page.items.filter((item) => {
    const value = item[plan.attribute];
    return value !== undefined && selected.has(valueId(value));
  });
  return { items, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}), selection: { roots: 0, collections: 0 } };
}

async function selectedKeys(parent: RootsPlan, parentKey: string, options: Omit<ReadPageOptions, 'cache' | 'cursor'>, readPage: ReadPage): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let segment = 0; segment < readPlanSegments(parent); segment++) {
    let cursor: ReadCursor | undefined;
    do {
      const page = await readPage(parent, { ...options, segment, ...(cursor !== undefined ? { cursor } : {}) });
      for (const item of page.items) {
        const value = item[parentKey];
        if (value !== undefined) keys.add(valueId(value));
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  return keys;
}

// A referring attribute of another type than the key never matches, as in DynamoDB's own comparisons.
function valueId(value: Item[string]): string {
  try {
    return JSON.stringify(encodeKey({ v: value! })['v']);
  } catch {
    return '';
  }
}
