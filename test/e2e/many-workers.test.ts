/**
 * One table, many workers: two `dynamask worker` processes on one task
 * queue share an 8-segment table's copyPages calls (each segment is its own
 * chain of calls, so any worker may take any call), and when one of them is
 * killed with SIGKILL mid-copy, the other finishes it with nothing lost or
 * written twice. Which worker ran a call is read from Temporal's history:
 * every ActivityTaskStarted event carries the identity of the worker that
 * took it (`<pid>@<host>`).
 *
 * The second case takes a little over the copy activity's heartbeat
 * timeout, which the run sets to its least (10 s, page-activities.ts):
 * Temporal retries the killed worker's calls only once their heartbeats
 * stop arriving.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { runProgress, startRun } from '../../src/client/runs.ts';
import { MIN_HEARTBEAT_TIMEOUT_MS } from '../../workflows/page-activities.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { activitiesInFlight, historiesSoFar, retriedActivityAttempts, runExecutions, type RunExecution } from '../support/run-history.ts';
import { movieKey, scanAll } from '../support/stack.ts';
import { isAlive, killAllWorkers, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

const SOURCE = 'ManyWorkersMovies';
/** moviedata twice over, with new titles: ~9,200 items. */
const COPIES = 2;

function jobYaml(endpoint: string, destination: string): string {
  return `
name: many-workers-${destination}
connections:
  local: { endpoint: "${endpoint}" }
source: local
destination: local
salt: many-workers-salt
defaults: { S: passthrough, N: passthrough, SS: passthrough }
tables:
  - source: ${SOURCE}
    destination: ${destination}
    segments: 8
`;
}

/** The pids of the workers that ran copyPages calls in these executions, from the calls' ActivityTaskStarted events. */
const withRunIds = (executions: readonly RunExecution[]) => executions.map(({ info, history }) => ({ runId: info.runId, history }));

type History = temporal.api.history.v1.IHistory;

function copyPagesWorkers(executions: readonly { runId: string; history: History }[]): Map<number, number> {
  const scheduled = new Map<string, string>();
  const byPid = new Map<number, number>();
  for (const { runId, history } of executions) {
    for (const event of history.events ?? []) {
      const type = event.activityTaskScheduledEventAttributes?.activityType?.name;
      if (type) scheduled.set(`${runId}/${event.eventId}`, type);
      const started = event.activityTaskStartedEventAttributes;
      if (!started || scheduled.get(`${runId}/${started.scheduledEventId}`) !== 'copyPages') continue;
      const pid = Number(/^(\d+)@/.exec(started.identity ?? '')?.[1]);
      byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
    }
  }
  return byPid;
}

// The two cases side by side, each with a task queue, workers, job and destination of its own; each uses its test's own expect.
describe.concurrent('two workers on one table', () => {
  const endpoint = inject('dynamoEndpoint');
  const dynamo = createDynamoClient({ endpoint });
  let connection: Connection;
  let client: Client;
  let source: Item[];
  const workers: WorkerProcess[] = [];

  const start = (taskQueue: string, name: string, onTestFailed: TestContext['onTestFailed']) => {
    const worker = spawnWorker({
      temporalAddress: inject('temporalAddress'),
      workflowBundlePath: inject('workflowBundlePath'),
      temporalNamespace: inject('temporalNamespace'),
      taskQueue,
      // Calls of about a second: many calls per segment, so both workers get some.
      activities: { readPageLimit: 100, callBudgetMs: 1_000 },
      // Both workers must open each other's cursors.
      env: { DYNAMASK_CURSOR_KEY: 'many-workers-test' },
    });
    workers.push(worker);
    onTestFailed(() => console.log(`--- ${name} worker (pid ${worker.pid}) output ---\n${worker.output()}`));
    return worker;
  };

  /** Every item once, as it was (the job passes everything through), and the report's counts equal to the source's. */
  const expectExactCopy = async (destination: string, report: { read: number; written: number }) => {
    expect(report).toMatchObject({ read: source.length, written: source.length });
    const copies = await scanAll(dynamo, destination);
    expect(copies.length).toBe(source.length);
    const byKey = new Map(copies.map((item) => [movieKey(item), item]));
    expect(byKey.size).toBe(source.length);
    const wrong = source.filter((item) => canonical(byKey.get(movieKey(item))) !== canonical(item)).map(movieKey);
    expect(wrong, 'items missing or with the wrong content').toEqual([]);
  };

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, namespace: inject('temporalNamespace') });
    const movies = await loadMovies();
    source = Array.from({ length: COPIES }, (_, copy) =>
      movies.map((item) => (copy === 0 ? item : { ...item, title: { S: `${item.title!.S} (copy ${copy})` } })),
    ).flat();
    await seedTable(dynamo, SOURCE, source);
  });
  afterAll(async () => {
    await killAllWorkers();
    // No worker process outlives the test, whatever happened in it.
    expect(workers.filter((w) => isAlive(w.pid)).map((w) => w.pid)).toEqual([]);
    await connection?.close();
    dynamo.destroy();
  });

  it('share the copy: both run copyPages calls, and the destination is exact', async ({ expect, onTestFailed }) => {
    const taskQueue = `e2e-many-workers-${randomUUID()}`;
    const destination = 'ManyWorkersCopy';
    await recreateTable(dynamo, destination);
    const pair = [start(taskQueue, 'first', onTestFailed), start(taskQueue, 'second', onTestFailed)];
    await Promise.all(pair.map((w) => w.ready));
    const handle = await startRun(client, parseJob(jobYaml(endpoint, destination), 'many-workers.yaml', builtinRegistry), { taskQueue });
    const result = await handle.result();

    await expectExactCopy(destination, result.tables[0]!);
    const byPid = copyPagesWorkers(withRunIds(await runExecutions(client, taskQueue, handle.workflowId)));
    console.log(`[many-workers] copyPages calls by worker pid: ${JSON.stringify(Object.fromEntries(byPid))}`);
    expect([...byPid.keys()].sort()).toEqual(pair.map((w) => w.pid).sort());
    await Promise.all(pair.map((w) => w.kill('SIGKILL')));
  }, 300_000);

  it('lose one to SIGKILL mid-copy: the other finishes, every item exactly once, counts equal to the source', async ({ expect, onTestFailed }) => {
    const taskQueue = `e2e-many-workers-kill-${randomUUID()}`;
    const destination = 'ManyWorkersKillCopy';
    await recreateTable(dynamo, destination);
    const [doomed, survivor] = [start(taskQueue, 'doomed', onTestFailed), start(taskQueue, 'survivor', onTestFailed)];
    await Promise.all([doomed.ready, survivor.ready]);
    const handle = await startRun(client, parseJob(jobYaml(endpoint, destination), 'many-workers-kill.yaml', builtinRegistry), { taskQueue, limits: { heartbeatTimeoutMs: MIN_HEARTBEAT_TIMEOUT_MS } });

    // Mid-copy, with both workers in it: each has finished a call, the doomed one holds calls right now (on a loaded
    // machine one worker can briefly hold none, and a kill then cuts nothing short), and the table is far from done.
    const readyToKill = async () => {
      const runs = await historiesSoFar(client, handle.workflowId);
      if (copyPagesWorkers(runs).size < 2) return false;
      const doomedCalls = (await activitiesInFlight(client, runs, 'copyPages')).filter(({ identity }) => identity.startsWith(`${doomed.pid}@`));
      return doomedCalls.length >= 2;
    };
    await expect.poll(readyToKill, { timeout: 120_000, interval: 250 }).toBe(true);
    const before = (await runProgress(client.workflow, handle.workflowId))?.[0];
    await doomed.kill('SIGKILL');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(before?.status).toBe('running');
    expect(before?.written).toBeLessThan(source.length);

    const result = await handle.result();
    await expectExactCopy(destination, result.tables[0]!);
    const executions = await runExecutions(client, taskQueue, handle.workflowId);
    const byPid = copyPagesWorkers(withRunIds(executions));
    expect(byPid.get(doomed.pid)).toBeGreaterThan(0);
    expect(byPid.get(survivor.pid)).toBeGreaterThan(0);
    const retried = retriedActivityAttempts(executions);
    console.log(`[many-workers] killed at ${before?.written} of ${source.length} written; calls by pid ${JSON.stringify(Object.fromEntries(byPid))}; attempts retried: ${retried}`);
    // The kill cut calls short, and Temporal gave them to the survivor.
    expect(retried).toBeGreaterThan(0);
  }, 420_000);
});

/** Attribute order and binary values made comparable. */
function canonical(value: AttributeValue | Item | undefined): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    return v;
  });
}
