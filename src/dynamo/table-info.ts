import type { IndexKeyAttribute } from './item-limits.ts';
import {
  DescribeTableCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, ReadKeys } from './where/read-plan.ts';

export interface TableKeys {
  /** Hash key first, then the range key when there is one. */
  readonly keyAttributes: string[];
  readonly keySchema: KeySchemaElement[];
}

export async function describeTable(client: DynamoDBClient, table: string): Promise<TableDescription> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  if (Table === undefined) throw new Error(`DescribeTable returned no description for table "${table}"`);
  return Table;
}

export function tableKeys(Table: TableDescription): TableKeys {
  const keySchema = Table.KeySchema ?? [];
  const hash = keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return { keyAttributes: [hash, range].filter((name): name is string => name !== undefined), keySchema };
}

/** A key attribute of the table or of one of its indexes, with what it is a key of (for messages). */
export interface KeyAttributeInfo {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
  /** Part of the table's primary key (else of an index only). */
  readonly primary: boolean;
  /** `the table's hash key`, `the range key of index GSI1`. */
  readonly roles: string[];
}

/** Key attributes of the table's indexes that are no key of the table itself: what a put must keep typed and non-empty. */
export function indexKeyAttributesOf(Table: TableDescription): IndexKeyAttribute[] {
  return keyAttributesOf(Table)
    .filter((key) => !key.primary)
    .map(({ name, type, roles }) => ({ name, type, partition: roles.some((role) => role.startsWith('the hash key')), roles }));
}

/** Every key attribute of the table and its GSIs and LSIs, the table's own first, each once. */
export function keyAttributesOf(Table: TableDescription): KeyAttributeInfo[] {
  const byName = new Map<string, KeyAttributeInfo>();
  const add = (schema: KeySchemaElement[] | undefined, of: string | undefined) => {
    for (const { AttributeName: name, KeyType } of schema ?? []) {
      if (name === undefined) continue;
      const role = of === undefined ? `the table's ${KeyType === 'HASH' ? 'hash' : 'range'} key` : `the ${KeyType === 'HASH' ? 'hash' : 'range'} key of ${of}`;
      const known = byName.get(name);
      if (known) {
        known.roles.push(role);
        continue;
      }
      const type = Table.AttributeDefinitions?.find((d) => d.AttributeName === name)?.AttributeType;
      if (type !== 'S' && type !== 'N' && type !== 'B') continue;
      byName.set(name, { name, type, primary: of === undefined, roles: [role] });
    }
  };
  add(Table.KeySchema, undefined);
  for (const index of Table.GlobalSecondaryIndexes ?? []) add(index.KeySchema, `index ${index.IndexName}`);
  // An LSI's hash key is the table's own.
  for (const index of Table.LocalSecondaryIndexes ?? []) add(index.KeySchema?.filter((k) => k.KeyType === 'RANGE'), `index ${index.IndexName}`);
  return [...byName.values()];
}

export interface TableReadInfo {
  /** Key schema of what is read: the index's when an index is named. */
  keys: ReadKeys;
  /** DynamoDB refreshes these about every six hours; good enough to size a Scan, not to count items. */
  itemCount: number;
  sizeBytes: number;
}

/** What planning a read needs: the key schema (names and types) of the table or index, and its size. */
export async function describeTableForReading(client: DynamoDBClient, table: string, index?: string): Promise<TableReadInfo> {
  return readInfo(await describeTable(client, table), table, index);
}

/** describeTableForReading from a description already in hand. */
export function readInfo(Table: TableDescription, table: string, index?: string): TableReadInfo {
  if (index === undefined) {
    return { keys: readKeys(Table.KeySchema, Table.AttributeDefinitions, `table "${table}"`), itemCount: Table.ItemCount ?? 0, sizeBytes: Table.TableSizeBytes ?? 0 };
  }
  const found = findIndex(Table, index);
  if (found === undefined) {
    const known = [...(Table.GlobalSecondaryIndexes ?? []), ...(Table.LocalSecondaryIndexes ?? [])].map((i) => `"${i.IndexName}"`);
    throw new Error(`table "${table}" has no index "${index}"${known.length > 0 ? ` (it has ${known.join(', ')})` : ' (it has none)'}`);
  }
  return {
    keys: readKeys(found.KeySchema, Table.AttributeDefinitions, `index "${index}" of table "${table}"`),
    itemCount: found.ItemCount ?? 0,
    sizeBytes: found.IndexSizeBytes ?? 0,
  };
}

function findIndex(table: TableDescription, name: string) {
  return table.GlobalSecondaryIndexes?.find((i) => i.IndexName === name) ?? table.LocalSecondaryIndexes?.find((i) => i.IndexName === name);
}

function readKeys(schema: KeySchemaElement[] | undefined, definitions: AttributeDefinition[] | undefined, what: string): ReadKeys {
  const attribute = (keyType: 'HASH' | 'RANGE'): KeyAttribute | undefined => {
    const name = schema?.find((k) => k.KeyType === keyType)?.AttributeName;
    if (name === undefined) return undefined;
    const type = definitions?.find((d) => d.AttributeName === name)?.AttributeType;
    if (type !== 'S' && type !== 'N' && type !== 'B') throw new Error(`${what}: key attribute "${name}" has no S, N or B definition`);
    return { name, type };
  };
  const hash = attribute('HASH');
  if (hash === undefined) throw new Error(`${what} has no hash key in its description`);
  const range = attribute('RANGE');
  return range === undefined ? { hash } : { hash, range };
}

/** Below this, one Scan page (1 MB) holds the whole table: more segments only add requests. */
const ONE_SEGMENT_BELOW_BYTES = 1024 * 1024;
const MIN_PARALLEL_SEGMENTS = 4;
const MAX_DEFAULT_SEGMENTS = 16;
/** Beyond the first segments, one more per this much data (a DynamoDB partition holds up to 10 GB). */
const BYTES_PER_EXTRA_SEGMENT = 2 * 1024 ** 3;

/**
 * Segments for `segments: auto`. Measured on DynamoDB Local (2 cores, Node 24,
 * moviedata): 1 / 2 / 4 segments read ~3.8k / 14k / 16k items/s, so a table
 * worth splitting starts at 4. On DynamoDB itself each segment is served by
 * the partitions it covers, so large tables gain from more, up to a cap that
 * keeps one worker's memory (two 1 MB pages per segment) and connections modest.
 */
export function defaultSegments(sizeBytes: number): number {
  if (!(sizeBytes >= ONE_SEGMENT_BELOW_BYTES)) return 1;
  return Math.min(MAX_DEFAULT_SEGMENTS, MIN_PARALLEL_SEGMENTS + Math.floor(sizeBytes / BYTES_PER_EXTRA_SEGMENT));
}
