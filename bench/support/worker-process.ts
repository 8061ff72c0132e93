/**
 * `dynamask worker` in a process of its own, as users run it, so its memory
 * can be read from /proc without the benchmark's own heap in the figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const READY = /polling task queue/;

/**
 * The worker's Node flags, as the Dockerfile runs it: V8 grows the young
 * generation to 128 MB by default on a machine with this much memory, which
 * a worker's short-lived page objects fill and keep resident; 8 MB
 * semi-spaces hold it to 16 MB. The old generation's growth the worker
 * limits itself (src/worker/heap-growth.ts).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

export interface WorkerProcess {
  readonly pid: number;
  /**
   * Forgets the peak so far (bundling the workflows at start-up peaks higher
   * than a copy may), so the next `peakRssBytes` covers only what follows.
   */
  resetPeak(): Promise<void>;
  /** VmHWM: the highest resident set since start or the last reset; undefined off Linux. */
  peakRssBytes(): Promise<number | undefined>;
  /** VmRSS: the resident set now; undefined off Linux. */
  rssBytes(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  startTimeoutMs?: number;
  /** More environment for the worker (DYNAMASK_* settings). */
  env?: NodeJS.ProcessEnv;
  /** Node flags for the worker process; default WORKER_NODE_FLAGS. */
  execArgv?: readonly string[];
}

export async function spawnWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [...(options.execArgv ?? WORKER_NODE_FLAGS), CLI, 'worker'], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: options.namespace,
      DYNAMASK_TASK_QUEUE: options.taskQueue,
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let tail = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start polling within ${(options.startTimeoutMs ?? 120_000) / 1000}s:\n${tail}`)), options.startTimeoutMs ?? 120_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4_000);
      // After start-up, only the worker's warnings and errors get here (DYNAMASK_LOG_LEVEL).
      for (const line of text.split('\n')) if (line.trim() !== '') process.stderr.write(`  [worker] ${line}\n`);
      if (READY.test(tail)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${signal ?? `code ${code}`}) before it was ready:\n${tail}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    await stopChild(child);
    throw error;
  }

  const pid = child.pid!;
  return {
    pid,
    async resetPeak() {
      // "5" resets VmHWM to the current RSS (Linux 4.0+, own processes only).
      await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
    },
    peakRssBytes: () => statusBytes(pid, 'VmHWM'),
    rssBytes: () => statusBytes(pid, 'VmRSS'),
    stop: () => stopChild(child),
  };
}

async function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // The Temporal worker shuts down gracefully on SIGTERM.
    child.kill('SIGTERM');
  });
}
