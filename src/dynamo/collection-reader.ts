/**
 * Reads a whole-collections plan (where/read-plan.ts) one page at a time:
 * a page of roots by the roots' plan, then each distinct partition key
 * among them read whole by a Query of the base table, in the order the
 * roots came. A references plan that has a GSI on its attribute reads the
 * same way: a page of the referenced table's selection, then a Query of
 * the index per distinct partition key among it, at most `limit` items
 * each, newest first. Scan and Query return a partition's items together, so a
 * collection whose roots span two root pages is the last of one and the
 * first of the next: `after` skips it there, and each collection is read
 * once per segment; Scan segments split the table by partition key, so no
 * two segments read the same collection.
 *
 * The partition keys found are data: they live in this function's memory
 * and in the cursor, which the activity seals. The cursor points at the
 * root page by where it starts and says which partition it is in; a call
 * that resumes reads that root page again. If the source changed meanwhile
 * and the partition is no longer among its roots, the page is worked from
 * its start again: collections may then be read twice (puts are
 * idempotent), never skipped.
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { compileWhere, type ItemPredicate } from '../../model/condition/index.ts';
import { decodeKey, encodeKey, type JsonKey, type JsonKeyValue } from './json-key.ts';
import type { KnownReferences } from './dangling-references.ts';
import type { RingSelection } from './ring-walk.ts';
import type { CollectionsPlan } from './where/read-plan.ts';
import type { ReadCursor, ReadPageOptions, ReadTablePage } from './table-reader.ts';

export interface CollectionCursor {
  /** Where the root page being worked through starts; absent: the segment's first. */
  roots?: ReadCursor;
  /** The partition key of the collection being read. */
  partition?: JsonKeyValue;
  /** Where the Query of that collection continues. */
  startKey?: JsonKey;
  /** The last collection of the previous root page, read already. */
  after?: JsonKeyValue;
  /** Items of the current collection read so far, for a limit. */
  taken?: number;
}

/** What each root's partition key is followed to. */
export interface FollowSpec {
  table: string;
  index?: string;
  /** The attribute the Query pins to the root's partition key. */
  attribute: string;
  /** The roots' partition key. */
  rootKey: string;
  consistentRead: boolean;
  /** At most this many items per root key, newest first. */
  limit?: number;
  /** For whole collections: which of a collection's items are roots, to count them. */
  rootsWhere?: string;
}

export function collectionsFollow(plan: CollectionsPlan): FollowSpec {
  return { table: plan.table, attribute: plan.hashKey, rootKey: plan.hashKey, consistentRead: plan.consistentRead, rootsWhere: plan.where };
}

/** The root page a call works through, kept between its pages so that it is read once. */
export interface RootPageCache {
  /** The segment and cursor the page was read at. */
  at?: string;
  page?: ReadTablePage;
  /** A references plan without a GSI: the selected keys (reference-reader.ts). */
  selected?: Set<string>;
  /** A references plan without a GSI: whether values that name no selected key name an item at all (dangling-references.ts). */
  known?: KnownReferences;
  /** A references plan whose parent follows references in turn (or walks a ring): the parent's own. */
  parent?: RootPageCache;
  /** A ring plan: the walk round the ring (ring-walk.ts), and what the first member's items are kept by. */
  ring?: RingSelection;
  referred?: Set<string>;
}

type ReadRoots = (cursor: ReadCursor | undefined) => Promise<ReadTablePage>;

export async function readCollectionPage(client: DynamoDBClient, plan: FollowSpec, options: ReadPageOptions, readRoots: ReadRoots): Promise<ReadTablePage> {
  const { abortSignal, limit, cache = {} } = options;
  const at = options.cursor?.collection ?? {};
  const rootPage = await cachedRoots(cache, options.segment, at.roots, readRoots);
  const partitions = distinctPartitions(rootPage.items, plan.rootKey).filter((value) => !sameValue(value, at.after));
  const found = at.partition === undefined ? 0 : partitions.findIndex((value) => sameValue(value, at.partition));
  const index = Math.max(0, found);
  const partition = partitions[index];
  if (partition === undefined) {
    // No collection left on this root page: on to the next, or done.
    if (rootPage.cursor === undefined) return { items: [], selection: { roots: 0, collections: 0 } };
    const after = partitions.at(-1) ?? at.after;
    return { items: [], cursor: { collection: { roots: rootPage.cursor, ...(after !== undefined ? { after } : {}) } }, selection: { roots: 0, collections: 0 } };
  }
  const startKey = found >= 0 ? at.startKey : undefined;
  const taken = found >= 0 ? (at.taken ?? 0) : 0;
  const left = plan.limit === undefined ? undefined : plan.limit - taken;
  const pageLimit = left === undefined ? limit : Math.min(left, limit ?? left);
  const output = await client.send(
    new QueryCommand({
      TableName: plan.table,
      ...(plan.index !== undefined ? { IndexName: plan.index } : {}),
      // A GSI is only eventually consistent.
      ConsistentRead: plan.index === undefined && plan.consistentRead,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': plan.attribute },
      ExpressionAttributeValues: { ':pk': decodeKey({ v: partition })['v']! },
      ...(plan.limit !== undefined ? { ScanIndexForward: false } : {}),
      ...(pageLimit !== undefined ? { Limit: pageLimit } : {}),
      ...(startKey !== undefined ? { ExclusiveStartKey: decodeKey(startKey) } : {}),
    }),
    abortSignal ? { abortSignal } : {},
  );
  const items = (output.Items ?? []) as Item[];
  const roots = plan.rootsWhere === undefined ? 0 : items.filter(rootTest(plan.rootsWhere)).length;
  const base = { roots: at.roots, ...(at.after !== undefined ? { after: at.after } : {}) };
  const more = output.LastEvaluatedKey !== undefined && (left === undefined || items.length < left);
  let next: CollectionCursor | undefined;
  if (more) next = { ...base, partition, startKey: encodeKey(output.LastEvaluatedKey!), ...(plan.limit !== undefined ? { taken: taken + items.length } : {}) };
  else if (index + 1 < partitions.length) next = { ...base, partition: partitions[index + 1]! };
  else if (rootPage.cursor !== undefined) next = { roots: rootPage.cursor, after: partition };
  const collections = more || plan.rootsWhere === undefined ? 0 : 1;
  // A reference's keys are not among the items read: each is counted once, when its Query is done.
  const keys = more || plan.rootsWhere !== undefined ? 0 : 1;
  return { items, ...(next !== undefined ? { cursor: { collection: next } } : {}), selection: { roots, collections, ...(plan.rootsWhere === undefined ? { keys } : {}) } };
}

// By segment too: a reader of a whole selection (a followed chain, the prune's) walks every segment with one cache, and each segment's first page has no cursor.
async function cachedRoots(cache: RootPageCache, segment: number, cursor: ReadCursor | undefined, readRoots: ReadRoots): Promise<ReadTablePage> {
  const at = JSON.stringify([segment, cursor ?? null]);
  if (cache.at !== at || cache.page === undefined) {
    cache.page = await readRoots(cursor);
    cache.at = at;
  }
  return cache.page;
}

function distinctPartitions(items: readonly Item[], hashKey: string): JsonKeyValue[] {
  const seen = new Set<string>();
  const values: JsonKeyValue[] = [];
  for (const item of items) {
    const value = item[hashKey];
    if (value === undefined) continue;
    const json = encodeKey({ v: value as AttributeValue })['v']!;
    const id = JSON.stringify(json);
    if (seen.has(id)) continue;
    seen.add(id);
    values.push(json);
  }
  return values;
}

// DynamoDB hands key numbers back in one normalized form, so their text compares as their value.
function sameValue(a: JsonKeyValue, b: JsonKeyValue | undefined): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

const predicates = new Map<string, ItemPredicate>();

/** Which of a collection's items are roots: the where, evaluated in memory as DynamoDB's PartiQL would. */
function rootTest(where: string): ItemPredicate {
  let test = predicates.get(where);
  if (test === undefined) {
    const compiled = compileWhere(where);
    // planRead checked the where before it made the plan.
    if (!compiled.ok) throw new Error('the where of a whole-collections plan does not compile');
    test = compiled.matches;
    predicates.set(where, test);
  }
  return test;
}
