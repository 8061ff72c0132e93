/**
 * The copyTable workflow runs the prune its prepareTable result names, on
 * the real workflow bundle with activities faked (no table is touched):
 * a result without `prune` (a run prepared by an older version) and
 * `prune: inverse` run pruneDestination per segment, as before; `prune:
 * forward` runs one pruneDestinationForward call, also when the copy used
 * up the run's calls and the prune starts in the next run. Which activity
 * types a history schedules is what replay depends on, so it is read from
 * the histories.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { Activities } from '../../src/activities/index.ts';
import type { PrepareTableResult } from '../../src/activities/contracts.ts';
import { dataConverterFromEnv } from '../../src/temporal/data-converter.ts';
import type { TableJob } from '../../model/job.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../../transformers/js/plan-scripts.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import type { CopyTableInput } from '../../workflows/shared.ts';

const TASK_QUEUE = `e2e-prune-choice-${Date.now()}`;
const SEGMENTS = 2;

describe('the prune a copyTable runs', () => {
  let client: Client;
  let connection: Connection;
  let workerConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  /** What the faked prepareTable answers, per table source name. */
  const prepared = new Map<string, PrepareTableResult>();

  beforeAll(async () => {
    const address = inject('temporalAddress');
    const namespace = inject('temporalNamespace');
    connection = await Connection.connect({ address });
    const dataConverter = await dataConverterFromEnv();
    client = new Client({ connection, namespace, ...(dataConverter && { dataConverter }) });
    workerConnection = await NativeConnection.connect({ address });
    // Only the calls these runs make; each answers with counts as the real one would.
    const activities: Partial<Activities> = {
      prepareTable: async ({ table }) => prepared.get(table.source)!,
      copyPages: async () => ({ counts: { read: 1, written: 1 } }) as Awaited<ReturnType<Activities['copyPages']>>,
      pruneDestination: async () => ({ deleted: 1, checked: 3 }),
      pruneDestinationForward: async () => ({ selected: 2, checked: 9, deleted: 7 }),
    };
    worker = await Worker.create({ connection: workerConnection, namespace, taskQueue: TASK_QUEUE, activities, workflowBundle: { codePath: inject('workflowBundlePath') }, ...(dataConverter && { dataConverter }) });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    await connection?.close();
  });

  const table = (source: string): TableJob => ({
    source,
    destination: `${source}Copy`,
    sourceConnection: 'local',
    destinationConnection: 'local',
    consistentRead: false,
    onTypeMismatch: 'error',
    transformers: {},
    mode: 'replace',
    createTable: false,
    segments: SEGMENTS,
  });

  /** Runs a copyTable whose prepare answers `prune`; the activity types every run of its chain scheduled, in order, and its result. */
  async function runWith(name: string, prune: PrepareTableResult['prune'], callsPerRun?: number) {
    prepared.set(name, {
      keyAttributes: ['pk'],
      readPlan: { kind: 'scan', table: name, consistentRead: false, segments: SEGMENTS },
      readPlanText: `parallel Scan, ${SEGMENTS} segments`,
      segments: SEGMENTS,
      createdDestination: false,
      ...(prune !== undefined && { prune }),
    } as PrepareTableResult);
    const input: CopyTableInput = { jobName: name, table: table(name), connections: { local: { endpoint: 'http://127.0.0.1:1' } }, defaults: {}, sandbox: DEFAULT_SANDBOX_LIMITS, keysAreSensitive: true, ...(callsPerRun !== undefined && { callsPerRun }) };
    const handle = await client.workflow.start<typeof copyTable>('copyTable', { taskQueue: TASK_QUEUE, workflowId: `prune-choice-${name}-${Date.now()}`, args: [input] });
    const result = await handle.result();
    const scheduled: string[] = [];
    let runs = 0;
    for (let runId: string | undefined = handle.firstExecutionRunId; runId; runs++) {
      const events: temporal.api.history.v1.IHistoryEvent[] = (await client.workflow.getHandle(handle.workflowId, runId).fetchHistory()).events ?? [];
      scheduled.push(...events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []));
      runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    return { scheduled, result, runs };
  }

  it('prunes by inverse, per segment, when the prepare result has no prune (an older run) or says inverse', async () => {
    for (const [name, prune] of [['ChoiceOlder', undefined], ['ChoiceInverse', 'inverse']] as const) {
      const { scheduled, result } = await runWith(name, prune);
      expect(scheduled, name).toEqual(['prepareTable', 'copyPages', 'copyPages', 'pruneDestination', 'pruneDestination']);
      expect(result, name).toMatchObject({ read: SEGMENTS, written: SEGMENTS, deleted: SEGMENTS });
    }
  });

  it('prunes forward in one call when it says forward, also in the run after the copy used up its calls', async () => {
    const { scheduled, result, runs } = await runWith('ChoiceForward', 'forward');
    expect(scheduled).toEqual(['prepareTable', 'copyPages', 'copyPages', 'pruneDestinationForward']);
    expect(runs).toBe(1);
    expect(result).toMatchObject({ read: SEGMENTS, written: SEGMENTS, deleted: 7 });

    const later = await runWith('ChoiceForwardLater', 'forward', SEGMENTS);
    expect(later.scheduled).toEqual(['prepareTable', 'copyPages', 'copyPages', 'pruneDestinationForward']);
    // The copy's two calls used up the run: the prune is the next run's first call.
    expect(later.runs).toBe(2);
    expect(later.result).toMatchObject({ read: SEGMENTS, written: SEGMENTS, deleted: 7 });
  });
});
