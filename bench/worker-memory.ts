/**
 * `node bench/worker-memory.ts`: where an idle worker's memory goes, stage
 * by stage, in a process of its own started as the Dockerfile starts the
 * worker (WORKER_NODE_FLAGS) plus --expose-gc, so each figure is taken
 * after a full collection: Node itself, the Temporal SDK and its Rust core
 * (loaded, then its runtime and connection), the activities' libraries (AWS
 * SDK, faker, isolated-vm's binding), the workflow bundle, the Worker with
 * the workflow code in its context, and the JavaScript sandbox process a
 * job with a script starts (its own RSS, apart from the worker's). What a
 * copy adds on top (page buffers, young generation) is the copy
 * benchmark's worker peak (bench/copy.ts). Writes bench/results/worker-memory.json.
 *
 * Flags: --workflow-threads N (default 0, the worker's default), --out FILE.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { WORKER_NODE_FLAGS } from './support/worker-process.ts';

interface Stage {
  stage: string;
  rssMiB: number;
  anonMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

const mib = (kb: number) => Math.round(kb / 1024);

function statusOf(pid: number | 'self') {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
  return { rss: field('VmRSS'), anon: field('RssAnon') };
}

/** The probe: runs in the child, reports each stage to the parent. */
async function probe(input: { temporalAddress: string; namespace: string; workflowThreads: number }): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const stage = (name: string) => {
    gc();
    const { rss, anon } = statusOf('self');
    const memory = process.memoryUsage();
    const record: Stage = { stage: name, rssMiB: mib(rss), anonMiB: mib(anon), heapUsedMiB: Math.round(memory.heapUsed / 2 ** 20), externalMiB: Math.round(memory.external / 2 ** 20) };
    process.send!(record);
  };
  stage('node');
  const temporal = await import('@temporalio/worker');
  stage('+ Temporal SDK and Rust core loaded');
  const { createActivities } = await import('../src/activities/index.ts');
  const { builtinRegistry } = await import('../transformers/builtin/index.ts');
  stage('+ activities (AWS SDK, faker, transformers)');
  temporal.Runtime.install({ logger: new temporal.DefaultLogger('ERROR') });
  const connection = await temporal.NativeConnection.connect({ address: input.temporalAddress });
  stage('+ Rust core runtime and connection');
  const { bundleWorkflowsInChild } = await import('../src/worker/workflow-bundle.ts');
  const bundle = await bundleWorkflowsInChild();
  stage('+ workflow bundle (bundled in a child process)');
  const { createWorker } = await import('../src/worker/worker.ts');
  const worker = await createWorker({ connection, namespace: input.namespace, taskQueue: `memory-${process.pid}`, workflowBundle: bundle, settings: { workflowThreads: input.workflowThreads } });
  const running = worker.run();
  await new Promise((done) => setTimeout(done, 3_000));
  stage('+ Worker (workflow code in its context), 3 s polling');

  const { buildPlan } = await import('../transformers/plan.ts');
  const plan = buildPlan({ transformers: { note: { type: 'js', options: { code: 'return value.toUpperCase()' } } }, defaults: {}, keyAttributes: ['pk'], salt: 's' }, builtinRegistry);
  await plan.transformPage(Array.from({ length: 100 }, (_, i) => ({ pk: { S: `k${i}` }, note: { S: 'text' } })));
  stage('+ a page through a JavaScript mapping (this process)');
  const children = readdirSync('/proc/self/task').flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number));
  process.send!({ sandboxProcessesRssMiB: children.map((pid) => mib(statusOf(pid).rss)) });
  plan.dispose();
  void createActivities;
  worker.shutdown();
  await running;
  await connection.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'workflow-threads': { type: 'string', default: '0' },
      out: { type: 'string', default: fileURLToPath(new URL('./results/worker-memory.json', import.meta.url)) },
    },
  });
  const { startLocalStack } = await import('../src/local-stack/local-stack.ts');
  const stack = await startLocalStack({ log: (line) => console.error(line) });
  try {
    const stages: Stage[] = [];
    let sandbox: number[] = [];
    const child = fork(fileURLToPath(import.meta.url), ['--probe'], { execArgv: [...WORKER_NODE_FLAGS, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send({ temporalAddress: stack.temporalAddress, namespace: stack.namespace, workflowThreads: Number(values['workflow-threads']) });
    child.on('message', (message: Stage | { sandboxProcessesRssMiB: number[] }) => {
      if ('stage' in message) stages.push(message);
      else sandbox = message.sandboxProcessesRssMiB;
    });
    await new Promise<void>((done, fail) => child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`the probe exited with code ${code}`)))));
    const rows = stages.map((s, i) => ({ ...s, addedMiB: i === 0 ? s.rssMiB : s.rssMiB - stages[i - 1]!.rssMiB }));
    for (const row of rows) console.log(`${row.stage.padEnd(56)} RSS ${String(row.rssMiB).padStart(4)} MiB (${row.addedMiB >= 0 ? '+' : ''}${row.addedMiB}), heap ${row.heapUsedMiB}, external ${row.externalMiB}`);
    console.log(`sandbox process(es): ${sandbox.map((m) => `${m} MiB`).join(', ') || 'none'}`);
    const results = { nodeFlags: [...WORKER_NODE_FLAGS, '--expose-gc'], workflowThreads: Number(values['workflow-threads']), loadAverage: loadavg().map((x) => Number(x.toFixed(2))), stages: rows, sandboxProcessesRssMiB: sandbox };
    const out = resolve(values.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${relative(process.cwd(), out)}`);
  } finally {
    await stack.stop();
  }
}

if (process.argv.includes('--probe')) process.once('message', (input: Parameters<typeof probe>[0]) => void probe(input).then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); }));
else await main();
