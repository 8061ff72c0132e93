/**
 * A worker's limits: how much of one table, and of all tables, a single
 * worker process takes on at once. Read from DYNAMASK_* environment
 * variables, each a whole number in a range, with defaults that suit one
 * worker process per machine of a few cores; more work spreads over more
 * workers on the same task queue rather than over bigger ones. The README's
 * production section lists them from SETTINGS.
 */
import { WRITE_CONCURRENCY } from '../activities/index.ts';

export interface WorkerSettings {
  /** Activity calls (copyPages, prepareTable, pruneDestination) this worker runs at once. */
  maxConcurrentActivities: number;
  /** Workflow tasks this worker runs at once. */
  maxConcurrentWorkflowTasks: number;
  /** Threads that run workflow code; 0 runs it on the main thread. */
  workflowThreads: number;
  /** JavaScript sandbox processes (isolated-vm) this worker spreads script pages over. */
  sandboxProcesses: number;
  /** BatchWriteItem requests in flight per table, divided among its segments still copying (at least 2 each) whichever workers run them. */
  writeConcurrency: number;
  /** How far V8's old generation grows past its live size before a full collection, in percent; 0 leaves it to V8. Set by `dynamask worker` only (heap-growth.ts). */
  heapGrowingPercent: number;
}

interface Setting {
  key: keyof WorkerSettings;
  env: string;
  defaultValue: number;
  min: number;
  max: number;
  /** Why the default is what it is; the README says the same. */
  why: string;
}

export const SETTINGS: readonly Setting[] = [
  {
    key: 'maxConcurrentActivities',
    env: 'DYNAMASK_MAX_CONCURRENT_ACTIVITIES',
    defaultValue: 16,
    min: 1,
    max: 1_000,
    why: "a copyPages call holds up to two pages (1 MB each as DynamoDB sends them, several times that decoded) and shares the process's one JavaScript thread, so 16 calls (two 8-segment tables) keep a core busy within a few hundred MB; Temporal's own default of 100 can exhaust the heap on large items",
  },
  {
    key: 'maxConcurrentWorkflowTasks',
    env: 'DYNAMASK_MAX_CONCURRENT_WORKFLOW_TASKS',
    defaultValue: 40,
    // The SDK raises anything lower to 2 while it caches workflows.
    min: 2,
    max: 1_000,
    why: "Temporal's default: dynamask's workflow tasks take well under a millisecond each (counts and cursors only), so this only matters with many runs at once",
  },
  {
    key: 'workflowThreads',
    env: 'DYNAMASK_WORKFLOW_THREADS',
    defaultValue: 0,
    min: 0,
    max: 16,
    why: "a thread of its own costs ~45 MB (its V8 heap and a second copy of the workflow code, measured) for workflow tasks that take well under a millisecond; on the main thread they run in the same isolated contexts, with Temporal's 5 s deadlock timeout, but the SDK then tracks every promise of the process for workflow stack traces, ~10% of a copying worker's CPU in a profile, which 1 thread (Temporal's default) moves off the main thread; four bench runs could not tell the copy speeds apart (README, Performance)",
  },
  {
    key: 'sandboxProcesses',
    env: 'DYNAMASK_SANDBOX_PROCESSES',
    defaultValue: 1,
    min: 1,
    max: 64,
    why: 'a page of values crosses into the sandbox in one call (0.9–2.3 µs a value and 145–320 µs a page, measured), so one process keeps up with what one worker can write; raise it for scripts that are slow per value, one per spare core',
  },
  {
    key: 'writeConcurrency',
    env: 'DYNAMASK_WRITE_CONCURRENCY',
    defaultValue: WRITE_CONCURRENCY,
    min: 1,
    max: 256,
    why: 'measured on DynamoDB Local: 8 requests in flight saturate it and 16 gain nothing; against DynamoDB, whose capacity is per table and partition, raise it when a table with few segments is write-bound',
  },
  {
    key: 'heapGrowingPercent',
    env: 'DYNAMASK_HEAP_GROWING_PERCENT',
    defaultValue: 20,
    min: 0,
    max: 300,
    why: "a copying worker allocates fast, so V8 lets its old generation grow up to 4× what is live before collecting it (~370 MiB peak in the copy benchmark); 20 (a factor of 1.2) held the same copy under 300 MiB, for more frequent full collections (perhaps 5-10% of the realistic mix's speed in interleaved runs, within this machine's noise); 0 leaves it to V8, and `node --heap-growing-percent=N` wins over this",
  },
];

/** One or more settings are not whole numbers in their range; bad input, said in one message. */
export class WorkerSettingsError extends Error {
  override name = 'WorkerSettingsError';
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = Object.fromEntries(SETTINGS.map((s) => [s.key, s.defaultValue])) as unknown as WorkerSettings;

/** The settings from `env`, the defaults where unset or empty; every bad value named in one error. */
export function workerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const settings: WorkerSettings = { ...DEFAULT_WORKER_SETTINGS };
  const problems: string[] = [];
  for (const setting of SETTINGS) {
    const text = env[setting.env]?.trim();
    if (text === undefined || text === '') continue;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= setting.min && value <= setting.max) settings[setting.key] = value;
    else problems.push(`${setting.env} must be a whole number from ${setting.min} to ${setting.max}, not ${JSON.stringify(clip(text))}`);
  }
  if (problems.length > 0) throw new WorkerSettingsError(problems.join('; '));
  return settings;
}

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
