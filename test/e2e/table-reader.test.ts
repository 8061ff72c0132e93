/**
 * readTablePage on DynamoDB Local: every plan kind drained page by page with
 * a small limit returns every selected item exactly once, and the cursor
 * between pages survives JSON (it crosses Temporal as text).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { recreateTable } from '../../src/local-stack/seed.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import type { Item } from '../../model/item.ts';
import { describeTableForReading, defaultSegments } from '../../src/dynamo/table-info.ts';
import { readTablePage, type ReadCursor } from '../../src/dynamo/table-reader.ts';
import { planRead, readPlanSegments, type ReadPlan } from '../../src/dynamo/where/index.ts';

const TABLE = 'E2eTableReader';
const BINARY_TABLE = 'E2eTableReaderBinary';

/** 20 partitions of 20 items; grp (the index's partition key) is absent from every fifth item, so the index is sparse. */
const ITEMS: Item[] = Array.from({ length: 400 }, (_, n) => {
  const p = Math.floor(n / 20);
  const s = n % 20;
  return {
    pk: { S: `p${p}` },
    sk: { N: String(s) },
    ...(s % 5 === 0 ? {} : { grp: { S: `g${(p + s) % 3}` } }),
    ...(n % 7 === 0 ? {} : { v: { N: String((p * s) % 7) } }),
  };
});

const BINARY_ITEMS: Item[] = Array.from({ length: 60 }, (_, n) => ({ id: { B: new Uint8Array([n, 255 - n, 0, 7]) }, n: { N: String(n) } }));

const key = (item: Item) => (item.id?.B ? Buffer.from(item.id.B).toString('hex') : `${item.pk?.S}|${item.sk?.N}`);

describe('readTablePage', () => {
  let dynamo: DynamoDBClient;

  beforeAll(async () => {
    dynamo = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
    await recreateTable(dynamo, TABLE, {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'grp', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'ByGroup',
          KeySchema: [
            { AttributeName: 'grp', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    await recreateTable(dynamo, BINARY_TABLE, {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
    });
    await writeItems(dynamo, TABLE, ITEMS, { concurrency: 4 });
    await writeItems(dynamo, BINARY_TABLE, BINARY_ITEMS, { concurrency: 4 });
  });
  afterAll(() => dynamo?.destroy());

  /** Drains one segment page by page, passing each cursor through JSON as the workflow does. */
  async function drainSegment(plan: ReadPlan, segment: number, limit: number): Promise<{ keys: string[]; pages: number; cursors: ReadCursor[] }> {
    const keys: string[] = [];
    const cursors: ReadCursor[] = [];
    let cursor: ReadCursor | undefined;
    let pages = 0;
    do {
      const page = await readTablePage(dynamo, plan, { segment, limit, ...(cursor ? { cursor } : {}) });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      keys.push(...page.items.map(key));
      cursor = page.cursor === undefined ? undefined : (JSON.parse(JSON.stringify(page.cursor)) as ReadCursor);
      if (cursor) cursors.push(cursor);
    } while (cursor);
    return { keys, pages, cursors };
  }

  async function drain(plan: ReadPlan, limit: number) {
    const segments = [];
    for (let segment = 0; segment < readPlanSegments(plan); segment++) segments.push(await drainSegment(plan, segment, limit));
    return { keys: segments.flatMap((s) => s.keys), segments };
  }

  function expectEachOnce(got: string[], expected: Item[]) {
    expect(new Set(got).size, 'no item twice').toBe(got.length);
    expect([...got].sort()).toStrictEqual(expected.map(key).sort());
  }

  it('a 4-segment Scan, drained segment by segment with a small limit, returns every item exactly once', async () => {
    const { keys } = await describeTableForReading(dynamo, TABLE);
    const plan = planRead({ table: TABLE, consistentRead: true, keys, segments: 4 });
    const { keys: got, segments } = await drain(plan, 7);
    expectEachOnce(got, ITEMS);
    // The segments really split the table, and the limit really paged it.
    for (const segment of segments) expect(segment.keys.length).toBeGreaterThan(0);
    expect(segments.reduce((sum, s) => sum + s.pages, 0)).toBeGreaterThanOrEqual(ITEMS.length / 7);
    expect(segments[0]!.cursors[0]).toStrictEqual({ startKey: expect.objectContaining({ pk: { S: expect.any(String) }, sk: { N: expect.any(String) } }) });
  });

  it('a filtered Scan returns the selected items once', async () => {
    const { keys } = await describeTableForReading(dynamo, TABLE);
    const plan = planRead({ table: TABLE, where: 'v BETWEEN 2 AND 4 OR v IS MISSING', consistentRead: true, keys, segments: 3 });
    expect(plan.kind).toBe('scan');
    const { keys: got } = await drain(plan, 11);
    expectEachOnce(got, ITEMS.filter((item) => item.v === undefined || (Number(item.v.N) >= 2 && Number(item.v.N) <= 4)));
  });

  it('a Query plan walks its partitions in turn, resuming from JSON cursors', async () => {
    const { keys } = await describeTableForReading(dynamo, TABLE);
    const plan = planRead({ table: TABLE, where: "pk IN ['p3', 'p1', 'p17'] AND sk >= 5 AND v > 0", consistentRead: false, keys, segments: 4 });
    expect(plan.kind === 'query' && plan.queries.length).toBe(3);
    const { keys: got, segments } = await drain(plan, 4);
    expectEachOnce(
      got,
      ITEMS.filter((item) => ['p3', 'p1', 'p17'].includes(item.pk!.S!) && Number(item.sk!.N) >= 5 && Number(item.v?.N ?? 0) > 0),
    );
    // Partitions are read in the plan's order, each from its own cursor.
    expect(segments).toHaveLength(1);
    expect(segments[0]!.keys[0]).toMatch(/^p3\|/);
    expect(segments[0]!.cursors.map((c) => c.query)).toContain(2);
    expect(segments[0]!.cursors.some((c) => c.query === 1 && c.startKey === undefined)).toBe(true);
  });

  it('a PartiQL plan pages with its NextToken', async () => {
    const { keys } = await describeTableForReading(dynamo, TABLE);
    const plan = planRead({ table: TABLE, where: 'v <> 3', consistentRead: true, keys, segments: 4 });
    expect(plan.kind).toBe('partiql');
    const { keys: got, segments } = await drain(plan, 50);
    // DynamoDB Local's PartiQL keeps items without v for `v <> 3`: whatever it selects, the plan reads it all once.
    expectEachOnce(got, ITEMS.filter((item) => item.v?.N !== '3'));
    expect(segments[0]!.cursors[0]).toStrictEqual({ nextToken: expect.any(String) });
  });

  it('binary keys survive the JSON cursor', async () => {
    const { keys } = await describeTableForReading(dynamo, BINARY_TABLE);
    expect(keys).toStrictEqual({ hash: { name: 'id', type: 'B' } });
    const plan = planRead({ table: BINARY_TABLE, consistentRead: true, keys, segments: 2 });
    const { keys: got, segments } = await drain(plan, 5);
    expectEachOnce(got, BINARY_ITEMS);
    expect(segments[0]!.cursors[0]!.startKey!.id).toStrictEqual({ B64: expect.any(String) });
  });

  it('reads a sparse index by Scan and by Query on its own keys', async () => {
    const reading = await describeTableForReading(dynamo, TABLE, 'ByGroup');
    expect(reading.keys).toStrictEqual({ hash: { name: 'grp', type: 'S' }, range: { name: 'sk', type: 'N' } });
    const scan = planRead({ table: TABLE, index: 'ByGroup', consistentRead: false, keys: reading.keys, segments: 2 });
    expectEachOnce((await drain(scan, 9)).keys, ITEMS.filter((item) => item.grp !== undefined));

    const query = planRead({ table: TABLE, index: 'ByGroup', where: "grp = 'g1' AND sk BETWEEN 3 AND 12", consistentRead: false, keys: reading.keys, segments: 2 });
    expect(query.kind).toBe('query');
    expectEachOnce((await drain(query, 9)).keys, ITEMS.filter((item) => item.grp?.S === 'g1' && Number(item.sk!.N) >= 3 && Number(item.sk!.N) <= 12));
  });

  it('refuses a segment the plan does not have', async () => {
    const plan = planRead({ table: TABLE, consistentRead: false, keys: { hash: { name: 'pk', type: 'S' } }, segments: 2 });
    await expect(readTablePage(dynamo, plan, { segment: 2 })).rejects.toThrow("segment 2 is outside the plan's 2 segments");
  });
});

describe('describeTableForReading', () => {
  let dynamo: DynamoDBClient;
  beforeAll(() => {
    dynamo = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
  });
  afterAll(() => dynamo?.destroy());

  it('gives the key schema with types, the item count and the size', async () => {
    const reading = await describeTableForReading(dynamo, TABLE);
    expect(reading.keys).toStrictEqual({ hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } });
    expect(reading.itemCount).toBe(ITEMS.length);
    expect(reading.sizeBytes).toBeGreaterThan(0);
    expect(defaultSegments(reading.sizeBytes)).toBe(1);
  });

  it('names the indexes a table has when asked for another', async () => {
    await expect(describeTableForReading(dynamo, TABLE, 'ByColour')).rejects.toThrow(`table "${TABLE}" has no index "ByColour" (it has "ByGroup")`);
    await expect(describeTableForReading(dynamo, BINARY_TABLE, 'ByColour')).rejects.toThrow(`table "${BINARY_TABLE}" has no index "ByColour" (it has none)`);
  });
});
