/**
 * Which attributes are keys, of the table or of its indexes, from a
 * DescribeTable answer: `init` writes them as keys (passed through, for now)
 * rather than as data, and drift takes the table's own keys as named by any
 * job, since a run passes them through unless a mapping names them.
 */
import type { KeySchemaElement, TableDescription } from '@aws-sdk/client-dynamodb';
import type { KeySchema } from './item-types.ts';

export interface KeyRole {
  readonly name: string;
  /** Part of the table's primary key (else of an index only). */
  readonly primary: boolean;
  /** `the table's partition key`, `the sort key of index ByEmail`. */
  readonly roles: readonly string[];
}

export interface TableKeyRoles {
  /** The table's own key schema, for telling item types apart. */
  readonly schema: KeySchema;
  /** The table's key attributes first (partition, sort), then each index's, each once. */
  readonly keys: readonly KeyRole[];
}

export function keyRoles(table: TableDescription): TableKeyRoles {
  const byName = new Map<string, { name: string; primary: boolean; roles: string[] }>();
  const add = (schema: readonly KeySchemaElement[] | undefined, of: string | undefined) => {
    for (const type of ['HASH', 'RANGE'] as const) {
      const name = schema?.find((element) => element.KeyType === type)?.AttributeName;
      if (name === undefined) continue;
      const part = type === 'HASH' ? 'partition' : 'sort';
      const role = of === undefined ? `the table's ${part} key` : `the ${part} key of index ${of}`;
      const known = byName.get(name);
      if (known) known.roles.push(role);
      else byName.set(name, { name, primary: of === undefined, roles: [role] });
    }
  };
  add(table.KeySchema, undefined);
  for (const index of table.GlobalSecondaryIndexes ?? []) add(index.KeySchema, index.IndexName);
  // An LSI's partition key is the table's own.
  for (const index of table.LocalSecondaryIndexes ?? []) add(index.KeySchema?.filter((element) => element.KeyType === 'RANGE'), index.IndexName);
  const partitionKey = table.KeySchema?.find((element) => element.KeyType === 'HASH')?.AttributeName;
  if (partitionKey === undefined) throw new Error(`table "${table.TableName}" has no partition key in its description`);
  const sortKey = table.KeySchema?.find((element) => element.KeyType === 'RANGE')?.AttributeName;
  return { schema: { partitionKey, ...(sortKey !== undefined ? { sortKey } : {}) }, keys: [...byName.values()] };
}
