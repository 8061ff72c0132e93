import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { readCollectionPage, type RootPageCache } from './collection-reader.ts';
import type { ReadCursor, ReadTablePage } from './table-reader.ts';

describe('collection reader', () => {
  it('keeps a root page per segment: one cache walked over every segment reads each segment its own first page', async () => {
    const queried: unknown[] = [];
    const client = { send: async (command: { input: { ExpressionAttributeValues: Record<string, unknown> } }) => (queried.push(command.input.ExpressionAttributeValues[':pk']), { Items: [] }) } as unknown as DynamoDBClient;
    const follow = { table: 'Orders', index: 'ByCustomer', attribute: 'customerId', rootKey: 'userId', consistentRead: false };
    const cache: RootPageCache = {};
    const roots = (segment: number) => async (_cursor: ReadCursor | undefined): Promise<ReadTablePage> => ({ items: [{ userId: { S: `U${segment}` } }] });
    for (const segment of [0, 1]) await readCollectionPage(client, follow, { segment, cache }, roots(segment));
    expect(queried).toEqual([{ S: 'U0' }, { S: 'U1' }]);
  });
});
