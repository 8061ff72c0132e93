/**
 * Copies one table: prepare once (key schemas, read plan, segments), then
 * run every segment's chain of copyPages calls in parallel; with
 * `mode: replace`, once every segment is complete, prune the destination
 * the same way. The history is kept short by continuing as new. Only sealed
 * cursors and counts pass through here.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ContinueAsNew,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';
import { addCounts, ZERO_COUNTS, type TableCounts } from '../model/counts.ts';
import type { PrepareTableResult } from '../src/activities/contracts.ts';
import { progressQuery, tableProgressSignal, type CopyTableInput, type SegmentState, type TableProgress, type TableReport } from './shared.ts';
import { tableDetails } from './table-details.ts';

const { prepareTable } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

// Activities heartbeat after every page and every 5 s while waiting, so 30 s without one means the worker is gone.
const { copyPages, pruneDestination } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Activity calls per run before continueAsNew; each adds a handful of events. */
const CALLS_PER_RUN = 500;

export async function copyTable(input: CopyTableInput): Promise<TableReport> {
  const { table } = input;
  const startedAtMs = input.resume?.startedAtMs ?? Date.now();
  let counts: TableCounts = input.resume?.counts ?? ZERO_COUNTS;
  let prepared: PrepareTableResult | undefined = input.resume?.prepared;
  let status: TableProgress['status'] = 'running';
  let finishedAtMs: number | undefined;
  const progress = (): TableProgress => ({
    source: table.source,
    destination: table.destination,
    status,
    ...counts,
    startedAtMs,
    ...(finishedAtMs !== undefined ? { finishedAtMs } : {}),
    ...(prepared ? { readPlan: prepared.readPlanText } : {}),
  });
  setHandler(progressQuery, () => [progress()]);
  const parent = input.parent ? getExternalWorkflowHandle(input.parent.workflowId) : undefined;
  const report = async () => {
    setCurrentDetails(tableDetails(progress(), Date.now()));
    if (parent && input.parent) await parent.signal(tableProgressSignal, { tableIndex: input.parent.tableIndex, progress: progress() });
  };

  try {
    prepared ??= await prepareTable({ table, connections: input.connections });
    const plan = prepared;
    let phase = input.resume?.phase ?? 'copy';
    let segments: SegmentState[] = input.resume?.segments ?? fresh(plan.segments);
    await report();
    let calls = 0;
    const timeForNewRun = () => calls >= (input.callsPerRun ?? CALLS_PER_RUN) || workflowInfo().continueAsNewSuggested;

    // Each segment is its own chain of calls, so segments spread over every worker on the task queue.
    const runPhase = async (call: (segment: number, state: SegmentState) => Promise<{ cursor?: string; counts: Partial<TableCounts> }>) => {
      await Promise.all(
        segments.map(async (state, segment) => {
          while (!state.done && !timeForNewRun()) {
            calls++;
            const result = await call(segment, state);
            counts = addCounts(counts, result.counts);
            state.cursor = result.cursor;
            state.done = result.cursor === undefined;
            await report();
          }
        }),
      );
      if (segments.some((s) => !s.done)) {
        await continueAsNew<typeof copyTable>({ ...input, resume: { phase, segments, counts, startedAtMs, prepared: plan } });
      }
    };

    if (phase === 'copy') {
      await runPhase(async (segment, state) =>
      copyPages.executeWithOptions({ summary: `copy ${table.source} segment ${segment + 1}/${segments.length}` }, [
        {
          table,
          connections: input.connections,
          defaults: input.defaults,
          salt: input.salt,
          sandbox: input.sandbox,
          keysAreSensitive: input.keysAreSensitive,
          keyAttributes: plan.keyAttributes,
          readPlan: plan.readPlan,
          segment,
          totalSegments: segments.length,
          ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
        },
      ]),
      );
      // Only after every segment copied completely: an interrupted run never deletes.
      if (table.mode === 'replace') {
        phase = 'prune';
        segments = fresh(plan.segments);
      }
    }
    if (phase === 'prune') {
      await runPhase(async (segment, state) => {
        const result = await pruneDestination.executeWithOptions({ summary: `prune ${table.destination} segment ${segment + 1}/${segments.length}` }, [
          {
            table,
            connections: input.connections,
            keyAttributes: plan.keyAttributes,
            segment,
            totalSegments: segments.length,
            ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
          },
        ]);
        return { ...(result.cursor !== undefined ? { cursor: result.cursor } : {}), counts: { deleted: result.deleted } };
      });
    }
  } catch (error) {
    // continueAsNew and cancellation end this run by throwing; they are not failures of the copy.
    if (error instanceof ContinueAsNew || isCancellation(error)) throw error;
    status = 'failed';
    finishedAtMs = Date.now();
    await report().catch(() => undefined);
    const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
    throw ApplicationFailure.nonRetryable(
      `table "${table.source}" -> "${table.destination}" failed after ${counts.read} items read and ${counts.written} written: ${(cause as Error).message}`,
      'TableFailed',
      counts,
    );
  }
  status = 'completed';
  finishedAtMs = Date.now();
  await report();
  return {
    source: table.source,
    destination: table.destination,
    sourceConnection: table.sourceConnection,
    destinationConnection: table.destinationConnection,
    ...counts,
    durationMs: Date.now() - startedAtMs,
    readPlan: prepared.readPlanText,
    mode: table.mode,
  };
}

function fresh(segments: number): SegmentState[] {
  return Array.from({ length: segments }, () => ({ done: false }));
}
