/**
 * The spread sampler against DynamoDB Local: its budget in items and in
 * read units, the rounds that give the share of empty segments to the
 * others (a table of three partitions leaves most of 50 segments empty),
 * and a whole read when the table is smaller than the budget.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { spreadScan } from '../../src/dynamo/spread-scan.ts';
import { seedTable } from '../../src/local-stack/seed.ts';

const TABLE = 'SpreadScanThreePartitions';
const KEYS = {
  KeySchema: [
    { AttributeName: 'p', KeyType: 'HASH' as const },
    { AttributeName: 's', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'p', AttributeType: 'S' as const },
    { AttributeName: 's', AttributeType: 'N' as const },
  ],
};
const ITEMS: Item[] = ['a', 'b', 'c'].flatMap((p) => Array.from({ length: 300 }, (_, s) => ({ p: { S: p }, s: { N: String(s) }, pad: { S: 'x'.repeat(900) } })));

describe('spreadScan', () => {
  let dynamo: DynamoDBClient;
  beforeAll(async () => {
    dynamo = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
    await seedTable(dynamo, TABLE, ITEMS, KEYS);
  });
  afterAll(() => dynamo?.destroy());

  it('fills its item budget from the segments that have items, passing it by at most the pages in flight', async () => {
    const seen: Item[] = [];
    const result = await spreadScan(dynamo, { table: TABLE }, { segments: 50, budget: { items: 500 }, pageLimit: 20, concurrency: 4, onPage: (items) => seen.push(...items) });
    expect(result.items).toBe(seen.length);
    expect(result.items).toBeGreaterThanOrEqual(500);
    expect(result.items).toBeLessThanOrEqual(500 + 4 * 20);
    expect(result.complete).toBe(false);
    // All three partitions, though each lies in one segment of fifty.
    expect(new Set(seen.map((item) => item.p!.S))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('stops at its read-unit budget', async () => {
    // Items of ~1 KB: one eventually consistent unit reads about eight.
    const result = await spreadScan(dynamo, { table: TABLE }, { segments: 50, budget: { items: 10_000, capacityUnits: 20 }, pageLimit: 10, concurrency: 2 });
    expect(result.capacityUnits).toBeGreaterThanOrEqual(20);
    expect(result.capacityUnits).toBeLessThanOrEqual(20 + 2 * 2);
    expect(result.items).toBeLessThan(ITEMS.length);
  });

  it('reads the whole table when it is smaller than the budget, and says so', async () => {
    const result = await spreadScan(dynamo, { table: TABLE }, { segments: 50, budget: { items: 5_000 }, pageLimit: 100 });
    expect(result).toMatchObject({ items: ITEMS.length, complete: true, segmentsRead: 50 });
  });
});
