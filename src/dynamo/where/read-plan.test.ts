import { describe, expect, it } from 'vitest';
import { describeReadPlan, planRead, readPlanSegments, type PlanReadInput, type ReadKeys } from './read-plan.ts';

const MOVIE_KEYS: ReadKeys = { hash: { name: 'year', type: 'N' }, range: { name: 'title', type: 'S' } };

function plan(where: string | undefined, extra: Partial<PlanReadInput> = {}) {
  return planRead({ table: 'Movies', consistentRead: false, keys: MOVIE_KEYS, segments: 4, ...(where !== undefined ? { where } : {}), ...extra });
}

/** A filter with its placeholders put back, to read at a glance. */
function inline(expression: string, names: Record<string, string>, values: Record<string, unknown>): string {
  return expression.replace(/#n\d+/g, (p) => names[p]!).replace(/:v\d+/g, (p) => JSON.stringify(values[p]));
}

function scanFilter(where: string, extra: Partial<PlanReadInput> = {}): string {
  const result = plan(where, extra);
  if (result.kind !== 'scan' || !result.filter) throw new Error(`expected a filtered scan, got ${JSON.stringify(result)}`);
  return inline(result.filter.expression, result.filter.names, result.filter.values);
}

function fallbackReason(where: string): string {
  const result = plan(where);
  if (result.kind !== 'partiql') throw new Error(`expected PartiQL, got ${JSON.stringify(result)}`);
  return result.reason;
}

describe('planRead without where', () => {
  it('scans in parallel', () => {
    const result = plan(undefined);
    expect(result).toStrictEqual({ kind: 'scan', table: 'Movies', consistentRead: false, segments: 4 });
    expect(describeReadPlan(result)).toBe('parallel Scan, 4 segments');
    expect(readPlanSegments(result)).toBe(4);
  });

  it('names the index and keeps consistentRead', () => {
    const result = plan(undefined, { index: 'ByGenre', consistentRead: true, segments: 1 });
    expect(result).toStrictEqual({ kind: 'scan', table: 'Movies', index: 'ByGenre', consistentRead: true, segments: 1 });
    expect(describeReadPlan(result)).toBe('Scan of index ByGenre, 1 segment');
  });

  it('refuses a segment count that is not a positive integer', () => {
    expect(() => plan(undefined, { segments: 0 })).toThrow('segments must be a positive integer, not 0');
  });
});

describe('planRead: a where that pins the partition key becomes Queries', () => {
  it('year = 2013', () => {
    const result = plan('year = 2013');
    expect(result).toStrictEqual({
      kind: 'query',
      table: 'Movies',
      consistentRead: false,
      hashKey: 'year',
      queries: [{ keyCondition: '#n0 = :v0', names: { '#n0': 'year' }, values: { ':v0': { N: '2013' } } }],
    });
    expect(describeReadPlan(result)).toBe('Query on year (1 partition value)');
    expect(readPlanSegments(result)).toBe(1);
  });

  it('one Query per distinct IN value, equal numbers counted once', () => {
    const result = plan('"year" IN [2013, 2012, 2013.0]');
    if (result.kind !== 'query') throw new Error('expected a query');
    expect(result.queries.map((q) => q.values[':v0'])).toStrictEqual([{ N: '2013.0' }, { N: '2012' }]);
    expect(describeReadPlan(result)).toBe('Query on year (2 partition values)');
  });

  it('an OR of equalities pins too', () => {
    const result = plan('year = 2012 OR 2013 = year');
    expect(result.kind === 'query' && result.queries.length).toBe(2);
  });

  it.each([
    ["year = 2013 AND title = 'Rush'", '#n0 = :v0 AND #n1 = :v1'],
    ["year = 2013 AND title < 'M'", '#n0 = :v0 AND #n1 < :v1'],
    ["year = 2013 AND title <= 'M'", '#n0 = :v0 AND #n1 <= :v1'],
    ["year = 2013 AND 'Rush' = title", '#n0 = :v0 AND #n1 = :v1'],
    ["year = 2013 AND title >= 'M'", '#n0 = :v0 AND #n1 >= :v1'],
    ["year = 2013 AND title BETWEEN 'A' AND 'M'", '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2'],
    ["year = 2013 AND begins_with(title, 'The')", '#n0 = :v0 AND begins_with(#n1, :v1)'],
    ["title > 'M' AND year = 2013", '#n0 = :v0 AND #n1 > :v1'],
  ])('%s takes a sort key condition', (where, keyCondition) => {
    const result = plan(where);
    if (result.kind !== 'query') throw new Error('expected a query');
    expect(result.queries[0]!.keyCondition).toBe(keyCondition);
    expect(result.queries[0]!.filter).toBeUndefined();
    expect(describeReadPlan(result)).toBe('Query on year (1 partition value), sort key condition on title');
  });

  it('the other terms become the filter, sharing names and values with the key condition', () => {
    const result = plan("year IN [2012, 2013] AND title >= 'M' AND info.rating > 8 AND (info.rank IS MISSING OR info.rank < 5)");
    if (result.kind !== 'query') throw new Error('expected a query');
    expect(result.queries[1]).toStrictEqual({
      keyCondition: '#n0 = :v0 AND #n1 >= :v1',
      filter: '#n2.#n3 > :v2 AND (attribute_not_exists(#n2.#n4) OR #n2.#n4 < :v3)',
      names: { '#n0': 'year', '#n1': 'title', '#n2': 'info', '#n3': 'rating', '#n4': 'rank' },
      values: { ':v0': { N: '2013' }, ':v1': { S: 'M' }, ':v2': { N: '8' }, ':v3': { N: '5' } },
    });
    expect(describeReadPlan(result)).toBe('Query on year (2 partition values), sort key condition on title, filter from where');
  });

  it.each([
    // A value of another type, or an empty key string, matches nothing: a filter says so without a ValidationException.
    ["year = '2013'", "year = \"{\\\"S\\\":\\\"2013\\\"}\""],
    ["year = 2013 OR title = 'x'", ''],
    ['year > 2013', ''],
    ['NOT year = 2013', ''],
  ])('%s does not pin the partition key', (where) => {
    expect(plan(where).kind).toBe('scan');
  });

  it('takes no sort key condition with a value of another type', () => {
    // It cannot be a filter either (a Query does not filter on keys), so PartiQL reads the partition.
    expect(plan('year = 2013 AND title > 5').kind).toBe('partiql');
  });

  it('uses the key schema of the index read', () => {
    const result = plan("genre = 'Drama'", { index: 'ByGenre', keys: { hash: { name: 'genre', type: 'S' } } });
    expect(result.kind).toBe('query');
    expect(describeReadPlan(result)).toBe("Query of index ByGenre on genre (1 partition value)");
  });
});

describe('planRead: other translatable wheres become a filtered Scan', () => {
  it.each([
    ['info.rating = 8.3', 'info.rating = {"N":"8.3"}'],
    ['info.rating < 5', 'info.rating < {"N":"5"}'],
    ['info.rating <= 5', 'info.rating <= {"N":"5"}'],
    ['5 < info.rating', 'info.rating > {"N":"5"}'],
    ['info.rating >= 12345678901234567890.123456789012345678', 'info.rating >= {"N":"12345678901234567890.123456789012345678"}'],
    ['info.rating BETWEEN 7 AND 8', 'info.rating BETWEEN {"N":"7"} AND {"N":"8"}'],
    ["info.genres[0] IN ['Drama', 'Comedy']", 'info.genres[0] IN ({"S":"Drama"}, {"S":"Comedy"})'],
    ["begins_with(title, 'The')", 'begins_with(title, {"S":"The"})'],
    ["contains(info.actors, 'Tom Hanks')", 'contains(info.actors, {"S":"Tom Hanks"})'],
    ["attribute_type(info.rating, 'N')", 'attribute_type(info.rating, {"S":"N"})'],
    ['size(info.actors) >= 3', 'size(info.actors) >= {"N":"3"}'],
    ['attribute_exists(info.rank)', 'attribute_exists(info.rank)'],
    ['NOT attribute_exists(info.rank)', 'attribute_not_exists(info.rank)'],
    ['info.rank IS MISSING', 'attribute_not_exists(info.rank)'],
    ['NOT (info.rank IS NOT MISSING)', 'attribute_not_exists(info.rank)'],
    ['info IS STRUCT', 'attribute_type(info, {"S":"M"})'],
    ['info.genres IS NOT LIST', 'NOT attribute_type(info.genres, {"S":"L"})'],
    ['flag = TRUE', 'flag = {"BOOL":true}'],
    ["tags = <<'b', 'a'>>", 'tags = {"SS":["b","a"]}'],
    ["pair = [1, 'x']", 'pair = {"L":[{"N":"1"},{"S":"x"}]}'],
    ["m = {'k': 1}", 'm = {"M":{"k":{"N":"1"}}}'],
    ['NOT (info.rating <> 5)', 'info.rating = {"N":"5"}'],
    ['"info"."the ""x"""[2] = 1', 'info.the "x"[2] = {"N":"1"}'],
    // On a key attribute with a value of its type, negations are exact: every item holds it.
    ["title <> 'Rush'", 'title <> {"S":"Rush"}'],
    ['year NOT BETWEEN 2000 AND 2010', '(year < {"N":"2000"} OR year > {"N":"2010"})'],
    ['year NOT IN [2000, 2010]', 'NOT (year IN ({"N":"2000"}, {"N":"2010"}))'],
    ["NOT begins_with(title, 'The')", 'NOT begins_with(title, {"S":"The"})'],
    ['NOT year < 2000', 'year >= {"N":"2000"}'],
  ])('%s', (where, filter) => {
    expect(scanFilter(where)).toBe(filter);
  });

  it('keeps NOT (a AND b) grouped inside an OR', () => {
    expect(scanFilter('year = 2000 OR NOT (year > 2010 AND title IS MISSING)')).toBe(
      'year = {"N":"2000"} OR (year <= {"N":"2010"} OR attribute_exists(title))',
    );
  });

  it('groups AND and OR, pushing NOT inwards', () => {
    expect(scanFilter("(info.rating > 8 OR info.rank < 10) AND NOT (info.rank IS MISSING OR year = 2000)")).toBe(
      '(info.rating > {"N":"8"} OR info.rank < {"N":"10"}) AND (attribute_exists(info.rank) AND year <> {"N":"2000"})',
    );
  });

  it('gives every distinct name one placeholder', () => {
    const result = plan('info.rating > 5 AND info.rank < 3 AND "year" > 2000');
    expect(result.kind === 'scan' && result.filter).toStrictEqual({
      expression: '#n0.#n1 > :v0 AND #n0.#n2 < :v1 AND #n3 > :v2',
      names: { '#n0': 'info', '#n1': 'rating', '#n2': 'rank', '#n3': 'year' },
      values: { ':v0': { N: '5' }, ':v1': { N: '3' }, ':v2': { N: '2000' } },
    });
    expect(describeReadPlan(result)).toBe('parallel Scan, 4 segments, filter from where');
  });

  it('is plain JSON', () => {
    const result = plan("year IN [2012, 2013] AND contains(info.genres, 'Drama')");
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
  });
});

describe('planRead: what a FilterExpression cannot say exactly stays PartiQL', () => {
  it.each([
    ['info.rating <> 5', 'where uses <> on info.rating, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ['NOT info.rating = 5', 'where uses NOT (=) on info.rating, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ['NOT (info.rating < 5)', 'where uses NOT (<) on info.rating, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ['info.rating NOT BETWEEN 1 AND 5', 'where uses NOT BETWEEN on info.rating, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ["info.genres[0] NOT IN ['Drama']", 'where uses NOT IN on info.genres[0], which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ["NOT contains(info.actors, 'x')", 'where uses NOT contains on info.actors, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ["NOT attribute_type(info.rating, 'N')", 'where uses NOT attribute_type on info.rating, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ['size(info.actors) <> 3', 'where uses <> on an attribute, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ["title <> 5", 'where uses <> on title, which PartiQL may treat differently from a FilterExpression when it is missing or NULL'],
    ['info.rating = NULL', 'where compares with NULL, which PartiQL may treat as unknown where a FilterExpression matches NULL values'],
    ['info.rating IN [1, NULL]', 'where compares with NULL, which PartiQL may treat as unknown where a FilterExpression matches NULL values'],
    ['info.rating IS NULL', 'where uses IS NULL; PartiQL may count a missing attribute as NULL, a FilterExpression does not'],
    ['info.rating IS NOT NULL', 'where uses IS NOT NULL; PartiQL may count a missing attribute as NULL, a FilterExpression does not'],
    ['info.rating + 1 > 5', 'where uses arithmetic (+), which a FilterExpression cannot compute'],
    ['info.rating = info.rank', 'where compares two attributes, which DynamoDB PartiQL refuses or evaluates its own way'],
    ['1 = 1', 'where compares two values with each other'],
    ['info.rank IS MISSING = TRUE', 'where compares a condition with a value'],
  ])('%s', (where, reason) => {
    expect(fallbackReason(where)).toBe(reason);
  });

  it('keeps the statement PartiQL would run, on the index when one is read', () => {
    const result = plan('info.rating <> 5', { index: 'ByGenre' });
    expect(result).toMatchObject({ kind: 'partiql', statement: 'SELECT * FROM "Movies"."ByGenre" WHERE info.rating <> 5' });
    expect(describeReadPlan(result)).toBe(
      'PartiQL paging (where uses <> on info.rating, which PartiQL may treat differently from a FilterExpression when it is missing or NULL)',
    );
    expect(readPlanSegments(result)).toBe(1);
  });

  it('falls back when a pinned partition is filtered on a key, which a Query filter cannot do', () => {
    expect(fallbackReason("year = 2013 AND title <> 'Rush'")).toBe(
      "where tests the key attribute title beyond what a Query's key condition holds, and a Query cannot filter on keys",
    );
    expect(fallbackReason("year = 2013 AND title >= 'A' AND title < 'M'")).toContain('where tests the key attribute title');
    expect(fallbackReason('year IN [2012, 2013] AND year < 2013')).toContain('where tests the key attribute year');
  });

  it("falls back on 'F' <= title with a pinned partition, which DynamoDB Local's PartiQL reads as title <= 'F'", () => {
    expect(fallbackReason("year = 2013 AND 'F' <= title")).toBe(
      "where compares the sort key title with a value on its left, which DynamoDB Local's PartiQL does not mirror in a Query; " +
        'PartiQL keeps its own reading (put title on the left for a Query)',
    );
    // Without a Query, the comparison means what it says.
    expect(scanFilter("'F' <= title")).toBe('title >= {"S":"F"}');
  });

  it('falls back when the partition is pinned but the rest is not translatable', () => {
    expect(plan('year = 2013 AND info.rating <> 5').kind).toBe('partiql');
  });

  it('falls back when the expression would pass 4 KB', () => {
    const where = Array.from({ length: 300 }, (_, i) => `info.a${i} = ${i}`).join(' OR ');
    expect(fallbackReason(where)).toBe("where makes an expression longer than DynamoDB's 4096 bytes");
  });

  it('throws on a where that is not one condition', () => {
    expect(() => plan('a = 1; DELETE FROM Movies')).toThrow('where: column 6, ";": a where is a single condition');
  });
});

describe('planRead with whole collections: the roots by the plan above, then a Query per collection', () => {
  const SINGLE_TABLE: ReadKeys = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'S' } };
  const collections = (where: string) => planRead({ table: 'SingleTable', consistentRead: true, keys: SINGLE_TABLE, segments: 4, where, wholeCollections: true });

  it('roots found by key: a Query per partition value, whatever else the where says', () => {
    const result = collections("pk IN ['ACCOUNT#1', 'ACCOUNT#2'] AND sk = 'PROFILE'");
    expect(result).toMatchObject({ kind: 'collections', table: 'SingleTable', consistentRead: true, hashKey: 'pk', where: "pk IN ['ACCOUNT#1', 'ACCOUNT#2'] AND sk = 'PROFILE'" });
    if (result.kind !== 'collections') throw new Error('expected collections');
    expect(result.roots).toMatchObject({ kind: 'query', table: 'SingleTable', consistentRead: true, rangeKey: 'sk' });
    expect(readPlanSegments(result)).toBe(1);
    expect(describeReadPlan(result)).toBe('whole collections: roots by Query on pk (2 partition values), sort key condition on sk, then a Query on pk per collection');
  });

  it('roots found by a condition: a filtered parallel Scan first', () => {
    const result = collections("plan = 'team'");
    if (result.kind !== 'collections') throw new Error('expected collections');
    expect(result.roots).toMatchObject({ kind: 'scan', segments: 4 });
    expect(readPlanSegments(result)).toBe(4);
    expect(describeReadPlan(result)).toBe('whole collections: roots by parallel Scan, 4 segments, filter from where, then a Query on pk per collection');
  });

  it('is read from the base table, and needs a where', () => {
    expect(() => planRead({ table: 'T', index: 'GSI1', consistentRead: false, keys: SINGLE_TABLE, segments: 1, where: 'a = 1', wholeCollections: true })).toThrow(/base table/);
    expect(() => planRead({ table: 'T', consistentRead: false, keys: SINGLE_TABLE, segments: 1, wholeCollections: true })).toThrow(/where/);
  });
});

describe('references plans: segments and the report line', () => {
  const parent = planRead({ table: 'Users', where: "plan = 'enterprise'", consistentRead: false, keys: { hash: { name: 'userId', type: 'S' } }, segments: 4 });
  const base = { kind: 'references' as const, table: 'Orders', consistentRead: false, attribute: 'customerId', parent, parentKey: 'userId' };

  it('through a GSI: the selection\'s segments, a Query per key, the limit said', () => {
    const plan = { ...base, via: { kind: 'index' as const, index: 'ByCustomer', limit: 5 } };
    expect(readPlanSegments(plan)).toBe(4);
    expect(describeReadPlan(plan)).toBe(
      'references to Users.userId selected by parallel Scan, 4 segments, filter from where; Query of index ByCustomer on customerId per selected key (at most 5, newest first)',
    );
  });

  it("without one: the Scan's own segments", () => {
    const plan = { ...base, via: { kind: 'scan' as const, segments: 1 } };
    expect(readPlanSegments(plan)).toBe(1);
    expect(describeReadPlan(plan)).toBe(
      'references to Users.userId selected by parallel Scan, 4 segments, filter from where; Scan, 1 segment keeping items whose customerId is a selected key (no GSI on customerId)',
    );
  });
});

describe('ring plans and unions: segments and the report line', () => {
  const users = { table: 'Users', consistentRead: false, hashKey: 'userId', where: "plan = 'enterprise'", attribute: 'teamId', segments: 4 };
  const teams = { table: 'Teams', consistentRead: false, hashKey: 'teamId', attribute: 'ownerId', segments: 2 };

  it('says it walks the cycle, from which where, and how the first member is read', () => {
    const plan = { kind: 'ring' as const, table: 'Users', consistentRead: false, members: [users, teams] };
    expect(readPlanSegments(plan)).toBe(4);
    expect(describeReadPlan(plan)).toBe(
      "references round Users -> Teams -> Users from Users where plan = 'enterprise', walked until a pass adds nothing; parallel Scan, 4 segments keeping items whose where holds or whose teamId is a selected key",
    );
    const teamsFirst = { ...plan, table: 'Teams', members: [teams, users] };
    expect(readPlanSegments(teamsFirst)).toBe(2);
    expect(describeReadPlan(teamsFirst)).toBe(
      "references round Teams -> Users -> Teams from Users where plan = 'enterprise', walked until a pass adds nothing; parallel Scan, 2 segments keeping items whose ownerId is a selected key",
    );
  });

  it('names the members the walk reads by a Query of their GSI', () => {
    const plan = { kind: 'ring' as const, table: 'Users', consistentRead: false, members: [users, { ...teams, index: 'ByOwner' }] };
    expect(describeReadPlan(plan)).toBe(
      "references round Users -> Teams -> Users from Users where plan = 'enterprise', walked until a pass adds nothing (Teams by a Query of index ByOwner per new key); parallel Scan, 4 segments keeping items whose where holds or whose teamId is a selected key",
    );
  });

  it('a table that follows a ring member says the walk in its parent', () => {
    const ring = { kind: 'ring' as const, table: 'Users', consistentRead: false, members: [users, teams] };
    const plan = { kind: 'references' as const, table: 'Orders', consistentRead: false, attribute: 'customerId', parent: ring, parentKey: 'userId', via: { kind: 'scan' as const, segments: 1 } };
    expect(describeReadPlan(plan)).toMatch(/^references to Users\.userId selected by \(references round Users -> Teams -> Users from .*\); Scan, 1 segment keeping items whose customerId is a selected key \(no GSI on customerId\)$/);
  });

  it('a union names its own where beside the reference', () => {
    const parent = planRead({ table: 'Teams', consistentRead: false, keys: { hash: { name: 'teamId', type: 'S' } }, segments: 1 });
    const plan = { kind: 'references' as const, table: 'Users', consistentRead: false, attribute: 'teamId', where: "plan = 'enterprise'", parent, parentKey: 'teamId', via: { kind: 'scan' as const, segments: 4 } };
    expect(describeReadPlan(plan)).toBe("references to Teams.teamId selected by Scan, 1 segment; parallel Scan, 4 segments keeping items where plan = 'enterprise' holds or whose teamId is a selected key");
  });
});
