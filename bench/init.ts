/**
 * `node bench/init.ts`: how fast `dynamask init` samples and discovers a
 * table, and what it reads, on AWS's movie sample replicated to --items
 * items (default 100,000) in DynamoDB Local. Then, for scale, `verify` on a
 * copy of the same table made with the job init wrote.
 *
 * Cases:
 * - defaultBudget: init's defaults (20,000 items, 2,500 read units);
 * - wholeTable: a budget larger than the table, so every item is read;
 * - initCommand: the whole command as a user runs it (DescribeTable,
 *   sample, detection, the job written and loaded back), default budget;
 * - verifySample / verifyAll: verify --sample 1000, and verify of every item
 *   (with its second pass over the destination).
 * The copy verify reads is written here with the job's own plan and plain
 * BatchWriteItem, not by a workflow: this measures init and verify, not a run.
 * Prints a line per case and writes bench/results/init.json.
 *
 * Flags: --items N, --out FILE, --no-verify.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Command } from 'commander';
import { registerInitCommand } from '../src/cli/init-command.ts';
import { registerVerifyCommand } from '../src/cli/verify-command.ts';
import type { JobVerification } from '../src/verify/verify-report.ts';
import { DEFAULT_READ_UNITS, DEFAULT_SAMPLE_ITEMS, discoverTable, type SampleBudget } from '../src/discovery/table-discovery.ts';
import { createDynamoClient, DynamoClients } from '../src/dynamo/clients.ts';
import { readTablePage, type ReadCursor } from '../src/dynamo/table-reader.ts';
import { loadJobFile } from '../src/job/job-loader.ts';
import { startDynamoDbLocal } from '../src/local-stack/dynamodb-local.ts';
import { recreateTable } from '../src/local-stack/seed.ts';
import { builtinRegistry } from '../transformers/builtin/index.ts';
import { buildPlan } from '../transformers/plan.ts';
import { BatchPipe } from './support/batch-pipe.ts';
import { describeMachine } from './support/machine.ts';
import { replicatedMovies, seedReplicated } from './support/replicated-movies.ts';

const SOURCE = 'BenchInitMovies';
const DESTINATION = `${SOURCE}Staging`;
const DEFAULT_OUT = fileURLToPath(new URL('./results/init.json', import.meta.url));

const { values } = parseArgs({
  options: { items: { type: 'string', default: '100000' }, out: { type: 'string', default: DEFAULT_OUT }, 'no-verify': { type: 'boolean', default: false } },
  strict: true,
});
const items = Number(values.items);
if (!Number.isInteger(items) || items < 1) throw new Error(`--items: expected a positive whole number, got "${values.items}"`);
const out = resolve(values.out);

const since = (start: number) => (performance.now() - start) / 1000;
const log = (line: string) => console.error(line);

interface Case {
  name: string;
  seconds: number;
  cpuSeconds: number;
  itemsSampled?: number;
  itemsPerSecond?: number;
  readUnits?: number;
  segments?: number;
  paths?: number;
  flagged?: number;
  heapMiB?: number;
  passSeconds?: { pairs: number; acrossItems: number };
  crossItemValues?: number;
  crossItemMiB?: number;
  findings?: string[];
  note?: string;
}

async function measure<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const { user, system } = process.cpuUsage(cpu);
  return { result, seconds: since(start), cpuSeconds: (user + system) / 1e6 };
}

async function command(register: typeof registerInitCommand, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  let output = '';
  let code = 0;
  const program = new Command('dynamask').exitOverride();
  register(program, { print: (text) => (output += `${text}\n`), setExitCode: (exit) => (code = exit), env });
  await program.parseAsync(['node', 'dynamask', ...args]);
  return { code, output };
}

const dynamoLocal = await startDynamoDbLocal();
const dynamo = createDynamoClient({ endpoint: dynamoLocal.endpoint });
const cases: Case[] = [];
try {
  const data = await replicatedMovies(items);
  const seedStart = performance.now();
  await seedReplicated(dynamo, SOURCE, data);
  log(`seeded ${items} items in ${since(seedStart).toFixed(0)} s`);

  const clients = new DynamoClients();
  const source = clients.source('bench', { endpoint: dynamoLocal.endpoint });
  const budgets: [string, SampleBudget][] = [
    ['defaultBudget', { items: DEFAULT_SAMPLE_ITEMS, readUnits: DEFAULT_READ_UNITS }],
    ['wholeTable', { items: items * 2, readUnits: Number.MAX_SAFE_INTEGER }],
  ];
  for (const [name, budget] of budgets) {
    const { result, seconds, cpuSeconds } = await measure(() => discoverTable(source, SOURCE, budget));
    const sampled = result.discovery.items;
    cases.push({
      name,
      seconds,
      cpuSeconds,
      itemsSampled: sampled,
      itemsPerSecond: Math.round(sampled / seconds),
      readUnits: Math.round(result.read.readUnits),
      segments: result.read.segments,
      paths: result.discovery.paths.length,
      flagged: result.verdicts.filter((verdict) => verdict.flagged).length,
      heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    });
    log(`${name}: ${sampled} items in ${seconds.toFixed(1)} s (${Math.round(sampled / seconds)} items/s), ${Math.round(result.read.readUnits)} read units, ${result.read.segments} segments`);
  }
  clients.destroy();

  const dir = await mkdtemp(join(tmpdir(), 'dynamask-bench-init-'));
  const jobFile = join(dir, 'movies.yaml');
  const env = { ...process.env, DYNAMASK_SALT: 'bench-salt' };
  const initRun = await measure(() => command(registerInitCommand, ['init', '--endpoint', dynamoLocal.endpoint, SOURCE, '--out', jobFile], env));
  cases.push({ name: 'initCommand', seconds: initRun.seconds, cpuSeconds: initRun.cpuSeconds, note: initRun.result.output.split('\n')[0] });
  log(`initCommand: ${initRun.seconds.toFixed(1)} s\n${initRun.result.output}`);

  if (!values['no-verify']) {
    const job = await loadJobFile(jobFile, builtinRegistry, env);
    const table = job.tables[0]!;
    // The job names { env: DYNAMASK_SALT }: the worker would read this very value.
    const plan = buildPlan({ transformers: table.transformers, defaults: job.defaults, keyAttributes: ['year', 'title'], salt: env.DYNAMASK_SALT, onTypeMismatch: table.onTypeMismatch }, builtinRegistry);
    await recreateTable(dynamo, DESTINATION);
    const pipe = new BatchPipe(dynamo, DESTINATION, 8);
    let cursor: ReadCursor | undefined;
    do {
      const page = await readTablePage(dynamo, { kind: 'scan', table: SOURCE, consistentRead: false, segments: 1 }, { segment: 0, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) await pipe.put(plan.transformItem(item));
      cursor = page.cursor;
    } while (cursor !== undefined);
    await pipe.close();
    plan.dispose();
    for (const [name, args] of [
      ['verifySample', ['--sample', '1000']],
      ['verifyAll', []],
    ] as const) {
      const run = await measure(() => command(registerVerifyCommand, ['verify', jobFile, '--json', ...args], env));
      const report = JSON.parse(run.result.output) as JobVerification;
      const table = report.tables[0]!;
      const note = `exit ${run.result.code}: ${table.survivors} survivor(s), ${table.changed} changed, ${table.missing} missing`;
      cases.push({
        name,
        seconds: run.seconds,
        cpuSeconds: run.cpuSeconds,
        itemsSampled: table.items,
        itemsPerSecond: Math.round(table.items / run.seconds),
        heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        passSeconds: table.passSeconds,
        ...(table.crossItem !== undefined ? { crossItemValues: table.crossItem.values, crossItemMiB: Number((table.crossItem.bytes / 2 ** 20).toFixed(1)) } : {}),
        findings: table.findings.map(({ path, how, foundAt, count }) => `${path}: ${how} at ${foundAt} x${count}`),
        note,
      });
      log(`${name}: ${table.items} items in ${run.seconds.toFixed(1)} s (${note})`);
      // Findings name paths and key attribute names only.
      for (const finding of table.findings) log(`  ${finding.path}: ${finding.how} at ${finding.foundAt}, ${finding.count} times`);
    }
  }

  const results = {
    machine: await describeMachine(),
    items,
    defaults: { sampleItems: DEFAULT_SAMPLE_ITEMS, readUnits: DEFAULT_READ_UNITS },
    notes: [
      'itemsPerSecond: items sampled (or verified) per second of wall clock, DescribeTable and detection included; the machine is shared, so cpuSeconds is printed too.',
      'readUnits as DynamoDB Local reports them (ConsumedCapacity, eventually consistent).',
      'verifyAll includes its second pass, a Scan of the whole destination for source values of other items (passSeconds.acrossItems).',
      'The job init writes for movies maps actors, directors, image links and release dates and keeps plots and titles: verify finds actor and director names inside plots and titles (documentaries, biographies), which is what it is for.',
    ],
    cases,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(cases.map((c) => `${c.name.padEnd(14)} ${c.seconds.toFixed(1).padStart(6)} s  ${String(c.itemsSampled ?? '').padStart(7)} items  ${String(c.itemsPerSecond ?? '').padStart(6)} items/s  ${String(c.readUnits ?? '').padStart(6)} RU`).join('\n'));
  console.log(`wrote ${relative(process.cwd(), out)}`);
} finally {
  dynamo.destroy();
  await dynamoLocal.stop();
}
