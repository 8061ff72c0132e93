/**
 * `npm run bench:copy`: items per second of dynamask against hand-written
 * AWS SDK copies, on the same tables in the same run of the local stack.
 *
 * Seeds moviedata replicated to --items items (default 100,000), then copies
 * it into a fresh table per case: naiveSdk (PartiQL pages, one BatchWriteItem
 * at a time), bestSdk (4-segment Scan, 8 BatchWriteItem in flight), both on
 * the SDK's client as made by hand (`new DynamoDBClient({...})`),
 * bestSdkDynamaskClient (bestSdk on dynamask's own client: what of a gap is the client),
 * passthrough and realisticMix (dynamask, each on its own `dynamask worker`
 * process), passthrough2Workers (passthrough on two worker processes on one
 * task queue, with the copyPages calls each ran), and the three of them again on a non-key subset. Every
 * destination is checked before its figure counts. Also measures the
 * transformation alone per item and the worker's peak RSS; --rss-items N
 * reseeds to N items and copies them once more with passthrough (the issue
 * asks for 400,000). Prints a table and writes bench/results/copy.json.
 *
 * Flags: --items N, --rss-items N, --cases a,b,... (default all),
 * --segment-sweep 1,2,4,8 (bestSdk again with each segment count),
 * --segments N (the dynamask cases' `segments:`; default auto), --out FILE,
 * --worker-node-flags "…" (the worker's Node flags; default the Dockerfile's).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Client } from '@temporalio/client';
import { startRun } from '../src/client/runs.ts';
import { createDynamoClient } from '../src/dynamo/clients.ts';
import type { Job } from '../model/job.ts';
import { startLocalStack, type LocalStack } from '../src/local-stack/local-stack.ts';
import { loadMovies } from '../src/local-stack/movie-data.ts';
import { recreateTable } from '../src/local-stack/seed.ts';
import { connectClient, temporalTarget } from '../src/temporal/connection.ts';
import { SETTINGS } from '../src/worker/worker-settings.ts';
import { passthroughJob, realisticMixJob, REALISTIC_CHANGED_PATHS, type RealisticJob } from './support/bench-jobs.ts';
import { checkDestination, type CheckInput } from './support/destination-check.ts';
import { describeMachine } from './support/machine.ts';
import { microsecondsPerItem } from './support/pipeline-cost.ts';
import { replicatedMovies, seedReplicated, type ReplicatedMovies } from './support/replicated-movies.ts';
import { cpuBetween, cpuSnapshot, type CpuBreakdown } from './support/process-cpu.ts';
import { renderMarkdownTable, renderTextTable, type CaseRow } from './support/results-table.ts';
import { bestSdkCopy, naiveSdkCopy } from './support/sdk-copies.ts';
import { inSubset, SUBSET_FILTER, SUBSET_WHERE } from './support/subset.ts';
import { spawnWorkerProcess, WORKER_NODE_FLAGS } from './support/worker-process.ts';
import { copyPagesSplit } from './support/work-split.ts';

export const CASES = ['naiveSdk', 'bestSdk', 'bestSdkDynamaskClient', 'passthrough', 'passthrough2Workers', 'realisticMix', 'subsetNaiveSdk', 'subsetBestSdk', 'subsetDynamask'] as const;
export type CaseName = (typeof CASES)[number];

const SOURCE = 'BenchMovies';
const KEY_ATTRIBUTES = ['year', 'title'] as const;
const BEST_SEGMENTS = 4;
const BEST_WRITE_CONCURRENCY = 8;
const DEFAULT_OUT = fileURLToPath(new URL('./results/copy.json', import.meta.url));

export interface CopyBenchOptions {
  items: number;
  rssItems?: number;
  cases: readonly CaseName[];
  segmentSweep: readonly number[];
  /** The dynamask cases' `segments:`; absent: `auto`. */
  segments?: number;
  out: string;
  /** Node flags of the worker processes; default WORKER_NODE_FLAGS, as the Dockerfile runs it. */
  workerNodeFlags?: readonly string[];
}

export function parseCopyBenchArgs(argv: readonly string[]): CopyBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      items: { type: 'string', default: '100000' },
      'rss-items': { type: 'string' },
      cases: { type: 'string', default: CASES.join(',') },
      'segment-sweep': { type: 'string', default: '' },
      segments: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT },
      'worker-node-flags': { type: 'string' },
    },
    strict: true,
  });
  const count = (flag: string, text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag}: expected a positive whole number, got "${text}"`);
    return value;
  };
  const cases = values.cases.split(',').filter((name) => name !== '');
  const unknown = cases.filter((name) => !(CASES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--cases: unknown case(s) ${unknown.join(', ')}; the cases are ${CASES.join(', ')}`);
  return {
    items: count('items', values.items),
    ...(values['rss-items'] !== undefined ? { rssItems: count('rss-items', values['rss-items']) } : {}),
    cases: cases as CaseName[],
    segmentSweep: values['segment-sweep'].split(',').filter((text) => text !== '').map((text) => count('segment-sweep', text)),
    ...(values.segments !== undefined ? { segments: count('segments', values.segments) } : {}),
    out: resolve(values.out),
    ...(values['worker-node-flags'] !== undefined ? { workerNodeFlags: values['worker-node-flags'].split(' ').filter((flag) => flag !== '') } : {}),
  };
}

interface Measured {
  seconds: number;
  items: number;
  workerPeakRssMiB?: number;
  /** The worker's resident set once started, before the run: what the peak grew from. */
  workerStartRssMiB?: number;
  readPlan?: string;
  /** copyPages calls per worker process, for runs on more than one. */
  callsPerWorker?: Record<string, number>;
  /** Seconds from the start until each segment had its last page written (dynamask) or handed to the writer (bestSdk). */
  segmentEndSeconds?: number[];
  cpu?: CpuBreakdown;
}

interface Context {
  stack: LocalStack;
  dynamo: DynamoDBClient;
  client: Client;
  log: (line: string) => void;
  workerNodeFlags: readonly string[];
}

const mib = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round(bytes / 2 ** 20));
const since = (start: number) => (performance.now() - start) / 1000;

/**
 * Runs a dynamask job on `workers` fresh `dynamask worker` processes polling
 * one task queue; the clock covers start to result, not the workers'
 * start-up. The peak RSS is the highest of the workers'.
 */
async function runOnWorkerProcess(ctx: Context, job: Job, label: string, workers = 1): Promise<Measured> {
  const taskQueue = `bench-copy-${process.pid}-${label}`;
  const spawned = await Promise.all(
    Array.from({ length: workers }, () => spawnWorkerProcess({ temporalAddress: ctx.stack.temporalAddress, namespace: ctx.stack.namespace, taskQueue, execArgv: ctx.workerNodeFlags })),
  );
  try {
    await Promise.all(spawned.map((worker) => worker.resetPeak()));
    const startRss = await spawned[0]!.rssBytes();
    const cpuStart = await cpuSnapshot();
    const start = performance.now();
    const handle = await startRun(ctx.client, job, { taskQueue });
    const result = await handle.result();
    const seconds = since(start);
    const cpu = cpuBetween(cpuStart, await cpuSnapshot());
    const table = result.tables[0]!;
    const peaks = await Promise.all(spawned.map((worker) => worker.peakRssBytes()));
    const peak = Math.max(...peaks.map((bytes) => bytes ?? 0));
    const split = await copyPagesSplit(ctx.client, handle.workflowId);
    return {
      seconds,
      items: table.written,
      workerPeakRssMiB: mib(peak || undefined),
      workerStartRssMiB: mib(startRss),
      readPlan: table.readPlan,
      ...(workers > 1 && { callsPerWorker: split.calls }),
      segmentEndSeconds: split.segmentEndSeconds,
      ...(cpu && { cpu }),
    };
  } finally {
    await Promise.all(spawned.map((worker) => worker.stop()));
  }
}

function describeCpu(cpu: CpuBreakdown): string {
  const { dynamodbLocal, temporal, bench, workers } = cpu.seconds;
  return `DynamoDB Local ${dynamodbLocal}, Temporal ${temporal}, bench ${bench}, workers ${workers}, outside ${cpu.outsideSeconds}, steal ${cpu.stealSeconds}; ${cpu.busyCores} cores busy`;
}

/** Copies into a fresh destination, checks it, then drops it (DynamoDB Local keeps every table in memory). */
async function measureCase(ctx: Context, destination: string, copy: () => Promise<Measured>, check: Omit<CheckInput, 'table'>): Promise<Measured> {
  await recreateTable(ctx.dynamo, destination);
  const measured = await copy();
  const start = performance.now();
  await checkDestination(ctx.dynamo, { ...check, table: destination });
  const checked = since(start);
  await ctx.dynamo.send(new DeleteTableCommand({ TableName: destination }));
  ctx.log(`  destination checked in ${checked.toFixed(1)} s, dropped in ${(since(start) - checked).toFixed(1)} s`);
  return measured;
}

/** Keys to look up after each case: spread over the table, plus the first item inside and outside the subset. */
function sampleIndexes(data: ReplicatedMovies): number[] {
  const spread = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.floor(f * (data.count - 1)));
  const head = Array.from({ length: Math.min(data.count, 5_000) }, (_, i) => i);
  const edges = [head.find((i) => inSubset(data.itemAt(i))), head.find((i) => !inSubset(data.itemAt(i)))];
  return [...new Set([...spread, ...edges.filter((i) => i !== undefined)])];
}

export async function runCopyBench(options: CopyBenchOptions): Promise<void> {
  const log = (line: string) => console.error(line);
  const started = performance.now();
  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases[name] = Number(since(start).toFixed(1));
    }
  };

  const machine = await describeMachine();
  const loadBefore = loadavg().map((x) => round(x, 2));
  log(`machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, DynamoDB Local ${machine.dynamodbLocal}`);
  const stack = await phase('startStack', () => startLocalStack({ log }));
  const dynamo = createDynamoClient({ region: 'us-east-1', endpoint: stack.dynamoEndpoint });
  // The hand-written copies use the SDK's client as an engineer would make it (default retries and middleware); bestSdkDynamaskClient runs bestSdk on dynamask's own client.
  const sdkClient = new DynamoDBClient({ region: 'us-east-1', endpoint: stack.dynamoEndpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  let client: Client | undefined;
  try {
    client = await connectClient(temporalTarget({ address: stack.temporalAddress, namespace: stack.namespace }));
    const workerNodeFlags = options.workerNodeFlags ?? WORKER_NODE_FLAGS;
    const ctx: Context = { stack, dynamo, client, log, workerNodeFlags };
    const endpoint = stack.dynamoEndpoint;

    const data = await replicatedMovies(options.items);
    log(`seeding ${SOURCE} with ${options.items.toLocaleString('en-US')} items (BatchWriteItem, 8 in flight)…`);
    const seedStart = performance.now();
    await phase('seed', () => seedReplicated(dynamo, SOURCE, data));
    const seedSeconds = since(seedStart);
    log(`  seeded in ${seedSeconds.toFixed(1)} s (${Math.round(options.items / seedSeconds)} items/s)`);

    const subsetCount = data.countWhere(inSubset);
    const samples = sampleIndexes(data).map((i) => data.itemAt(i));
    const full = (expectation: CheckInput['expectation'], changedPaths?: readonly string[]): Omit<CheckInput, 'table'> => ({
      expectedCount: data.count,
      samples: samples.map((item) => ({ item, selected: true })),
      keyAttributes: KEY_ATTRIBUTES,
      expectation,
      ...(changedPaths ? { changedPaths } : {}),
    });
    const subset: Omit<CheckInput, 'table'> = {
      expectedCount: subsetCount,
      samples: samples.map((item) => ({ item, selected: inSubset(item) })),
      keyAttributes: KEY_ATTRIBUTES,
      expectation: 'identical',
    };
    const jobSpec = (name: string, destination: string, where?: string) => ({
      name: `bench-${name}`,
      endpoint,
      source: SOURCE,
      destination,
      ...(where ? { where } : {}),
      ...(options.segments !== undefined ? { segments: options.segments } : {}),
    });
    const realistic: RealisticJob = realisticMixJob(jobSpec('realisticMix', 'BenchCopy-realisticMix'));
    if (realistic.js !== 'included') log(`note: the job loader refused the JavaScript transform; realisticMix runs without it:\n  ${realistic.js.rejected.replace(/\n/g, '\n  ')}`);
    const realisticChanged = REALISTIC_CHANGED_PATHS.filter((path) => realistic.js === 'included' || path !== 'info.genres');

    const sdk = (copy: () => Promise<{ written: number; segmentEndSeconds?: number[] }>) => async (): Promise<Measured> => {
      const cpuStart = await cpuSnapshot();
      const start = performance.now();
      const { written, segmentEndSeconds } = await copy();
      const seconds = since(start);
      const cpu = cpuBetween(cpuStart, await cpuSnapshot());
      return { seconds, items: written, ...(segmentEndSeconds && { segmentEndSeconds }), ...(cpu && { cpu }) };
    };
    const runners: Record<CaseName, () => Promise<Measured>> = {
      naiveSdk: () => measureCase(ctx, 'BenchCopy-naiveSdk', sdk(() => naiveSdkCopy(sdkClient, SOURCE, 'BenchCopy-naiveSdk')), full('identical')),
      bestSdk: () =>
        measureCase(ctx, 'BenchCopy-bestSdk', sdk(() => bestSdkCopy(sdkClient, SOURCE, 'BenchCopy-bestSdk', { segments: BEST_SEGMENTS, writeConcurrency: BEST_WRITE_CONCURRENCY })), full('identical')),
      bestSdkDynamaskClient: () =>
        measureCase(
          ctx,
          'BenchCopy-bestSdkDynamaskClient',
          sdk(() => bestSdkCopy(dynamo, SOURCE, 'BenchCopy-bestSdkDynamaskClient', { segments: BEST_SEGMENTS, writeConcurrency: BEST_WRITE_CONCURRENCY })),
          full('identical'),
        ),
      passthrough: () =>
        measureCase(ctx, 'BenchCopy-passthrough', () => runOnWorkerProcess(ctx, passthroughJob(jobSpec('passthrough', 'BenchCopy-passthrough')), 'passthrough'), full('identical')),
      passthrough2Workers: () =>
        measureCase(
          ctx,
          'BenchCopy-passthrough2Workers',
          () => runOnWorkerProcess(ctx, passthroughJob(jobSpec('passthrough2Workers', 'BenchCopy-passthrough2Workers')), 'passthrough2Workers', 2),
          full('identical'),
        ),
      realisticMix: () =>
        measureCase(ctx, 'BenchCopy-realisticMix', () => runOnWorkerProcess(ctx, realistic.job, 'realisticMix'), full('transformed', realisticChanged)),
      subsetNaiveSdk: () => measureCase(ctx, 'BenchCopy-subsetNaiveSdk', sdk(() => naiveSdkCopy(sdkClient, SOURCE, 'BenchCopy-subsetNaiveSdk', SUBSET_WHERE)), subset),
      subsetBestSdk: () =>
        measureCase(
          ctx,
          'BenchCopy-subsetBestSdk',
          sdk(() => bestSdkCopy(sdkClient, SOURCE, 'BenchCopy-subsetBestSdk', { segments: BEST_SEGMENTS, writeConcurrency: BEST_WRITE_CONCURRENCY, filter: SUBSET_FILTER })),
          subset,
        ),
      subsetDynamask: () =>
        measureCase(
          ctx,
          'BenchCopy-subsetDynamask',
          () => runOnWorkerProcess(ctx, passthroughJob(jobSpec('subsetDynamask', 'BenchCopy-subsetDynamask', SUBSET_WHERE)), 'subsetDynamask'),
          subset,
        ),
    };

    const measured: Partial<Record<CaseName, Measured>> = {};
    for (const name of options.cases) {
      log(`${name}…`);
      const result = await phase(name, runners[name]);
      measured[name] = result;
      log(`  ${result.items} items in ${result.seconds.toFixed(1)} s (${Math.round(result.items / result.seconds)} items/s)${result.readPlan ? `, ${result.readPlan}` : ''}${result.workerPeakRssMiB ? `, worker peak RSS ${result.workerPeakRssMiB} MiB` : ''}`);
      if (result.cpu) log(`  CPU s: ${describeCpu(result.cpu)}`);
      if (result.segmentEndSeconds) log(`  segments ended at ${result.segmentEndSeconds.map((s) => s.toFixed(1)).join(', ')} s`);
    }

    const sweep: { segments: number; seconds: number; itemsPerSecond: number; cpu?: CpuBreakdown }[] = [];
    for (const segments of options.segmentSweep) {
      const table = `BenchCopy-bestSdk-${segments}seg`;
      log(`bestSdk with ${segments} segment(s)…`);
      const result = await phase(`segmentSweep${segments}`, () =>
        measureCase(ctx, table, sdk(() => bestSdkCopy(sdkClient, SOURCE, table, { segments, writeConcurrency: BEST_WRITE_CONCURRENCY })), full('identical')),
      );
      sweep.push({ segments, seconds: round(result.seconds, 2), itemsPerSecond: Math.round(result.items / result.seconds), ...(result.cpu && { cpu: result.cpu }) });
      log(`  ${Math.round(result.items / result.seconds)} items/s${result.cpu ? `; CPU s: ${describeCpu(result.cpu)}` : ''}`);
    }

    log('transformation alone (no I/O)…');
    const movies = await loadMovies();
    const pipeline = await phase('pipeline', async () => ({
      passthroughMicrosecondsPerItem: round(await microsecondsPerItem(passthroughJob(jobSpec('pipeline', 'BenchPipeline')), KEY_ATTRIBUTES, movies, 20_000), 2),
      realisticMixMicrosecondsPerItem: round(await microsecondsPerItem(realistic.job, KEY_ATTRIBUTES, movies, 20_000), 2),
    }));
    log(`  passthrough ${pipeline.passthroughMicrosecondsPerItem} µs/item, realisticMix ${pipeline.realisticMixMicrosecondsPerItem} µs/item`);
    // Where realisticMix's time goes: each of its mappings alone, everything else passed through.
    const realisticByMapping: Record<string, number> = {};
    for (const [path, ref] of Object.entries(realistic.job.tables[0]!.transformers)) {
      const single: Job = { ...realistic.job, tables: [{ ...realistic.job.tables[0]!, transformers: { [path]: ref } }] };
      realisticByMapping[`${path}: ${ref.type}`] = round(await microsecondsPerItem(single, KEY_ATTRIBUTES, movies, 10_000), 2);
    }

    const rssEntry = (items: number, m: Measured) => ({
      items,
      seconds: round(m.seconds, 1),
      itemsPerSecond: Math.round(m.items / m.seconds),
      workerStartRssMiB: m.workerStartRssMiB,
      workerPeakRssMiB: m.workerPeakRssMiB,
    });
    const rss: (ReturnType<typeof rssEntry> & { seedSeconds?: number })[] = [];
    if (measured.passthrough) rss.push(rssEntry(data.count, measured.passthrough));
    if (options.rssItems !== undefined) {
      const large = await replicatedMovies(options.rssItems);
      log(`reseeding ${SOURCE} with ${options.rssItems.toLocaleString('en-US')} items for the worker's peak RSS…`);
      const start = performance.now();
      await phase('rssSeed', () => seedReplicated(dynamo, SOURCE, large));
      const seedSecondsLarge = since(start);
      log(`  seeded in ${seedSecondsLarge.toFixed(1)} s; passthrough…`);
      const largeSamples = sampleIndexes(large).map((i) => ({ item: large.itemAt(i), selected: true }));
      const result = await phase('rssPassthrough', () =>
        measureCase(ctx, 'BenchCopy-rss', () => runOnWorkerProcess(ctx, passthroughJob(jobSpec('rss', 'BenchCopy-rss')), 'rss'), {
          expectedCount: large.count,
          samples: largeSamples,
          keyAttributes: KEY_ATTRIBUTES,
          expectation: 'identical',
        }),
      );
      rss.push({ ...rssEntry(large.count, result), seedSeconds: round(seedSecondsLarge, 1) });
      log(`  ${Math.round(result.items / result.seconds)} items/s, worker peak RSS ${result.workerPeakRssMiB} MiB`);
    }

    const ips = (m: Measured | undefined) => (m ? m.items / m.seconds : undefined);
    const ratio = (a: Measured | undefined, b: Measured | undefined) => {
      const x = ips(a);
      const y = ips(b);
      return x !== undefined && y !== undefined ? round(x / y, 2) : undefined;
    };
    const rows: CaseRow[] = options.cases.map((name) => {
      const m = measured[name]!;
      const isSubset = name.startsWith('subset');
      return {
        name,
        items: m.items,
        seconds: round(m.seconds, 2),
        itemsPerSecond: Math.round(m.items / m.seconds),
        vsBestSdk: ratio(m, isSubset ? measured.subsetBestSdk : measured.bestSdk),
        vsNaiveSdk: ratio(m, isSubset ? measured.subsetNaiveSdk : measured.naiveSdk),
        ...(m.workerPeakRssMiB !== undefined ? { workerPeakRssMiB: m.workerPeakRssMiB } : {}),
        ...(name === 'realisticMix' && realistic.js !== 'included' ? { note: 'without its JavaScript transform' } : {}),
      };
    });

    const results = {
      machine,
      loadAverage: { before: loadBefore, after: loadavg().map((x) => round(x, 2)) },
      workerNodeFlags,
      dynamaskSegments: options.segments ?? 'auto',
      // The workers inherit the bench's environment: the worker settings it set, by name only from SETTINGS.
      workerSettingsFromEnvironment: Object.fromEntries(SETTINGS.filter(({ env }) => process.env[env] !== undefined).map(({ env }) => [env, process.env[env]])),
      items: data.count,
      seed: { method: 'BatchWriteItem, 8 in flight', seconds: round(seedSeconds, 1), itemsPerSecond: Math.round(data.count / seedSeconds) },
      subset: { where: SUBSET_WHERE, filterExpression: SUBSET_FILTER.FilterExpression, items: subsetCount, fraction: round(subsetCount / data.count, 3) },
      notes: [
        'itemsPerSecond counts items written; the subset cases read the whole table to select them.',
        'Ratios compare with the SDK copy of the same selection: subset cases with subsetBestSdk and subsetNaiveSdk.',
        'dynamask cases run on a separate `dynamask worker` process; their seconds run from starting the workflow to its result.',
        'workerPeakRssMiB is the worker process VmHWM, reset after start-up (bundling the workflows peaks on its own).',
        'segmentEndSeconds: when each Scan segment finished, from the copy\'s start (dynamask: its last copyPages call completed; bestSdk: its last page handed to the writer).',
        'cpu: CPU seconds per process group over the copy, from /proc (workers include their sandbox processes); outsideSeconds is the machine busy outside them, stealSeconds what the hypervisor gave other guests.',
      ],
      cases: Object.fromEntries(
        rows.map((row) => {
          const m = measured[row.name as CaseName]!;
          const { name: _, ...fields } = row;
          return [
            row.name,
            {
              ...fields,
              ...(m.workerStartRssMiB !== undefined ? { workerStartRssMiB: m.workerStartRssMiB } : {}),
              ...(m.readPlan ? { readPlan: m.readPlan } : {}),
              ...(m.callsPerWorker ? { copyPagesCallsPerWorker: m.callsPerWorker } : {}),
              ...(m.segmentEndSeconds ? { segmentEndSeconds: m.segmentEndSeconds } : {}),
              ...(m.cpu ? { cpu: m.cpu, dynamodbLocalCpuMicrosecondsPerItem: Math.round((m.cpu.seconds.dynamodbLocal * 1e6) / m.items) } : {}),
            },
          ];
        }),
      ),
      ratios: {
        passthroughOverBestSdk: ratio(measured.passthrough, measured.bestSdk),
        realisticMixOverBestSdk: ratio(measured.realisticMix, measured.bestSdk),
        passthroughOverNaiveSdk: ratio(measured.passthrough, measured.naiveSdk),
        bestSdkDynamaskClientOverBestSdk: ratio(measured.bestSdkDynamaskClient, measured.bestSdk),
        twoWorkersOverOneWorker: ratio(measured.passthrough2Workers, measured.passthrough),
        subsetDynamaskOverSubsetBestSdk: ratio(measured.subsetDynamask, measured.subsetBestSdk),
        subsetDynamaskOverSubsetNaiveSdk: ratio(measured.subsetDynamask, measured.subsetNaiveSdk),
      },
      targets: { passthroughOverBestSdk: 1.0, realisticMixOverBestSdk: 0.9, passthroughOverNaiveSdk: 2.5, workerPeakRssMiB: 300 },
      realisticMix: { javascriptTransform: realistic.js, mapping: realistic.job.tables[0]!.transformers },
      pipeline: { ...pipeline, realisticMixMicrosecondsPerItemByMapping: realisticByMapping },
      bestSdkSegmentSweep: sweep,
      workerPeakRss: rss,
      phaseSeconds: { ...phases, total: round(since(started), 1) },
    };

    console.log(`\n${renderTextTable(rows)}`);
    const r = results.ratios;
    console.log(`\npassthrough/bestSdk ${r.passthroughOverBestSdk ?? '—'} (target ≥ 1.0), realisticMix/bestSdk ${r.realisticMixOverBestSdk ?? '—'} (≥ 0.9), passthrough/naiveSdk ${r.passthroughOverNaiveSdk ?? '—'} (≥ 2.5)`);
    console.log(`transformation alone: passthrough ${pipeline.passthroughMicrosecondsPerItem} µs/item, realisticMix ${pipeline.realisticMixMicrosecondsPerItem} µs/item`);
    if (rss.length > 0) {
      const line = rss.map((x) => `${x.items.toLocaleString('en-US')} items ${x.workerPeakRssMiB} MiB (from ${x.workerStartRssMiB} MiB at start)`).join(', ');
      console.log(`worker peak RSS (passthrough): ${line}`);
    }
    console.log(`\n${renderMarkdownTable(rows)}\n`);
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${relative(process.cwd(), options.out)} (${results.phaseSeconds.total} s in all)`);
  } finally {
    await client?.connection.close();
    dynamo.destroy();
    sdkClient.destroy();
    await stack.stop();
  }
}

function round(value: number, places: number): number {
  return Number(value.toFixed(places));
}

if (import.meta.main) await runCopyBench(parseCopyBenchArgs(process.argv.slice(2)));
