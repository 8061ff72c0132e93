/**
 * `npm run bench:spread`: what spreading a page's puts over partition keys
 * (src/dynamo/partition-spread.ts) costs on DynamoDB Local, which has no
 * partitions to throttle: the same pages written in Scan order and spread,
 * turn about, by the batch writer copyPages uses (4 segments, 2 requests in
 * flight each, as a worker's default 8 per table divides).
 *
 * The pages are read once beforehand (a 4-segment Scan of replicated
 * moviedata, hash key `year`), so the clock covers writing only. Also
 * reports how many partition keys a BatchWriteItem request spans either
 * way, and the CPU time of the reordering itself.
 *
 * Flags: --items N (default 50,000), --rounds N (default 3), --out FILE.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { DeleteTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../model/item.ts';
import { BATCH_SIZE, writeItems } from '../src/dynamo/batch-writer.ts';
import { createDynamoClient } from '../src/dynamo/clients.ts';
import { spreadOverPartitions } from '../src/dynamo/partition-spread.ts';
import { startDynamoDbLocal } from '../src/local-stack/dynamodb-local.ts';
import { recreateTable } from '../src/local-stack/seed.ts';
import { describeMachine } from './support/machine.ts';
import { replicatedMovies, seedReplicated } from './support/replicated-movies.ts';

const SOURCE = 'SpreadMovies';
const KEYS = ['year', 'title'] as const;
const SEGMENTS = 4;
const PER_SEGMENT = 2;

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/partition-spread.json', import.meta.url)) },
  },
});
const items = Number(values.items);
const rounds = Number(values.rounds);
const log = (line: string) => console.error(line);
const round = (value: number, places: number) => Number(value.toFixed(places));

async function scanPages(dynamo: DynamoDBClient): Promise<Item[][][]> {
  const segment = async (Segment: number) => {
    const pages: Item[][] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: SOURCE, Segment, TotalSegments: SEGMENTS, ExclusiveStartKey }));
      pages.push((page.Items ?? []) as Item[]);
      ExclusiveStartKey = page.LastEvaluatedKey as Item | undefined;
    } while (ExclusiveStartKey);
    return pages;
  };
  return Promise.all(Array.from({ length: SEGMENTS }, (_, i) => segment(i)));
}

/** Partition keys per request of 25, averaged over every page's requests. */
function partitionsPerRequest(segments: Item[][][], spread: boolean): number {
  let requests = 0;
  let partitions = 0;
  for (const page of segments.flat()) {
    const ordered = spread ? spreadOverPartitions(page, KEYS[0]) : page;
    for (let i = 0; i < ordered.length; i += BATCH_SIZE) {
      requests++;
      partitions += new Set(ordered.slice(i, i + BATCH_SIZE).map((item) => item.year!.N)).size;
    }
  }
  return round(partitions / requests, 1);
}

async function writeAll(dynamo: DynamoDBClient, table: string, segments: Item[][][], spread: boolean): Promise<number> {
  await recreateTable(dynamo, table);
  const start = performance.now();
  await Promise.all(
    segments.map(async (pages) => {
      for (const page of pages) await writeItems(dynamo, table, page, { keyAttributes: KEYS, concurrency: PER_SEGMENT, spreadPartitions: spread });
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await dynamo.send(new DeleteTableCommand({ TableName: table }));
  return seconds;
}

const machine = await describeMachine();
// DynamoDB Local alone: no Temporal server takes a share of the two cores.
const stack = await startDynamoDbLocal();
const dynamo = createDynamoClient({ region: 'us-east-1', endpoint: stack.endpoint });
try {
  log(`seeding ${items} items…`);
  await seedReplicated(dynamo, SOURCE, await replicatedMovies(items));
  const segments = await scanPages(dynamo);
  const all = segments.flat();
  log(`${all.length} pages of ${SEGMENTS} segments`);

  // The reordering alone, in CPU time of this process.
  const cpu = process.cpuUsage();
  for (let i = 0; i < 5; i++) for (const page of all) spreadOverPartitions(page, KEYS[0]);
  const { user, system } = process.cpuUsage(cpu);
  const spreadMicrosecondsPerItem = round((user + system) / (5 * items), 3);

  const seconds: Record<'scanOrder' | 'spread', number[]> = { scanOrder: [], spread: [] };
  const loadBefore = loadavg()[0]!;
  for (let r = 0; r < rounds; r++) {
    // Turn about, so drift in the machine's load falls on both.
    for (const spread of r % 2 === 0 ? [false, true] : [true, false]) {
      const s = await writeAll(dynamo, `SpreadCopy-${r}-${spread}`, segments, spread);
      seconds[spread ? 'spread' : 'scanOrder'].push(round(s, 2));
      log(`  round ${r + 1} ${spread ? 'spread' : 'scan order'}: ${Math.round(items / s)} items/s`);
    }
  }
  const total = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const results = {
    machine,
    loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2) },
    items,
    pages: all.length,
    segments: SEGMENTS,
    requestsInFlightPerSegment: PER_SEGMENT,
    secondsPerRound: seconds,
    itemsPerSecond: { scanOrder: Math.round((items * rounds) / total(seconds.scanOrder)), spread: Math.round((items * rounds) / total(seconds.spread)) },
    spreadOverScanOrder: round(total(seconds.scanOrder) / total(seconds.spread), 3),
    partitionKeysPerRequest: { scanOrder: partitionsPerRequest(segments, false), spread: partitionsPerRequest(segments, true) },
    spreadMicrosecondsPerItem,
    notes: [
      'DynamoDB Local keeps no partitions, so this shows the cost of spreading, not its benefit: on DynamoDB a request spanning 1 partition key writes to one partition.',
      'spreadOverScanOrder is throughput spread / scan order over all rounds; 1.0 is no cost.',
    ],
  };
  console.log(JSON.stringify(results, null, 2));
  const out = resolve(values.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${relative(process.cwd(), out)}`);
} finally {
  dynamo.destroy();
  await stack.stop();
}
