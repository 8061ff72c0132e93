/**
 * Reads a table (or one of its indexes) page by page with PartiQL
 * `ExecuteStatement`. Only SELECT statements are ever built here.
 */
import { ExecuteStatementCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableJob } from '../../model/job.ts';
import type { Item } from '../../model/item.ts';

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

/** The read a job's table asks for. */
export function selectSpec(table: TableJob): SelectSpec & { consistentRead: boolean } {
  return { table: table.source, index: table.index, where: table.where, consistentRead: table.consistentRead };
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

/** A subset that matches little should not turn a sample into a full scan (at most ~20 MB read). */
const SAMPLE_MAX_PAGES = 20;

/** Up to `limit` items of a table's subset, for previews and coverage checks. */
export async function readSample(
  client: DynamoDBClient,
  spec: SelectSpec & { consistentRead?: boolean },
  limit: number,
): Promise<Item[]> {
  const statement = buildSelectStatement(spec);
  const items: Item[] = [];
  let nextToken: string | undefined;
  for (let pages = 0; pages < SAMPLE_MAX_PAGES && items.length < limit; pages++) {
    // Whole 1 MB pages: with a small Limit a subset could need thousands of round trips.
    const page = await readPage(client, statement, { nextToken, consistentRead: spec.consistentRead ?? false });
    items.push(...page.items.slice(0, limit - items.length));
    nextToken = page.nextToken;
    if (!nextToken) break;
  }
  return items;
}
