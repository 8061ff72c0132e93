/**
 * `dynamask plan` against DynamoDB Local, through the command module as the
 * CLI registers it: its figures next to what DynamoDB Local itself reports
 * for the same reads and writes, the JSON shape, and that planning wrote
 * nothing and printed no item value.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DescribeTableCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { registerPlanCommand } from '../../src/cli/plan-command.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import type { JobEstimate } from '../../src/sizing/job-estimate.ts';
import { itemSize } from '../../model/item-size.ts';
import { itemWriteUnits } from '../../src/sizing/capacity-units.ts';
import { buildPlan } from '../../transformers/plan.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { scanAll } from '../support/stack.ts';

/** Partitioned by title: thousands of partition keys, so a spread sample sees items, not a few large partitions. */
const BY_TITLE = {
  KeySchema: [
    { AttributeName: 'title', KeyType: 'HASH' as const },
    { AttributeName: 'year', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'title', AttributeType: 'S' as const },
    { AttributeName: 'year', AttributeType: 'N' as const },
  ],
};
const QUERY_YEARS = [1931, 1936, 1939];
const ACTORS = { 'info.actors[*]': { type: 'fullName', options: {} } };

async function plan(args: string[]): Promise<string> {
  let out = '';
  const program = new Command('dynamask').exitOverride().configureOutput({ writeErr: () => {} });
  registerPlanCommand(program, { print: (text) => (out += text) });
  await program.parseAsync(['node', 'dynamask', 'plan', ...args]);
  return out;
}

async function exists(dynamo: DynamoDBClient, table: string): Promise<boolean> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: table }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

describe('dynamask plan', () => {
  let dynamo: DynamoDBClient;
  let movies: Item[];
  let jobFile: string;
  let text: string;
  let estimate: JobEstimate;

  beforeAll(async () => {
    const endpoint = inject('dynamoEndpoint');
    dynamo = createDynamoClient({ endpoint });
    movies = await loadMovies();
    await seedTable(dynamo, 'PlanMovies', movies);
    await seedTable(dynamo, 'PlanMoviesByTitle', movies, BY_TITLE);
    await recreateTable(dynamo, 'PlanMoviesCopy');
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-plan-'));
    jobFile = join(dir, 'plan.yaml');
    await writeFile(
      jobFile,
      [
        'name: plan-e2e',
        'connections:',
        '  local:',
        `    endpoint: ${endpoint}`,
        'source: local',
        'destination: local',
        'salt: plan-e2e-salt',
        'defaults: { S: passthrough, SS: passthrough }',
        'tables:',
        '  - source: PlanMovies',
        '    destination: PlanMoviesNew',
        '    createTable: true',
        '  - source: PlanMovies',
        '    destination: PlanMoviesCopy',
        `    where: '"year" IN [${QUERY_YEARS.join(', ')}] AND info.rating >= 7'`,
        '    transformers:',
        '      info.actors[*]: fullName',
        '  - source: PlanMoviesByTitle',
        '    destination: PlanByTitleNew',
        '    createTable: true',
        `    where: '"year" >= 2010'`,
        '    mode: replace',
        '',
      ].join('\n'),
    );
    text = await plan([jobFile]);
    estimate = JSON.parse(await plan([jobFile, '--json'])) as JobEstimate;
  });
  afterAll(() => dynamo?.destroy());

  it('sizes a whole-table copy as DynamoDB Local counts its reads and writes', async () => {
    const [whole] = estimate.tables;
    expect(whole).toMatchObject({ source: 'PlanMovies', destination: 'PlanMoviesNew', mode: 'upsert' });
    expect(whole!.readPlan).toEqual({ kind: 'scan', text: 'parallel Scan, 4 segments', segments: 4, readsWholeTable: true });
    expect(whole!.table).toMatchObject({ items: 4609, from: 'DescribeTable' });
    expect(whole!.selected.items).toBe(4609);

    // What DynamoDB Local charges for the run's read: the same 4-segment Scan.
    let consumedReads = 0;
    for (let segment = 0; segment < 4; segment++) {
      let ExclusiveStartKey: Item | undefined;
      do {
        const page = await dynamo.send(new ScanCommand({ TableName: 'PlanMovies', Segment: segment, TotalSegments: 4, ExclusiveStartKey, ReturnConsumedCapacity: 'TOTAL' }));
        consumedReads += page.ConsumedCapacity?.CapacityUnits ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey as Item | undefined;
      } while (ExclusiveStartKey);
    }
    expect(Math.abs(whole!.read.units / consumedReads - 1)).toBeLessThan(0.02);
    expect(whole!.read.unitsIf.strong).toBe(2 * whole!.read.unitsIf.eventual);

    // What it charges for the run's writes: every item put, into a table of their own.
    await recreateTable(dynamo, 'PlanWriteProbe');
    let consumedWrites = 0;
    for (let i = 0; i < movies.length; i += 25) {
      const batch = movies.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      const out = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { PlanWriteProbe: batch }, ReturnConsumedCapacity: 'TOTAL' }));
      expect(out.UnprocessedItems?.PlanWriteProbe ?? []).toHaveLength(0);
      consumedWrites += out.ConsumedCapacity?.[0]?.CapacityUnits ?? 0;
    }
    expect(Math.abs(whole!.write.units / consumedWrites - 1)).toBeLessThan(0.05);
    // createTable makes an on-demand table, which starts at 4,000 write units a second.
    expect(whole!.duration.copy.bounds).toContainEqual({ name: 'destinationCapacity', itemsPerSecond: expect.any(Number), doublesEverySeconds: 1800 });
  });

  it('reads only the partitions of a Query plan, and knows them exactly when the sample holds them all', async () => {
    const query = estimate.tables[1]!;
    expect(query.readPlan).toEqual({ kind: 'query', text: 'Query on year (3 partition values), filter from where', segments: 1, readsWholeTable: false });
    const inYears = movies.filter((m) => QUERY_YEARS.includes(Number(m.year!.N)));
    const selected = inYears.filter((m) => Number(m.info?.M?.rating?.N ?? '0') >= 7);
    expect(query.sample.complete).toBe(true);
    expect(query.read).toMatchObject({ items: inYears.length, bytes: inYears.reduce((sum, m) => sum + itemSize(m), 0), atLeast: false });
    expect(query.selected).toMatchObject({ items: selected.length, atLeast: false });

    let consumed = 0;
    for (const year of QUERY_YEARS) {
      const out = await dynamo.send(
        new QueryCommand({ TableName: 'PlanMovies', KeyConditionExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'year' }, ExpressionAttributeValues: { ':y': { N: String(year) } }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      consumed += out.ConsumedCapacity?.CapacityUnits ?? 0;
    }
    expect(query.read.units).toBe(consumed);

    // Writes are the transformed items' sizes, item by item.
    const transform = buildPlan({ transformers: ACTORS, defaults: { S: { type: 'passthrough', options: {} }, SS: { type: 'passthrough', options: {} } }, keyAttributes: ['year', 'title'], salt: 'plan-e2e-salt' }, builtinRegistry);
    const written = await transform.transformPage(selected, { typeMismatches: 0 });
    transform.dispose();
    expect(query.write.units).toBe(written.reduce((sum, item) => sum + itemWriteUnits(itemSize(item)), 0));
  });

  it('estimates the share a filtered Scan selects while reading the whole table, and the prune of mode replace', () => {
    const filtered = estimate.tables[2]!;
    expect(filtered.readPlan).toMatchObject({ kind: 'scan', text: 'parallel Scan, 4 segments, filter from where', readsWholeTable: true });
    expect(filtered.read.items).toBe(4609);
    expect(filtered.read.units).toBe(estimate.tables[0]!.read.units);
    // 1,504 of the 4,609 movies are from 2010 on.
    expect(Math.abs(filtered.selected.share - 1504 / 4609)).toBeLessThan(0.1);
    expect(Math.abs(filtered.selected.items - 1504)).toBeLessThan(461);
    // Nearly every sampled movie is a partition of its own here, and each was counted.
    expect(filtered.sample.weighted!.partitions).toBeGreaterThan(150);
    expect(filtered.sample.weighted!.counted).toBe(filtered.sample.weighted!.partitions);
    // A new destination: nothing to delete, every copied key checked.
    expect(filtered.prune).toMatchObject({ checkedItems: filtered.selected.items, deletes: 0, writeUnits: 0 });
    expect(filtered.notes).toContain('a Scan with a filter reads and pays for the whole table, not only the subset');
  });

  it('prints the same figures as text, with the prices and assumptions they rest on', () => {
    const [whole, query] = estimate.tables;
    expect(text).toMatch(/^PlanMovies -> PlanMoviesNew \(upsert\)$/m);
    expect(text).toContain('  table     4,609 items, 2.0 MiB (DescribeTable)');
    expect(text).toContain('  read plan parallel Scan, 4 segments: reads the whole table');
    expect(text).toContain(`  reads     4,609 items, 2.0 MiB: ${whole!.read.units.toLocaleString('en-US')} RCU eventually consistent`);
    expect(text).toContain('  read plan Query on year (3 partition values), filter from where: reads only the partitions it names');
    expect(text).toContain(`  writes    ${query!.write.items} items of ~`);
    expect(text).toMatch(/^total: [\d,.]+ RCU, [\d,.]+ WCU, \$[\d.]+ on demand, /m);
    expect(text).toContain('prices: USD 0.125 per million read and 0.625 per million write request units (us-east-1 on-demand list prices');
    expect(text).toContain('assumed: 1 worker at 4,000 items/s each');
  });

  it('prints JSON with the job, prices, assumptions, tables and total', () => {
    expect(Object.keys(estimate)).toEqual(['job', 'prices', 'assumptions', 'tables', 'total']);
    expect(estimate).toMatchObject({ job: 'plan-e2e', prices: { readPerMillion: 0.125, writePerMillion: 0.625, currency: 'USD' }, assumptions: { workers: 1, itemsPerSecondPerWorker: 4000 } });
    expect(Object.keys(estimate.tables[0]!)).toEqual(['source', 'destination', 'mode', 'readPlan', 'table', 'sample', 'selected', 'read', 'write', 'cost', 'duration', 'notes']);
    expect(Object.keys(estimate.total)).toEqual(['readUnits', 'writeUnits', 'cost', 'seconds', 'boundBy']);
  });

  it('takes prices and worker figures from the command line', async () => {
    const custom = JSON.parse(await plan([jobFile, '--json', '--table', 'PlanMovies', '--workers', '3', '--items-per-second-per-worker', '500', '--read-price', '0.25', '--write-price', '1.25'])) as JobEstimate;
    expect(custom.tables.map((t) => t.destination)).toEqual(['PlanMoviesNew', 'PlanMoviesCopy']);
    expect(custom.prices).toMatchObject({ readPerMillion: 0.25, writePerMillion: 1.25, source: 'as given' });
    const whole = custom.tables[0]!;
    expect(whole.cost.total).toBeCloseTo((whole.read.units * 0.25 + whole.write.units * 1.25) / 1e6, 12);
    expect(whole.duration.copy.bounds).toContainEqual({ name: 'workers', itemsPerSecond: 1500 });
    await expect(plan([jobFile, '--workers', '0'])).rejects.toThrow(CommanderError);
    await expect(plan([jobFile, '--sample', '5000'])).rejects.toThrow('--sample: expected a whole number from 1 to 1000, not "5000"');
  });

  it('wrote nothing: no table created, none changed', async () => {
    expect(await exists(dynamo, 'PlanMoviesNew')).toBe(false);
    expect(await exists(dynamo, 'PlanByTitleNew')).toBe(false);
    expect(await scanAll(dynamo, 'PlanMoviesCopy')).toHaveLength(0);
    expect(await scanAll(dynamo, 'PlanMovies')).toHaveLength(4609);
  });

  it('printed no item value', () => {
    // Titles long enough not to be ordinary words of the output.
    const titles = movies.map((m) => m.title!.S!).filter((title) => title.length >= 8);
    const json = JSON.stringify(estimate);
    for (const title of titles) {
      expect(text).not.toContain(title);
      expect(json).not.toContain(title);
    }
  });
});
