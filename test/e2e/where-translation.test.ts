/**
 * Every WHERE form the planner translates selects exactly the items PartiQL
 * selects: the same SELECT run through DynamoDB Local's PartiQL and the plan
 * drained through readTablePage (all segments) must give the same keys. The
 * table is moviedata plus items whose attributes are missing, NULL or of
 * another type, where PartiQL and a FilterExpression could part ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import type { Item } from '../../model/item.ts';
import { buildSelectStatement, readPage } from '../../src/dynamo/partiql-reader.ts';
import { readTablePage } from '../../src/dynamo/table-reader.ts';
import { describeReadPlan, planRead, readPlanSegments, type ReadPlan } from '../../src/dynamo/where/index.ts';
import { describeTableForReading } from '../../src/dynamo/table-info.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { seedTable } from '../../src/local-stack/seed.ts';
import { movieKey } from '../support/stack.ts';

const TABLE = 'E2eWhereTranslation';

const EXTRA_ITEMS: Item[] = [
  { year: { N: '2013' }, title: { S: 'zz rating as string' }, info: { M: { rating: { S: '8.3' }, genres: { L: [{ S: 'Drama' }] }, flag: { BOOL: true } } } },
  { year: { N: '2013' }, title: { S: 'zz rating null' }, info: { M: { rating: { NULL: true }, flag: { BOOL: false } } } },
  { year: { N: '2013' }, title: { S: 'zz no info' } },
  {
    year: { N: '2012' },
    title: { S: 'zz precise' },
    info: {
      M: {
        precise: { N: '0.12345678901234567890123456789012345678' },
        huge: { N: '12345678901234567890123456789012345678' },
        rating: { N: '8.30' },
        flag: { BOOL: true },
      },
    },
  },
  {
    year: { N: '2012' },
    title: { S: 'zz precise neighbour' },
    info: { M: { precise: { N: '0.12345678901234567890123456789012345677' }, huge: { N: '12345678901234567890123456789012345677' } } },
  },
  { year: { N: '1999' }, title: { S: 'zz tags' }, tags: { SS: ['a', 'b'] }, info: { M: { genres: { S: 'Drama' }, rating: { NS: ['1', '2'] }, flag: { BOOL: true } } } },
  { year: { N: '1999' }, title: { S: 'zz empty info' }, info: { M: {} } },
];

type Kind = ReadPlan['kind'];

/** A WHERE form, the plan kind it must get, and whether its selection may be empty or everything. */
const FORMS: { where: string; kind: Kind; trivial?: boolean }[] = [
  // Comparisons, on nested paths and exact decimals.
  { where: 'info.rating = 8.3', kind: 'scan' },
  { where: 'info.rating > 8.5', kind: 'scan' },
  { where: 'info.rating >= 8.5', kind: 'scan' },
  { where: 'info.rating < 3', kind: 'scan' },
  { where: '3 >= info.rating', kind: 'scan' },
  { where: 'info.rating BETWEEN 7 AND 7.2', kind: 'scan' },
  { where: 'info.precise > 0.12345678901234567890123456789012345677', kind: 'scan' },
  { where: 'info.huge = 12345678901234567890123456789012345678', kind: 'scan' },
  { where: "info.release_date < '1925'", kind: 'scan' },
  { where: "info.\"release_date\" BETWEEN '1990-01-01' AND '1990-02-01'", kind: 'scan' },
  // Strings compared with numbers and the other way round select nothing of the other type.
  { where: "info.rating = '8.3'", kind: 'scan' },
  { where: "info.rating < 'A'", kind: 'scan' },
  // List indexes, IN, booleans, sets.
  { where: "info.genres[0] IN ['Horror', 'Sci-Fi']", kind: 'scan' },
  { where: "info.actors[0] = 'Tom Hanks'", kind: 'scan' },
  { where: 'info.flag = TRUE', kind: 'scan' },
  { where: 'info.flag = false', kind: 'scan' },
  { where: "tags = <<'b', 'a'>>", kind: 'scan' },
  // Functions, in any case.
  { where: "begins_with(title, 'The ')", kind: 'scan' },
  { where: "contains(info.genres, 'Western')", kind: 'scan' },
  { where: "CONTAINS(title, 'Love')", kind: 'scan' },
  { where: "attribute_type(info.rating, 'S')", kind: 'scan' },
  { where: "attribute_type(info.genres, 'L') AND size(info.genres) = 1", kind: 'scan' },
  { where: 'size(info.actors) < 3', kind: 'scan' },
  { where: 'attribute_exists(info.running_time_secs) AND info.running_time_secs > 10000', kind: 'scan' },
  { where: 'attribute_not_exists(info.genres)', kind: 'scan' },
  // MISSING and the type tests.
  { where: 'info.rank IS MISSING', kind: 'scan' },
  { where: 'info.rating IS NOT MISSING AND info.plot is missing', kind: 'scan' },
  { where: 'info IS STRUCT AND info.genres IS NOT LIST', kind: 'scan' },
  { where: 'info.genres IS LIST AND NOT (info.rating IS NUMERIC)', kind: 'scan' },
  // AND, OR, NOT; negation on the keys is exact.
  { where: '(info.rating > 8.7 OR info.rank < 5) AND year < 1990', kind: 'scan' },
  { where: 'NOT ("year" BETWEEN 1925 AND 2012) AND info.rank IS NOT MISSING', kind: 'scan' },
  { where: "year NOT IN [2013, 2012, 2011, 2010, 2009] AND NOT begins_with(title, 'A') AND info.rating >= 8", kind: 'scan' },
  // Queries: the partition key pinned by =, IN or OR, with sort key conditions and filters.
  { where: '"year" = 2013', kind: 'query' },
  { where: 'year IN [1994, 2013, 1994.0]', kind: 'query' },
  { where: 'year = 2010 OR year = 2011', kind: 'query' },
  { where: "year = 2013 AND title = 'Rush'", kind: 'query' },
  { where: "year = 2013 AND title < 'F'", kind: 'query' },
  { where: "year = 2013 AND 'Rush' = title", kind: 'query' },
  { where: "year = 2013 AND title BETWEEN 'A' AND 'M'", kind: 'query' },
  { where: "year = 2013 AND begins_with(title, 'The')", kind: 'query' },
  { where: "year IN [2012, 2013] AND title >= 'R' AND info.rating > 6", kind: 'query' },
  { where: 'year = 2013 AND info.rating IS NOT MISSING AND (info.rank >= 1000 OR info.rank IS MISSING)', kind: 'query' },
  // Falls back to PartiQL: NOT and <> on attributes items may lack, NULL, arithmetic.
  { where: 'info.rating <> 8', kind: 'partiql' },
  { where: "NOT contains(info.genres, 'Drama') AND year = 2013", kind: 'partiql' },
  { where: 'info.rating IS NULL', kind: 'partiql' },
  { where: 'info.rating = NULL', kind: 'partiql' },
  { where: 'year = 2012 AND NOT (info.rating < 7)', kind: 'partiql' },
  // DynamoDB refuses keys in a Query's filter, and DynamoDB Local's PartiQL runs 'F' <= title as title <= 'F' in a Query.
  { where: "year = 2013 AND title <> 'Rush'", kind: 'partiql' },
  { where: "year = 2013 AND 'F' <= title", kind: 'partiql' },
];

describe('WHERE translation selects what PartiQL selects', () => {
  let dynamo: DynamoDBClient;
  let total: number;

  beforeAll(async () => {
    dynamo = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
    const items = [...(await loadMovies()), ...EXTRA_ITEMS];
    total = items.length;
    await seedTable(dynamo, TABLE, items);
  });
  afterAll(() => dynamo?.destroy());

  async function viaPartiql(where: string): Promise<string[]> {
    const statement = buildSelectStatement({ table: TABLE, where });
    const keys: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await readPage(dynamo, statement, { nextToken });
      keys.push(...page.items.map(movieKey));
      nextToken = page.nextToken;
    } while (nextToken);
    return keys;
  }

  async function viaPlan(plan: ReadPlan): Promise<string[]> {
    const perSegment = await Promise.all(
      Array.from({ length: readPlanSegments(plan) }, async (_, segment) => {
        const keys: string[] = [];
        let cursor;
        do {
          const page = await readTablePage(dynamo, plan, { segment, ...(cursor ? { cursor } : {}) });
          keys.push(...page.items.map(movieKey));
          cursor = page.cursor;
        } while (cursor);
        return keys;
      }),
    );
    return perSegment.flat();
  }

  it.each(FORMS)('$where ($kind)', async ({ where, kind, trivial }) => {
    const { keys } = await describeTableForReading(dynamo, TABLE);
    const plan = planRead({ table: TABLE, where, consistentRead: false, keys, segments: 3 });
    expect(plan.kind, describeReadPlan(plan)).toBe(kind);

    const [expected, got] = await Promise.all([viaPartiql(where), viaPlan(plan)]);
    expect(new Set(got).size, 'no item twice').toBe(got.length);
    expect(got.sort()).toStrictEqual(expected.sort());
    if (!trivial) {
      expect(expected.length, 'selects something').toBeGreaterThan(0);
      expect(expected.length, 'does not select everything').toBeLessThan(total);
    }
  });
});
