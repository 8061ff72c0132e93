/**
 * Copies one table: prepare once (key schemas, read plan, segments), then
 * the phases of table-phases.ts. Progress goes to the `progress` query, the
 * Temporal UI's current details and the parent run; a failure leaves as the
 * table's failure record (model/failure.ts), which says the table, the
 * phase, how far it got and why. Only sealed cursors and counts pass
 * through here.
 */
import {
  ApplicationFailure,
  ContinueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';
import type { PrepareTableResult } from '../src/activities/contracts.ts';
import { addCounts, ZERO_COUNTS, type TableCounts } from '../model/counts.ts';
import { renderTableFailure, type TableFailure, type TablePhase } from '../model/failure.ts';
import { progressQuery, tableProgressSignal, type CopyTableInput, type TableProgress, type TableReport } from './shared.ts';
import { tableDetails } from './table-details.ts';
import { tableFailure } from './table-failure.ts';
import { runPhases } from './table-phases.ts';

const { prepareTable } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

export async function copyTable(input: CopyTableInput): Promise<TableReport> {
  const { table } = input;
  const startedAtMs = input.resume?.startedAtMs ?? Date.now();
  let counts: TableCounts = input.resume?.counts ?? ZERO_COUNTS;
  let prepared: PrepareTableResult | undefined = input.resume?.prepared;
  let phase: TablePhase = input.resume?.phase ?? 'prepare';
  let status: TableProgress['status'] = 'running';
  let finishedAtMs: number | undefined;
  let failure: TableFailure | undefined;
  const progress = (): TableProgress => ({
    source: table.source,
    destination: table.destination,
    status,
    phase,
    ...counts,
    startedAtMs,
    ...(finishedAtMs !== undefined ? { finishedAtMs } : {}),
    ...(prepared ? { readPlan: prepared.readPlanText } : {}),
    ...(failure ? { failure } : {}),
  });
  setHandler(progressQuery, () => [progress()]);
  const parent = input.parent ? getExternalWorkflowHandle(input.parent.workflowId) : undefined;
  const report = async () => {
    setCurrentDetails(tableDetails(progress(), Date.now()));
    if (parent && input.parent) await parent.signal(tableProgressSignal, { tableIndex: input.parent.tableIndex, progress: progress() });
  };

  try {
    prepared ??= await prepareTable({ table, connections: input.connections, defaults: input.defaults });
    await report();
    await runPhases({
      input,
      plan: prepared,
      startedAtMs,
      counts: () => counts,
      entering: (next) => {
        phase = next;
      },
      progressed: async (more) => {
        counts = addCounts(counts, more);
        await report();
      },
    });
  } catch (error) {
    // continueAsNew and cancellation end this run by throwing; they are not failures of the copy.
    if (error instanceof ContinueAsNew || isCancellation(error)) throw error;
    failure = tableFailure(table, phase, counts, error);
    status = 'failed';
    finishedAtMs = Date.now();
    await report().catch(() => undefined);
    throw ApplicationFailure.create({ type: 'TableFailed', message: renderTableFailure(failure), nonRetryable: true, details: [failure] });
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
