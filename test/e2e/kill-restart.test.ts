/**
 * "Nothing is lost" when the worker dies: a worker in its own process is
 * killed with SIGKILL in the middle of a table, a new one takes over, and the
 * run still ends with every item in the destination exactly once and counts
 * that match.
 *
 * Takes a little over the copy activity's heartbeat timeout, which the run
 * sets to its least (10 s, page-activities.ts): Temporal notices the dead
 * worker's activity only when its heartbeats stop arriving.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { Client, Connection, type WorkflowExecutionDescription } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { runProgress, startRun } from '../../src/client/runs.ts';
import { MIN_HEARTBEAT_TIMEOUT_MS } from '../../workflows/page-activities.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import type { TableProgress } from '../../workflows/shared.ts';
import { retriedActivityAttempts, runExecutions } from '../support/run-history.ts';
import { movieKey, scanAll } from '../support/stack.ts';
import { isAlive, killAllWorkers, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

const SOURCE = 'KillMovies';
const YEARS = 'KillYears';
/**
 * A plain copy; whole collections whose roots are every movie: the same items, read by a Scan and then a Query per year;
 * and references to every year of a table of years: the same items again, by a Scan that keeps the movies of selected years;
 * and a cycle (the years, all picked by their where, follow the movies back): the walk round it in every call, then the same Scan.
 */
const CASES = [
  { name: 'a plain copy', destination: 'KillMoviesCopy', table: '' },
  { name: 'whole collections', destination: 'KillMoviesCollections', table: '    wholeCollections: true\n    where: \'"year" >= 0\'\n' },
  { name: 'references', destination: 'KillMoviesReferences', table: `    references: { table: ${YEARS}, attribute: year }\n`, others: `  - source: ${YEARS}\n    destination: KillYearsCopy\n` },
  {
    name: 'a cycle of references',
    destination: 'KillMoviesRing',
    table: `    references: { table: ${YEARS}, attribute: year }\n`,
    others: `  - source: ${YEARS}\n    destination: KillYearsCopy\n    where: '"year" >= 0'\n    references: { table: ${SOURCE}, attribute: year }\n`,
    // Every call walks the ring again (Scans of both tables) before it copies: longer calls, fewer walks.
    callBudgetMs: 8_000,
  },
];
/** moviedata three times over, with new titles: ~14k items, several seconds of copying. */
const COPIES = 3;
const CALL_BUDGET_MS = 2_000;

function jobYaml(endpoint: string, destination: string, table: string, others = ''): string {
  // A job name per case: runs of one job wait for each other (its lock), and the cases run side by side.
  return `
name: kill-restart-${destination}
connections:
  local: { endpoint: "${endpoint}" }
source: local
destination: local
salt: kill-restart-salt
defaults: { S: passthrough, SS: passthrough }
tables:
  - source: ${SOURCE}
    destination: ${destination}
${table}    transformers:
      info.plot: redact
      info.rank: { type: constant, value: 0 }
${others}`;
}

/** What the job makes of a source item: both transformers have fixed outputs, so the test can spell them out. */
function expectedCopy(item: Item): Item {
  const info = item.info?.M;
  if (!info) return item;
  const M: Record<string, AttributeValue> = { ...info };
  if (M.plot?.S !== undefined) M.plot = { S: M.plot.S === '' ? '' : '[REDACTED]' };
  if (M.rank !== undefined) M.rank = { N: '0' };
  return { ...item, info: { M } };
}

describe('a worker killed with SIGKILL in the middle of a table', () => {
  const endpoint = inject('dynamoEndpoint');
  const dynamo = createDynamoClient({ endpoint });
  let connection: Connection;
  let client: Client;
  let source: Item[];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, namespace: inject('temporalNamespace') });
    const movies = await loadMovies();
    source = Array.from({ length: COPIES }, (_, copy) =>
      movies.map((item) => (copy === 0 ? item : { ...item, title: { S: `${item.title!.S} (copy ${copy})` } })),
    ).flat();
    await seedTable(dynamo, SOURCE, source);
    for (const { destination } of CASES) await recreateTable(dynamo, destination);
    const years = [...new Set(source.map((item) => item.year!.N!))].map((year): Item => ({ year: { N: year } }));
    const yearKey = { KeySchema: [{ AttributeName: 'year', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'year', AttributeType: 'N' as const }] };
    await seedTable(dynamo, YEARS, years, yearKey);
    await recreateTable(dynamo, 'KillYearsCopy', yearKey);
  });
  afterAll(async () => {
    await killAllWorkers();
    // No worker process outlives the test, whatever happened in it.
    expect(workers.filter((w) => isAlive(w.pid)).map((w) => w.pid)).toEqual([]);
    await connection?.close();
    dynamo.destroy();
  });

  // The cases side by side, each with a task queue, workers and destination of its own: mostly waiting out heartbeat timeouts, which overlap.
  it.for(CASES)('lets a new worker finish the run ($name): every item exactly once, right content, right counts', { concurrent: true, timeout: 420_000 }, async ({ destination: DESTINATION, table, others, callBudgetMs = CALL_BUDGET_MS }, { expect, onTestFailed }) => {
    const taskQueue = `e2e-kill-restart-${randomUUID()}`;
    const start = (name: string) => {
      const worker = spawnWorker({
        temporalAddress: inject('temporalAddress'),
        temporalNamespace: inject('temporalNamespace'),
        taskQueue,
        workflowBundlePath: inject('workflowBundlePath'),
        // Small pages and calls of a few seconds: progress shows between calls, so the kill lands mid-table.
        activities: { readPageLimit: 250, callBudgetMs },
        // Both workers must open each other's cursors.
        env: { DYNAMASK_CURSOR_KEY: 'kill-restart-test' },
      });
      workers.push(worker);
      onTestFailed(() => console.log(`--- ${name} worker (pid ${worker.pid}) output ---\n${worker.output()}`));
      return worker;
    };

    const first = start('first');
    await first.ready;
    const job = parseJob(jobYaml(endpoint, DESTINATION, table, others), 'kill-restart.yaml', builtinRegistry);
    const handle = await startRun(client, job, { taskQueue, limits: { heartbeatTimeoutMs: MIN_HEARTBEAT_TIMEOUT_MS } });
    const runStarted = Date.now();

    let progress: TableProgress | undefined;
    await expect
      // The table's own live counts: its reports to the run come at a decreasing rate.
      .poll(async () => (progress = (await runProgress(client.workflow, handle.workflowId))?.[0])?.written ?? 0, { timeout: 120_000, interval: 100 })
      .toBeGreaterThanOrEqual(1_000);
    // Progress moves when a copy call returns; the kill lands in the middle of the next call,
    // once it has written and heartbeated a page, so the retry resumes from a heartbeat.
    const copy = client.workflow.getHandle(`${handle.workflowId}/0-${SOURCE}`);
    await expect.poll(async () => heartbeatedSinceStart(await copy.describe()), { timeout: 60_000, interval: 50 }).toBe(true);
    await first.kill('SIGKILL');
    const killedAfterMs = Date.now() - runStarted;
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Mid-table: some items written, not all (if the table ends before the kill, it is too small for this machine).
    expect(progress?.status).toBe('running');
    expect(progress?.written).toBeGreaterThanOrEqual(1_000);
    expect(progress?.written).toBeLessThan(source.length);

    const second = start('second');
    await second.ready;
    const result = await handle.result();
    const totalMs = Date.now() - runStarted;

    expect(result.tables[0]).toEqual(expect.objectContaining({ source: SOURCE, destination: DESTINATION, read: source.length, written: source.length }));
    expect(result.tables.length).toBe(others === undefined ? 1 : 2);
    const copies = await scanAll(dynamo, DESTINATION);
    expect(copies.length).toBe(source.length);
    const byKey = new Map(copies.map((item) => [movieKey(item), item]));
    expect(byKey.size).toBe(source.length);
    const wrong = source.filter((item) => canonical(byKey.get(movieKey(item))) !== canonical(expectedCopy(item))).map(movieKey);
    expect(wrong, 'items missing or with the wrong content').toEqual([]);

    // The kill did cut an activity short: Temporal retried it on the new worker.
    const retried = retriedActivityAttempts(await runExecutions(client, taskQueue, handle.workflowId));
    expect(retried).toBeGreaterThan(0);
    console.log(
      `[kill-restart] ${DESTINATION}: ${source.length} items; killed after ${killedAfterMs} ms at ${progress?.written} written; run done after ${totalMs} ms; activity attempts retried: ${retried}`,
    );
  });
});

/** Whether the copy's pending copyPages call has heartbeated in its current attempt. */
function heartbeatedSinceStart(description: WorkflowExecutionDescription): boolean {
  const call = description.raw.pendingActivities?.find((activity) => activity.activityType?.name === 'copyPages');
  if (!call?.lastHeartbeatTime || !call.lastStartedTime) return false;
  const ms = (ts: { seconds?: unknown; nanos?: number | null }) => Number(ts.seconds ?? 0) * 1_000 + (ts.nanos ?? 0) / 1e6;
  return ms(call.lastHeartbeatTime) >= ms(call.lastStartedTime);
}

/** Attribute order and binary values made comparable. */
function canonical(value: AttributeValue | Item | undefined): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    return v;
  });
}
