/**
 * Reads a ring plan (where/read-plan.ts), the selection of a table on a
 * cycle of references: the walk round the ring (ring-walk.ts) by parallel
 * Scans of its members (or, for a member with a GSI on its attribute, a
 * Query per newly selected key after its where's one Scan), once per call and kept in the call's read cache
 * (the keys it finds are data: they never leave the activity), then a
 * page of a parallel Scan of the first member, keeping the items its
 * where holds for (its roots) or whose attribute refers to a key the next
 * member selects. The items it leaves out are where its dangling
 * references are found, as on a references Scan.
 *
 * The same test keeps a table's items on a references Scan with a where
 * beside the reference (a union), so both live here: `keepsItem`.
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { compileWhere, type ItemPredicate } from '../../model/condition/index.ts';
import { countDangling } from './dangling-references.ts';
import { referringValueId } from './reference-values.ts';
import { referringIds, walkRing, type RingSelection } from './ring-walk.ts';
import type { ReadPlan, RingMemberPlan, RingPlan, ScanPlan } from './where/read-plan.ts';
import type { ReadCursor, ReadPageOptions, ReadTablePage } from './table-reader.ts';

export type ReadPage = (plan: ReadPlan, options: ReadPageOptions) => Promise<ReadTablePage>;
type WalkOptions = Pick<ReadPageOptions, 'limit' | 'abortSignal'>;

/** Compiled wheres by their text; a long-lived worker sees many jobs, so at most MAX_PREDICATES are kept. */
const predicates = new Map<string, ItemPredicate>();
const MAX_PREDICATES = 1_000;
const QUERIES_IN_FLIGHT = 8;

/** The where (job text, checked when the job was loaded and again by prepareTable) as a test on items, by the one evaluator of conditions. */
export function wherePredicate(where: string): ItemPredicate {
  let predicate = predicates.get(where);
  if (predicate === undefined) {
    const compiled = compileWhere(where);
    if (!compiled.ok) throw new RangeError('a where of the plan is not a condition; prepareTable checks it');
    predicate = compiled.matches;
    if (predicates.size >= MAX_PREDICATES) predicates.clear();
    predicates.set(where, predicate);
  }
  return predicate;
}

/** Whether an item is kept: its where holds (a root), or its attribute holds one of the selected values (referringValueId). */
export function keepsItem(where: string | undefined, attribute: string, selected: ReadonlySet<string>): (item: Item) => 'root' | 'followed' | undefined {
  const picks = where === undefined ? undefined : wherePredicate(where);
  return (item) => {
    if (picks?.(item) === true) return 'root';
    const value = item[attribute];
    return value !== undefined && selected.has(referringValueId(value)) ? 'followed' : undefined;
  };
}

/** A Scan page split by keepsItem's test: the items kept, how many are roots, and the attribute's values of the others (where dangling references are looked for). */
export function splitPage(page: readonly Item[], keeps: (item: Item) => 'root' | 'followed' | undefined, attribute: string): { items: Item[]; others: AttributeValue[]; roots: number } {
  const items: Item[] = [];
  const others: AttributeValue[] = [];
  let roots = 0;
  for (const item of page) {
    const kept = keeps(item);
    if (kept !== undefined) {
      items.push(item);
      if (kept === 'root') roots++;
    } else if (item[attribute] !== undefined) others.push(item[attribute]!);
  }
  return { items, others, roots };
}

/** The walk round the plan's ring: a member read whole by a parallel Scan, or by the Queries of its GSI. */
export async function ringSelection(client: DynamoDBClient, plan: RingPlan, options: WalkOptions, readPage: ReadPage): Promise<RingSelection> {
  const members = plan.members.map((member) => ({
    hashKey: member.hashKey,
    attribute: member.attribute,
    ...(member.template !== undefined ? { template: member.template } : {}),
    ...(member.where !== undefined ? { picks: wherePredicate(member.where) } : {}),
    ...(member.index !== undefined ? { indexed: true } : {}),
  }));
  return walkRing(members, {
    readReferring: (index, values, visit) => queryReferring(client, plan.members[index]!, values, visit, options),
    readAll: async (index, visit) => {
      const member = plan.members[index]!;
      const scan: ScanPlan = { kind: 'scan', table: member.table, consistentRead: member.consistentRead, segments: member.segments };
      await Promise.all(
        Array.from({ length: member.segments }, async (_, segment) => {
          let cursor: ReadCursor | undefined;
          do {
            const page = await readPage(scan, { segment, ...(cursor !== undefined ? { cursor } : {}), ...options });
            visit(page.items);
            cursor = page.cursor;
          } while (cursor !== undefined);
        }),
      );
    },
  });
}

/**
 * The member's items whose attribute holds one of the values, by a Query of
 * its GSI on the attribute each, QUERIES_IN_FLIGHT at once, only their
 * partition key projected: all the walk needs of them.
 */
async function queryReferring(client: DynamoDBClient, member: RingMemberPlan, values: readonly AttributeValue[], visit: (items: readonly Item[]) => void, options: WalkOptions): Promise<void> {
  const send = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const query = async (value: AttributeValue) => {
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const output = await client.send(
        new QueryCommand({
          TableName: member.table,
          IndexName: member.index,
          KeyConditionExpression: '#a = :v',
          ProjectionExpression: '#h',
          ExpressionAttributeNames: { '#a': member.attribute, '#h': member.hashKey },
          ExpressionAttributeValues: { ':v': value },
          ...(options.limit !== undefined ? { Limit: options.limit } : {}),
          ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
        }),
        send,
      );
      visit((output.Items ?? []) as Item[]);
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined);
  };
  for (let i = 0; i < values.length; i += QUERIES_IN_FLIGHT) await Promise.all(values.slice(i, i + QUERIES_IN_FLIGHT).map(query));
}

/** The first member's selected partition keys, as the walk found them. */
export function ringKeys(selection: RingSelection): Map<string, AttributeValue> {
  return selection.keys[0]!;
}

/** What the first member's attribute holds for each key the next member selects: the values its items are kept by. */
export function ringReferred(plan: RingPlan, selection: RingSelection): Set<string> {
  return referringIds(plan.members[0]!, selection.keys[1 % plan.members.length]!);
}

export async function readRingPage(client: DynamoDBClient, plan: RingPlan, options: ReadPageOptions, readPage: ReadPage): Promise<ReadTablePage> {
  const cache = options.cache ?? {};
  const walk = { ...(options.limit !== undefined ? { limit: options.limit } : {}), ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) };
  cache.ring ??= await ringSelection(client, plan, walk, readPage);
  const first = plan.members[0]!;
  const next = plan.members[1 % plan.members.length]!;
  const keeps = keepsItem(first.where, first.attribute, (cache.referred ??= ringReferred(plan, cache.ring)));
  const scan: ScanPlan = { kind: 'scan', table: plan.table, consistentRead: plan.consistentRead, segments: first.segments };
  const { cache: _cache, ...scanOptions } = options;
  const page = await readPage(scan, scanOptions);
  const { items, others, roots } = splitPage(page.items, keeps, first.attribute);
  const lookup = { ...(plan.dangling !== undefined ? { dangling: plan.dangling } : {}), ...(first.template !== undefined ? { template: first.template } : {}), parentKey: next.hashKey, parent: { table: next.table, consistentRead: next.consistentRead } };
  const dangling = plan.dangling === undefined ? undefined : await countDangling(client, lookup, others, (cache.known ??= new Map()), options.abortSignal);
  return { items, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}), selection: { roots, collections: 0, keys: 0, ...(dangling !== undefined ? { dangling } : {}) } };
}
