/**
 * What the incremental-refresh tests share: a source table with a stream,
 * items with a subset and nested values, the changes a day brings (inserts,
 * modifies into, out of and within the subset, deletes), a job, and the
 * comparison of a destination with a fresh full copy.
 */
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { MOVIES_KEY_SCHEMA } from '../../src/local-stack/movie-data.ts';
import type { TableSpec } from '../../src/local-stack/seed.ts';

export const streamSpec = (viewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' = 'NEW_AND_OLD_IMAGES'): TableSpec => ({
  ...MOVIES_KEY_SCHEMA,
  StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
});

/** `count` items; every third is 'old', outside the subset `status = 'active'`. */
export function streamItems(count: number, prefix = 'item', canary?: (i: number) => string | undefined): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const secret = canary?.(i);
    return {
      year: { N: String(1900 + (i % 50)) },
      title: { S: `${prefix}-${String(i).padStart(5, '0')}` },
      status: { S: i % 3 === 0 ? 'old' : 'active' },
      email: { S: `person${i}@example.com` },
      info: { M: { n: { N: String(i) }, tags: { SS: ['a', `t${i % 7}`] }, ...(secret ? { secret: { S: secret } } : {}) } },
    };
  });
}

export const keyOf = (item: Item) => ({ year: item.year!, title: item.title! });

/**
 * A day of changes, made one call at a time as an application would: new
 * items in and out of the subset, items moved into and out of it, items
 * changed within it, items deleted, one item changed many times over, one
 * deleted and put back. Returns how many calls it made.
 */
export async function changeSource(dynamo: DynamoDBClient, table: string, items: readonly Item[], prefix = 'new'): Promise<number> {
  let calls = 0;
  const put = async (item: Item) => (calls++, dynamo.send(new PutItemCommand({ TableName: table, Item: item })));
  const set = async (item: Item, status: string, extra: string) =>
    (calls++,
    dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: keyOf(item),
        UpdateExpression: 'SET #s = :s, extra = :e',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: status }, ':e': { S: extra } },
      }),
    ));
  const remove = async (item: Item) => (calls++, dynamo.send(new DeleteItemCommand({ TableName: table, Key: keyOf(item) })));
  for (const item of streamItems(12, prefix)) await put(item);
  const active = items.filter((i) => i.status!.S === 'active');
  const old = items.filter((i) => i.status!.S === 'old');
  for (const item of active.slice(0, 5)) await set(item, 'old', 'moved out');
  for (const item of old.slice(0, 5)) await set(item, 'active', 'moved in');
  for (const item of active.slice(5, 10)) await set(item, 'active', 'changed');
  for (const item of [...active.slice(10, 14), ...old.slice(5, 8)]) await remove(item);
  const busy = active[20]!;
  for (let n = 0; n < 6; n++) await set(busy, n % 2 === 0 ? 'old' : 'active', `round ${n}`);
  const back = active[21]!;
  await remove(back);
  await put({ ...back, email: { S: 'back@example.com' } });
  return calls;
}

/** Attribute order and binary values made comparable; sets sorted (DynamoDB keeps no order in them). */
export function canonical(value: AttributeValue | Item | undefined): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
    if ((key === 'SS' || key === 'NS') && Array.isArray(v)) return [...v].sort();
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    return v;
  });
}

/** The items as a sorted list of canonical texts: two tables compare equal item for item. */
export function contentOf(items: readonly Item[]): string[] {
  return items.map(canonical).sort();
}

export function incrementalJobYaml(endpoint: string, name: string, tables: { source: string; destination: string; mode?: string; extra?: string; transformers?: string }[]): string {
  return [
    `name: ${name}`,
    `connections: { local: { endpoint: "${endpoint}" } }`,
    'source: local',
    'destination: local',
    'salt: incremental-test-salt',
    'defaults: { S: passthrough, N: passthrough, SS: passthrough }',
    'tables:',
    ...tables.flatMap((t) => [
      `  - source: ${t.source}`,
      `    destination: ${t.destination}`,
      `    mode: ${t.mode ?? 'incremental'}`,
      `    where: "status = 'active'"`,
      `    transformers: ${t.transformers ?? '{ email: email, info.secret: redact }'}`,
      ...(t.extra ? [`    ${t.extra}`] : []),
    ]),
  ].join('\n');
}
