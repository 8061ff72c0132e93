/**
 * Dangling references among the items a references Scan reads: items whose
 * attribute names no selected key are looked up in the referenced table,
 * and the ones whose value names no item of it at all are counted. A value
 * that cannot name a key (another type, a string outside the template) is
 * dangling without a lookup; an item without the attribute refers to
 * nothing and is not counted.
 *
 * Each distinct value is looked up once per call: whether it names an item
 * is kept in the call's memory (data, like the selected keys; it never
 * leaves the activity), up to MAX_KNOWN values, then forgotten and asked
 * again. A Scan reads every item of the table, so this is at most one
 * lookup per distinct value it meets; a Query per selected key never meets
 * an unselected value, so a table read through a GSI counts none.
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { getItems } from './batch-getter.ts';
import { namedKey } from './reference-values.ts';
import type { ReferencesPlan } from './where/read-plan.ts';

const MAX_KNOWN = 100_000;
const QUERIES_IN_FLIGHT = 8;

/** What the lookups need of a references plan (or of a ring plan's first member and the next). */
export type DanglingLookup = Pick<ReferencesPlan, 'dangling' | 'template' | 'parentKey'> & { parent: { table: string; consistentRead: boolean } };

/** Whether each value named an item of the referenced table, by the value's JSON. */
export type KnownReferences = Map<string, boolean>;

export async function countDangling(client: DynamoDBClient, plan: DanglingLookup, values: readonly AttributeValue[], known: KnownReferences, abortSignal?: AbortSignal): Promise<number> {
  const { dangling } = plan;
  if (dangling === undefined) return 0;
  if (known.size > MAX_KNOWN) known.clear();
  const keys = values.map((value) => namedKey(plan, value, dangling.keyType));
  const asked = new Map<string, AttributeValue>();
  for (const key of keys) {
    if (key === undefined) continue;
    const id = JSON.stringify(key);
    if (!known.has(id)) asked.set(id, key);
  }
  const ids = [...asked.keys()];
  const found = dangling.lookup === 'get' ? await existByGet(client, plan, [...asked.values()]) : await existByQuery(client, plan, [...asked.values()], abortSignal);
  ids.forEach((id, i) => known.set(id, found[i]!));
  return keys.filter((key) => key === undefined || known.get(JSON.stringify(key)) === false).length;
}

async function existByGet(client: DynamoDBClient, plan: DanglingLookup, keys: AttributeValue[]): Promise<boolean[]> {
  if (keys.length === 0) return [];
  const items = await getItems(client, plan.parent.table, [plan.parentKey], keys.map((key): Item => ({ [plan.parentKey]: key })), { consistentRead: plan.parent.consistentRead });
  return items.map((item) => item !== undefined);
}

async function existByQuery(client: DynamoDBClient, plan: DanglingLookup, keys: AttributeValue[], abortSignal?: AbortSignal): Promise<boolean[]> {
  const found: boolean[] = [];
  for (let i = 0; i < keys.length; i += QUERIES_IN_FLIGHT) {
    const batch = keys.slice(i, i + QUERIES_IN_FLIGHT);
    const counts = await Promise.all(
      batch.map(async (key) => {
        const output = await client.send(
          new QueryCommand({
            TableName: plan.parent.table,
            ConsistentRead: plan.parent.consistentRead,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': plan.parentKey },
            ExpressionAttributeValues: { ':pk': key },
            Select: 'COUNT',
            Limit: 1,
          }),
          abortSignal ? { abortSignal } : {},
        );
        return (output.Count ?? 0) > 0;
      }),
    );
    found.push(...counts);
  }
  return found;
}
