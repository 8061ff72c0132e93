/**
 * Reads a table (or one of its indexes) page by page with PartiQL
 * `ExecuteStatement`. Only SELECT statements are ever built here.
 */
import { ExecuteStatementCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from './item-codec.ts';

export interface SelectSpec {
  table: string;
  index?: string;
  /** A PartiQL condition, appended after WHERE. */
  where?: string;
}

/** PartiQL quotes identifiers with double quotes; a quote inside is doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function buildSelectStatement(spec: SelectSpec): string {
  const from = spec.index ? `${quoteIdentifier(spec.table)}.${quoteIdentifier(spec.index)}` : quoteIdentifier(spec.table);
  return spec.where ? `SELECT * FROM ${from} WHERE ${spec.where}` : `SELECT * FROM ${from}`;
}

export interface Page {
  items: Item[];
  /** Absent on the last page. */
  nextToken: string | undefined;
}

export async function readPage(
  client: DynamoDBClient,
  statement: string,
  options: { nextToken?: string | undefined; consistentRead?: boolean; limit?: number; abortSignal?: AbortSignal },
): Promise<Page> {
  const output = await client.send(
    new ExecuteStatementCommand({
      Statement: statement,
      ConsistentRead: options.consistentRead ?? false,
      ...(options.limit ? { Limit: options.limit } : {}),
      ...(options.nextToken ? { NextToken: options.nextToken } : {}),
    }),
    options.abortSignal ? { abortSignal: options.abortSignal } : {},
  );
  return { items: (output.Items ?? []) as Item[], nextToken: output.NextToken };
}
