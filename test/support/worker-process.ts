/**
 * A dynamask worker in a process of its own, for tests that must kill a
 * worker (SIGKILL leaves no chance to clean up, as a crashed host would) or
 * read everything a worker logs.
 *
 * Imported, it spawns and tracks such processes; run as a script, it is the
 * worker: Temporal settings from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE and the
 * task queue from DYNAMASK_TASK_QUEUE, as the CLI reads them, plus the
 * activity knobs the CLI does not expose (page size, call budget) and a
 * logger that writes every record, core's included, to stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import type { ActivityDeps } from '../../src/activities/index.ts';

const SCRIPT = fileURLToPath(import.meta.url);
const CONFIG_ENV = 'DYNAMASK_TEST_WORKER';
const READY = 'dynamask-test-worker: ready';

export interface WorkerProcessOptions {
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  /** The run's prebuilt workflow bundle (`inject('workflowBundlePath')`). */
  workflowBundlePath: string;
  activities?: Pick<ActivityDeps, 'readPageLimit' | 'callBudgetMs' | 'writeConcurrency' | 'streamPageLimit'>;
  /** Level of the SDK's and core's log records written to stderr; WARN unless told. */
  logLevel?: LogLevel;
  env?: Record<string, string>;
}

export interface WorkerProcess {
  readonly pid: number;
  /** Resolves once the worker is created and about to poll; rejects if the process ends first. */
  readonly ready: Promise<void>;
  /** Resolves once the process has ended and all its output is read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /**
   * Sends the signal and waits for the process to end. SIGTERM shuts the
   * worker down as `dynamask worker` does: it flushes its buffered log
   * records and exits with code 0.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

interface ChildConfig {
  workflowBundlePath: string;
  activities: WorkerProcessOptions['activities'];
  logLevel: LogLevel;
}

const running = new Set<ChildProcess>();

export function spawnWorker(options: WorkerProcessOptions): WorkerProcess {
  const config: ChildConfig = { workflowBundlePath: options.workflowBundlePath, activities: options.activities ?? {}, logLevel: options.logLevel ?? 'WARN' };
  const child = spawn(process.execPath, [SCRIPT], {
    // The IPC channel is how the worker notices that the test process is gone, even after a SIGKILL.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: options.temporalNamespace,
      DYNAMASK_TASK_QUEUE: options.taskQueue,
      [CONFIG_ENV]: JSON.stringify(config),
      ...options.env,
    },
  });
  running.add(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // 'close', not 'exit': by then the process has ended and everything it wrote has been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes(READY)) resolve();
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => reject(new Error(`worker process ended before it was ready (code ${code}, signal ${signal}):\n${output}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    ready,
    exited,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Kills every worker process this test process started and still running; for afterAll. */
export async function killAllWorkers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** Whether a process of this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Log records as one line each; errors and bytes spelled out so that nothing they hold escapes a search. */
function formatRecord(level: LogLevel, message: string, meta: LogMetadata | undefined): string {
  const seen = new WeakSet<object>();
  const replacer = (_key: string, value: unknown): unknown => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array) return { utf8: Buffer.from(value).toString('utf8'), base64: Buffer.from(value).toString('base64') };
    if (value instanceof Error) {
      return { ...value, name: value.name, message: value.message, stack: value.stack, cause: value.cause };
    }
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  };
  return `${new Date().toISOString()} ${level} ${message} ${JSON.stringify(meta ?? {}, replacer)}\n`;
}

async function main(): Promise<void> {
  const orphaned = () => process.exit(3);
  process.on('disconnect', orphaned);
  const config = JSON.parse(process.env[CONFIG_ENV]!) as ChildConfig;
  const { Runtime } = await import('@temporalio/worker');
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => process.stderr.write(formatRecord(level, message, meta));
  const severity = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
  const enabled = (level: LogLevel) => severity.indexOf(level) >= severity.indexOf(config.logLevel);
  const log = (level: LogLevel) => (message: string, meta?: LogMetadata) => {
    if (enabled(level)) write(level, message, meta);
  };
  Runtime.install({
    logger: {
      log: (level, message, meta) => log(level)(message, meta),
      trace: log('TRACE'),
      debug: log('DEBUG'),
      info: log('INFO'),
      warn: log('WARN'),
      error: log('ERROR'),
    },
    telemetryOptions: { logging: { filter: { core: config.logLevel, other: config.logLevel }, forward: {} } },
  });
  const { connectWorker, temporalTarget } = await import('../../src/temporal/connection.ts');
  const { createWorker } = await import('../../src/worker/worker.ts');
  const target = temporalTarget();
  const connection = await connectWorker(target);
  const worker = await createWorker({
    connection,
    namespace: target.namespace,
    activities: config.activities ?? {},
    workflowBundle: { codePath: config.workflowBundlePath },
  });
  process.stdout.write(`${READY} (pid ${process.pid}, task queue ${worker.options.taskQueue})\n`);
  // The runtime's signal handlers shut the worker down on SIGTERM; its buffered logs are written by then.
  await worker.run();
  await connection.close();
  // A 'disconnect' listener keeps the IPC channel, and so the process, alive.
  process.off('disconnect', orphaned);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`dynamask-test-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
