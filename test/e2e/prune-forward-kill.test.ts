/**
 * The forward prune (src/activities/prune-forward.ts) survives its worker:
 * a worker in its own process is killed with SIGKILL while it prunes a
 * `mode: replace` table whose range key is hashed (no inverse, so the
 * forward way), a new worker takes over, and the prune's retry starts over
 * from the first page: the run ends with the destination holding exactly
 * the transformed selection, every planted item gone.
 *
 * Takes a little over the prune's heartbeat timeout, which the run sets to
 * its least (10 s): Temporal notices the dead worker's activity only when
 * its heartbeats stop arriving.
 */
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { Client, Connection, type WorkflowExecutionDescription } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { runProgress, startRun } from '../../src/client/runs.ts';
import { MIN_HEARTBEAT_TIMEOUT_MS } from '../../workflows/page-activities.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { runExecutions } from '../support/run-history.ts';
import { scanAll } from '../support/stack.ts';
import { isAlive, killAllWorkers, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

const SOURCE = 'KillForwardMovies';
const DESTINATION = 'KillForwardCopy';
const SALT = 'kill-forward-salt';
/** moviedata twice over: ~9k items, and as many planted ones for the prune to delete, so it runs for seconds. */
const COPIES = 2;
const selected = (item: Item) => Number(item.year!.N) >= 1990;

function jobYaml(endpoint: string): string {
  return `
name: kill-forward-prune
connections:
  local: { endpoint: "${endpoint}" }
source: local
destination: local
salt: ${SALT}
defaults: { S: passthrough, SS: passthrough }
tables:
  - source: ${SOURCE}
    destination: ${DESTINATION}
    mode: replace
    where: '"year" >= 1990'
    transformers:
      title: hash
`;
}

describe('a worker killed with SIGKILL while it prunes forward', () => {
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
    source = Array.from({ length: COPIES }, (_, copy) => movies.map((item) => (copy === 0 ? item : { ...item, title: { S: `${item.title!.S} (copy ${copy})` } }))).flat();
    await seedTable(dynamo, SOURCE, source);
    await recreateTable(dynamo, DESTINATION);
  });
  afterAll(async () => {
    await killAllWorkers();
    expect(workers.filter((w) => isAlive(w.pid)).map((w) => w.pid)).toEqual([]);
    await connection?.close();
    dynamo.destroy();
  });

  it('lets a new worker prune again from the start: exactly the transformed selection, planted items gone', async () => {
    // Keys no selected item maps to: movies under their untransformed titles, and hash-shaped titles of nothing.
    const planted: Item[] = source.slice(0, 4_000).map((item, i) => ({ year: item.year!, title: i % 2 === 0 ? item.title! : { S: i.toString(16).padStart(64, '0') } }));
    await writeItems(dynamo, DESTINATION, planted, { concurrency: 8 });

    const taskQueue = `e2e-kill-forward-${Date.now()}`;
    const start = (name: string) => {
      const worker = spawnWorker({
        temporalAddress: inject('temporalAddress'),
        temporalNamespace: inject('temporalNamespace'),
        taskQueue,
        workflowBundlePath: inject('workflowBundlePath'),
        // Small pages: the prune reads and deletes for seconds, so the kill lands in it.
        activities: { readPageLimit: 100, callBudgetMs: 2_000 },
        env: { DYNAMASK_CURSOR_KEY: 'kill-forward-test' },
      });
      workers.push(worker);
      onTestFailed(() => console.log(`--- ${name} worker (pid ${worker.pid}) output ---\n${worker.output()}`));
      return worker;
    };

    const first = start('first');
    await first.ready;
    const job = parseJob(jobYaml(endpoint), 'kill-forward.yaml', builtinRegistry);
    const handle = await startRun(client, job, { taskQueue, limits: { heartbeatTimeoutMs: MIN_HEARTBEAT_TIMEOUT_MS } });
    const copy = client.workflow.getHandle(`${handle.workflowId}/0-${SOURCE}`);
    await expect.poll(async () => pruneHeartbeated(await copy.describe().catch(() => undefined)), { timeout: 120_000, interval: 50 }).toBe(true);
    // Asked before the kill: a query needs a worker to answer it.
    const progress = (await runProgress(client.workflow, handle.workflowId))?.[0];
    await first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(progress).toMatchObject({ status: 'running', phase: 'prune' });

    const second = start('second');
    await second.ready;
    const result = await handle.result();

    // The destination keys, computed here with the transformer and the salt.
    const options = builtinRegistry.validateOptions('hash', {});
    if (!options.ok) throw new Error('hash options');
    const hash = builtinRegistry.instantiate({ type: 'hash', options: options.options }, { salt: SALT });
    const keyOf = (item: Item) => `${item.year!.N}|${item.title!.S}`;
    const expected = source.filter(selected).map((item) => keyOf({ year: item.year!, title: hash(item.title!, ['title']) as { S: string } })).sort();
    expect(result.tables[0]).toMatchObject({ read: expected.length, written: expected.length });
    // What the dead attempt deleted is gone before the retry looks: the retry counts only what it deletes itself.
    expect(result.tables[0]!.deleted).toBeLessThanOrEqual(planted.length);
    expect((await scanAll(dynamo, DESTINATION)).map(keyOf).sort()).toEqual(expected);

    // The kill did cut the forward prune short: Temporal retried it on the new worker.
    const executions = await runExecutions(client, taskQueue, handle.workflowId);
    const retried = executions.flatMap(({ history }) => {
      const events = history.events ?? [];
      const prunes = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pruneDestinationForward').map((e) => String(e.eventId)));
      return events.filter((e) => prunes.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)) && (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
    });
    expect(retried.length).toBe(1);
  }, 420_000);
});

/** Whether the table's pending forward prune has heartbeated in its current attempt (it has read a page of the selection). */
function pruneHeartbeated(description: WorkflowExecutionDescription | undefined): boolean {
  const call = description?.raw.pendingActivities?.find((activity) => activity.activityType?.name === 'pruneDestinationForward');
  if (!call?.lastHeartbeatTime || !call.lastStartedTime) return false;
  const ms = (ts: { seconds?: unknown; nanos?: number | null }) => Number(ts.seconds ?? 0) * 1_000 + (ts.nanos ?? 0) / 1e6;
  return ms(call.lastHeartbeatTime) >= ms(call.lastStartedTime);
}
