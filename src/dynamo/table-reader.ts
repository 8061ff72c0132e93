/**
 * Reads one page of a read plan (see where/read-plan.ts): a Scan segment,
 * the next Query of a partition-key plan, a PartiQL page, or a page of a
 * collection (collection-reader.ts), of a references plan
 * (reference-reader.ts) or of a ring plan (ring-reader.ts). Only read
 * commands are ever sent: Scan, Query, and ExecuteStatement with the SELECT
 * that partiql-reader.ts builds.
 */
import { QueryCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { collectionsFollow, readCollectionPage, type CollectionCursor, type RootPageCache } from './collection-reader.ts';
import { readReferencePage } from './reference-reader.ts';
import { readRingPage } from './ring-reader.ts';
import { decodeKey, encodeKey, type JsonKey } from './json-key.ts';
import { readPage } from './partiql-reader.ts';
import { readPlanSegments, type ReadPlan } from './where/read-plan.ts';

/**
 * Where a segment continues. Absent once the segment is done. It holds key
 * values of the source (startKey), so it is sealed before it leaves the activity.
 */
export interface ReadCursor {
  /** Which of a Query plan's queries is being read. */
  query?: number;
  startKey?: JsonKey;
  nextToken?: string;
  /** Where a whole-collections plan stands (collection-reader.ts). */
  collection?: CollectionCursor;
}

export interface ReadPageOptions {
  /** 0-based; only Scan plans have more than one. */
  segment: number;
  cursor?: ReadCursor;
  /** Items evaluated per request; DynamoDB's 1 MB page when unset. */
  limit?: number;
  /** Ask DynamoDB what the page cost (Scan and Query plans), for readers that keep a read budget. */
  returnCapacity?: boolean;
  abortSignal?: AbortSignal;
  /** For whole-collections plans: keeps the root page between calls of one reader. */
  cache?: RootPageCache;
}

export interface ReadTablePage {
  items: Item[];
  /**
   * Of a whole-collections plan: roots among the items, and collections
   * this page finished. Of a references plan: the referenced keys it
   * finished following (not among the items), and of a Scan the items it
   * read that refer to nothing. Of a table that also picks items by its
   * own where (a union, or a table on a ring): roots are the items it
   * picked, and no keys.
   */
  selection?: { roots: number; collections: number; keys?: number; dangling?: number };
  cursor?: ReadCursor;
  /** Read capacity units the page consumed, when asked for and DynamoDB said. */
  capacityUnits?: number;
}

export async function readTablePage(client: DynamoDBClient, plan: ReadPlan, options: ReadPageOptions): Promise<ReadTablePage> {
  const { segment, cursor, limit, abortSignal, returnCapacity } = options;
  const segments = readPlanSegments(plan);
  if (!Number.isInteger(segment) || segment < 0 || segment >= segments) {
    throw new RangeError(`segment ${segment} is outside the plan's ${segments} segment${segments === 1 ? '' : 's'}`);
  }
  if (plan.kind === 'collections') {
    const { cache: _cache, cursor: _cursor, ...rootOptions } = options;
    return readCollectionPage(client, collectionsFollow(plan), options, (roots) => readTablePage(client, plan.roots, { ...rootOptions, ...(roots !== undefined ? { cursor: roots } : {}) }));
  }
  if (plan.kind === 'references') return readReferencePage(client, plan, options, (roots, rootOptions) => readTablePage(client, roots, rootOptions));
  if (plan.kind === 'ring') return readRingPage(client, plan, options, (scan, scanOptions) => readTablePage(client, scan, scanOptions));
  const send = abortSignal ? { abortSignal } : {};
  const target = { TableName: plan.table, ...(plan.index !== undefined ? { IndexName: plan.index } : {}), ConsistentRead: plan.consistentRead };
  const page = {
    ...(limit !== undefined ? { Limit: limit } : {}),
    ...(cursor?.startKey ? { ExclusiveStartKey: decodeKey(cursor.startKey) } : {}),
    ...(returnCapacity === true ? { ReturnConsumedCapacity: 'TOTAL' as const } : {}),
  };

  switch (plan.kind) {
    case 'scan': {
      const { filter } = plan;
      const output = await client.send(
        new ScanCommand({
          ...target,
          ...page,
          ...(plan.segments > 1 ? { Segment: segment, TotalSegments: plan.segments } : {}),
          ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
          // DynamoDB refuses an empty ExpressionAttributeValues (a filter of IS MISSING tests has no values).
          ...(filter && Object.keys(filter.values).length > 0 ? { ExpressionAttributeValues: filter.values } : {}),
        }),
        send,
      );
      return withCursor((output.Items ?? []) as Item[], output.LastEvaluatedKey ? { startKey: encodeKey(output.LastEvaluatedKey) } : undefined, output.ConsumedCapacity?.CapacityUnits);
    }
    case 'query': {
      const index = cursor?.query ?? 0;
      const query = plan.queries[index];
      if (query === undefined) throw new RangeError(`cursor names query ${index} of a plan with ${plan.queries.length}`);
      const output = await client.send(
        new QueryCommand({
          ...target,
          ...page,
          KeyConditionExpression: query.keyCondition,
          ...(query.filter !== undefined ? { FilterExpression: query.filter } : {}),
          ExpressionAttributeNames: query.names,
          ExpressionAttributeValues: query.values,
        }),
        send,
      );
      const next: ReadCursor | undefined = output.LastEvaluatedKey
        ? { query: index, startKey: encodeKey(output.LastEvaluatedKey) }
        : index + 1 < plan.queries.length
          ? { query: index + 1 }
          : undefined;
      return withCursor((output.Items ?? []) as Item[], next, output.ConsumedCapacity?.CapacityUnits);
    }
    case 'partiql': {
      const result = await readPage(client, plan.statement, {
        nextToken: cursor?.nextToken,
        consistentRead: plan.consistentRead,
        ...(limit !== undefined ? { limit } : {}),
        ...(abortSignal ? { abortSignal } : {}),
      });
      return withCursor(result.items, result.nextToken ? { nextToken: result.nextToken } : undefined);
    }
  }
}

function withCursor(items: Item[], cursor: ReadCursor | undefined, capacityUnits?: number): ReadTablePage {
  return { items, ...(cursor !== undefined ? { cursor } : {}), ...(capacityUnits !== undefined ? { capacityUnits } : {}) };
}
