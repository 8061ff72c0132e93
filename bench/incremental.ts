/**
 * `npm run bench:incremental`: mode incremental against a full copy of the
 * same job, on the same source in one run of the local stack.
 *
 * Seeds moviedata replicated to --items items (default 100,000) without a
 * stream, enables a NEW_AND_OLD_IMAGES stream (as a user would, with
 * UpdateTable; dynamask never does), and takes the incremental job's
 * baseline. Then, --rounds times (default 2): changes --changed of the items
 * (default 1%: 80% modified, 10% deleted, 10% new), runs the incremental job
 * and the same job with `mode: upsert` into a fresh table, each on its own
 * `dynamask worker` process, and checks that the two destinations are equal
 * item for item. Wall time is start to result; items read are the stream
 * records for the incremental run and the items scanned for the full copy.
 * Writes bench/results/incremental.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DeleteItemCommand, DeleteTableCommand, PutItemCommand, ScanCommand, UpdateItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Client } from '@temporalio/client';
import { startRun } from '../src/client/runs.ts';
import { createDynamoClient } from '../src/dynamo/clients.ts';
import type { Item } from '../model/item.ts';
import type { Job } from '../model/job.ts';
import { parseJob } from '../src/job/job-loader.ts';
import { startLocalStack } from '../src/local-stack/local-stack.ts';
import { recreateTable } from '../src/local-stack/seed.ts';
import { connectClient, temporalTarget } from '../src/temporal/connection.ts';
import type { TableReport } from '../workflows/shared.ts';
import { benchJobYaml, REALISTIC_BUILTINS } from './support/bench-jobs.ts';
import { describeMachine } from './support/machine.ts';
import { replicatedMovies, seedReplicated, type ReplicatedMovies } from './support/replicated-movies.ts';
import { spawnWorkerProcess } from './support/worker-process.ts';

const SOURCE = 'BenchIncrSource';
const INCREMENTAL = 'BenchIncrCopy';
const FULL = 'BenchIncrFull';
const DEFAULT_OUT = fileURLToPath(new URL('./results/incremental.json', import.meta.url));
const since = (start: number) => (performance.now() - start) / 1000;

interface Measured {
  seconds: number;
  itemsRead: number;
  table: TableReport;
}

export async function runIncrementalBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { items: { type: 'string', default: '100000' }, changed: { type: 'string', default: '0.01' }, rounds: { type: 'string', default: '2' }, out: { type: 'string', default: DEFAULT_OUT } },
    strict: true,
  });
  const items = Number(values.items);
  const share = Number(values.changed);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(items) || items < 100) throw new Error(`--items: expected a whole number of at least 100, got "${values.items}"`);
  if (!(share > 0 && share < 1)) throw new Error(`--changed: expected a share between 0 and 1, got "${values.changed}"`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a positive whole number, got "${values.rounds}"`);
  const log = (line: string) => console.log(line);

  const machine = await describeMachine();
  log(`machine: ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, DynamoDB Local ${machine.dynamodbLocal}`);
  const stack = await startLocalStack({ log });
  const dynamo = createDynamoClient({ region: 'us-east-1', endpoint: stack.dynamoEndpoint });
  let client: Client | undefined;
  const taskQueue = `bench-incremental-${process.pid}`;
  const worker = await spawnWorkerProcess({ temporalAddress: stack.temporalAddress, namespace: stack.namespace, taskQueue });
  try {
    client = await connectClient(temporalTarget({ address: stack.temporalAddress, namespace: stack.namespace }));
    const data = await replicatedMovies(items);
    log(`seeding ${SOURCE} with ${items.toLocaleString('en-US')} items, then enabling its stream…`);
    await seedReplicated(dynamo, SOURCE, data);
    await dynamo.send(new UpdateTableCommand({ TableName: SOURCE, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    const spec = (mode: string, destination: string) => ({ name: `bench-incremental-${mode}`, endpoint: stack.dynamoEndpoint, source: SOURCE, destination, transformers: REALISTIC_BUILTINS });
    const incrementalJob = parseJob(benchJobYaml(spec('incremental', INCREMENTAL)).replace('tables:', 'mode: incremental\ntables:'), 'bench-incremental.yaml');
    const fullJob = parseJob(benchJobYaml(spec('upsert', FULL)), 'bench-full.yaml');
    const run = async (job: Job): Promise<Measured> => {
      const start = performance.now();
      const table = (await (await startRun(client!, job, { taskQueue })).result()).tables[0]!;
      return { seconds: since(start), itemsRead: table.read + (table.records ?? 0), table };
    };

    await recreateTable(dynamo, INCREMENTAL);
    const baseline = await run(incrementalJob);
    log(`baseline: ${baseline.seconds.toFixed(1)} s, ${baseline.table.read} items read (${baseline.table.stream?.fallback ?? 'no fallback'})`);

    const results = [];
    for (let round = 1; round <= rounds; round++) {
      const changes = await changeShare(dynamo, data, share, round);
      const incremental = await run(incrementalJob);
      if (incremental.table.stream?.fallback) throw new Error(`the incremental run copied in full: ${incremental.table.stream.fallback}`);
      await recreateTable(dynamo, FULL);
      const full = await run(fullJob);
      const [a, b] = await Promise.all([contentOf(dynamo, INCREMENTAL), contentOf(dynamo, FULL)]);
      const differing = a.length !== b.length ? Math.abs(a.length - b.length) : a.filter((text, i) => text !== b[i]).length;
      if (differing > 0) throw new Error(`round ${round}: the incremental destination differs from the full copy in ${differing} item(s)`);
      await dynamo.send(new DeleteTableCommand({ TableName: FULL }));
      const row = {
        round,
        changes,
        incremental: { seconds: round2(incremental.seconds), itemsRead: incremental.itemsRead, records: incremental.table.records ?? 0, puts: incremental.table.puts ?? 0, deletes: incremental.table.removes ?? 0 },
        full: { seconds: round2(full.seconds), itemsRead: full.itemsRead, written: full.table.written },
        ratios: { wallTime: round2(full.seconds / incremental.seconds), itemsRead: round2(full.itemsRead / Math.max(1, incremental.itemsRead)) },
        destinationItems: a.length,
      };
      log(
        `round ${round}: ${changes} changes; incremental ${row.incremental.seconds} s, ${row.incremental.itemsRead} records read; ` +
          `full copy ${row.full.seconds} s, ${row.full.itemsRead} items read; ratios: wall time ${row.ratios.wallTime}×, items read ${row.ratios.itemsRead}×; destinations equal (${a.length} items)`,
      );
      results.push(row);
    }
    await mkdir(dirname(values.out), { recursive: true });
    await writeFile(values.out, `${JSON.stringify({ machine, items, changedShare: share, baselineSeconds: round2(baseline.seconds), rounds: results }, null, 2)}\n`);
    log(`wrote ${values.out}`);
  } finally {
    await worker.stop();
    await client?.connection.close();
    dynamo.destroy();
    await stack.stop();
  }
}

/** Changes `share` of the items as an application would, one call each, 8 at a time: 80% modified, 10% deleted, 10% new. */
async function changeShare(dynamo: DynamoDBClient, data: ReplicatedMovies, share: number, round: number): Promise<number> {
  const count = Math.round(data.count * share);
  const step = Math.floor(data.count / count);
  const calls: (() => Promise<unknown>)[] = [];
  for (let n = 0; n < count; n++) {
    const item = data.itemAt((n * step + round) % data.count);
    const Key = { year: item.year!, title: item.title! };
    if (n % 10 === 8) calls.push(() => dynamo.send(new DeleteItemCommand({ TableName: SOURCE, Key })));
    else if (n % 10 === 9) calls.push(() => dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: { ...item, title: { S: `${item.title!.S} new ${round}` } } })));
    else calls.push(() => dynamo.send(new UpdateItemCommand({ TableName: SOURCE, Key, UpdateExpression: 'SET note = :p', ExpressionAttributeValues: { ':p': { S: `changed in round ${round}` } } })));
  }
  const next = calls.entries();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (const [, call] of next) await call();
  }));
  return count;
}

/** Every item of the table as canonical text, sorted: two tables compare item for item. */
async function contentOf(dynamo: DynamoDBClient, table: string): Promise<string[]> {
  const texts: string[] = [];
  const segments = 4;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, NonNullable<Item[string]>> | undefined;
      do {
        const page = await dynamo.send(new ScanCommand({ TableName: table, Segment: segment, TotalSegments: segments, ExclusiveStartKey }));
        for (const item of page.Items ?? []) texts.push(canonical(item as Item));
        ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey);
    }),
  );
  return texts.sort();
}

function canonical(item: Item): string {
  return JSON.stringify(item, (key, v: unknown) => {
    if ((key === 'SS' || key === 'NS') && Array.isArray(v)) return [...v].sort();
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    return v;
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100;

if (import.meta.main) await runIncrementalBench(process.argv.slice(2));
