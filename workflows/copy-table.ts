/**
 * Copies one table: prepare once, then call copyPages until the cursor runs
 * out, continuing as new before the history grows large. Only cursors and
 * counts pass through here.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ContinueAsNew,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';
import { addCounts, progressQuery, tableProgressSignal, ZERO_COUNTS, type CopyTableInput, type TableProgress, type TableReport } from './shared.ts';

const { prepareTable } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

const { copyPages } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Calls per run before continueAsNew; each adds a handful of events. */
const CALLS_PER_RUN = 500;


export async function copyTable(input: CopyTableInput): Promise<TableReport> {
  const { table } = input;
  const startedAtMs = input.resume?.startedAtMs ?? Date.now();
  let counts = input.resume?.counts ?? ZERO_COUNTS;
  const progress = (status: TableProgress['status']): TableProgress => ({
    source: table.source,
    destination: table.destination,
    status,
    ...counts,
  });
  let status: TableProgress['status'] = 'running';
  setHandler(progressQuery, () => [progress(status)]);
  const parent = input.parent ? getExternalWorkflowHandle(input.parent.workflowId) : undefined;
  const report = async () => {
    if (parent && input.parent) await parent.signal(tableProgressSignal, { tableIndex: input.parent.tableIndex, progress: progress(status) });
  };

  try {
    const keyAttributes = input.resume?.keyAttributes ?? (await prepareTable({ table, connections: input.connections })).keyAttributes;
    let cursor = input.resume?.cursor;
    for (let calls = 0; ; calls++) {
      if (cursor !== undefined && (calls >= (input.callsPerRun ?? CALLS_PER_RUN) || workflowInfo().continueAsNewSuggested)) {
        await continueAsNew<typeof copyTable>({ ...input, resume: { cursor, counts, startedAtMs, keyAttributes } });
      }
      const result = await copyPages({
        table,
        connections: input.connections,
        defaults: input.defaults,
        salt: input.salt,
        sandbox: input.sandbox,
        keysAreSensitive: input.keysAreSensitive,
        keyAttributes,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      counts = addCounts(counts, result.counts);
      cursor = result.cursor;
      if (cursor === undefined) break;
      await report();
    }
  } catch (error) {
    // continueAsNew and cancellation end this run by throwing; they are not failures of the copy.
    if (error instanceof ContinueAsNew || isCancellation(error)) throw error;
    status = 'failed';
    await report().catch(() => undefined);
    const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
    throw ApplicationFailure.nonRetryable(
      `table "${table.source}" -> "${table.destination}" failed after ${counts.read} items read and ${counts.written} written: ${(cause as Error).message}`,
      'TableFailed',
      counts,
    );
  }
  status = 'completed';
  await report();
  return {
    source: table.source,
    destination: table.destination,
    sourceConnection: table.sourceConnection,
    destinationConnection: table.destinationConnection,
    ...counts,
    durationMs: Date.now() - startedAtMs,
    readPlan: 'PartiQL paging',
    mode: table.mode,
  };
}
