/**
 * Copies one table: prepare once (key schemas, read plan, segments), then
 * the phases of table-phases.ts. Progress after every call goes to the
 * `progress` query and the Temporal UI's current details, which cost no
 * history events, so clients read live counts here. The parent (runTables)
 * gets a report when the phase changes and otherwise at a decreasing rate
 * (history-bounds.ts): one signal per call would cost the parent 4 events
 * per call, which no continueAsNew of this workflow bounds. A run's history
 * stays under copyTableEventsPerRun(callsPerRun) events: 3,533 by default.
 * A failure leaves as the table's failure record (model/failure.ts), which
 * says the table, the phase, how far it got and why; the parent learns of
 * the end from the child's result, not from a report. Only sealed cursors
 * and counts pass through here.
 */
import {
  ApplicationFailure,
  ContinueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';
import type { PrepareTableResult } from '../src/activities/contracts.ts';
import { addCounts, liveCounts, ZERO_COUNTS, type TableCounts } from '../model/counts.ts';
import { renderTableFailure, type TableFailure, type TablePhase } from '../model/failure.ts';
import { PROGRESS_REPORTS_MAX, progressReportDue, type ReportState } from './history-bounds.ts';
import { progressQuery, tableProgressSignal, type CopyTableInput, type TableProgress, type TableReport } from './shared.ts';
import { runIncremental } from './stream-phases.ts';
import type { StreamStatus } from './stream-status.ts';
import { tableDetails } from './table-details.ts';
import { tableFailure } from './table-failure.ts';
import { runPhases } from './table-phases.ts';

const { prepareTable } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

/** Marks runs that report at a decreasing rate; runs started before it report every call, and replay that way. */
export const REPORTS_BY_RATE_PATCH = 'dynamask-reports-by-rate';

export async function copyTable(input: CopyTableInput): Promise<TableReport> {
  const everyCall = !patched(REPORTS_BY_RATE_PATCH);
  const { table } = input;
  const startedAtMs = input.resume?.startedAtMs ?? Date.now();
  let counts: TableCounts = input.resume?.counts ?? ZERO_COUNTS;
  let prepared: PrepareTableResult | undefined = input.resume?.prepared;
  let phase: TablePhase = input.resume?.phase ?? 'prepare';
  let status: TableProgress['status'] = 'running';
  let finishedAtMs: number | undefined;
  let failure: TableFailure | undefined;
  let stream: StreamStatus | undefined;
  const progress = (): TableProgress => ({
    source: table.source,
    destination: table.destination,
    status,
    phase,
    ...liveCounts(counts),
    startedAtMs,
    ...(finishedAtMs !== undefined ? { finishedAtMs } : {}),
    ...(prepared ? { readPlan: prepared.readPlanText } : {}),
    ...(failure ? { failure } : {}),
    ...(stream ? { stream } : {}),
  });
  setHandler(progressQuery, () => [progress()]);
  const parent = input.parent ? getExternalWorkflowHandle(input.parent.workflowId) : undefined;
  const reports: ReportState = { sent: input.resume?.reports?.sent ?? 0, atMs: input.resume?.reports?.atMs ?? startedAtMs };
  let reportedPhase: TablePhase | undefined = input.resume?.reports?.phase;
  const report = async () => {
    const now = Date.now();
    setCurrentDetails(tableDetails(progress(), now));
    if (!parent || !input.parent) return;
    const phaseChanged = reportedPhase !== phase;
    if (!everyCall && !phaseChanged && !progressReportDue(reports, startedAtMs, now)) return;
    // apply is a fourth phase (after prepare, copy, prune): its report is one of the progress reports, so the runner's bound holds.
    if (phase === 'apply' && phaseChanged && reports.sent >= PROGRESS_REPORTS_MAX) return;
    if (!phaseChanged || phase === 'apply') reports.sent++;
    reports.atMs = now;
    reportedPhase = phase;
    await parent.signal(tableProgressSignal, { tableIndex: input.parent.tableIndex, progress: progress() });
  };
  // The parent learns of the end from the child's result; runs of the older version also said it in a report.
  const reportEnd = async () => (everyCall ? report() : setCurrentDetails(tableDetails(progress(), Date.now())));

  try {
    prepared ??= await prepareTable({ table, connections: input.connections, defaults: input.defaults, ...(input.sources !== undefined && { sources: input.sources }) });
    await report();
    const phases = {
      input,
      plan: prepared,
      startedAtMs,
      counts: () => counts,
      reports: () => ({ ...reports, ...(reportedPhase !== undefined ? { phase: reportedPhase } : {}) }),
      entering: (next: TablePhase) => {
        phase = next;
      },
      progressed: async (more: Partial<TableCounts>) => {
        counts = addCounts(counts, more);
        await report();
      },
    };
    if (table.mode === 'incremental') {
      const { checkpoint: _, ...last } = await runIncremental({ ...phases, streamed: ({ checkpoint: _c, ...now }) => (stream = now) });
      stream = last;
    } else {
      await runPhases(phases);
    }
  } catch (error) {
    // continueAsNew and cancellation end this run by throwing; they are not failures of the copy.
    if (error instanceof ContinueAsNew || (isCancellation(error) && !stopsFollowing(input, phase))) throw error;
    if (!isCancellation(error)) {
      failure = tableFailure(table, phase, counts, error);
      status = 'failed';
      finishedAtMs = Date.now();
      await reportEnd().catch(() => undefined);
      throw ApplicationFailure.create({ type: 'TableFailed', message: renderTableFailure(failure), nonRetryable: true, details: [failure] });
    }
  }
  status = 'completed';
  finishedAtMs = Date.now();
  // A stopped follower's scope is canceled: nothing more may be awaited in it, and the parent reads the result anyway.
  if (stopsFollowing(input, phase)) setCurrentDetails(tableDetails(progress(), finishedAtMs));
  else await reportEnd();
  return {
    source: table.source,
    destination: table.destination,
    sourceConnection: table.sourceConnection,
    destinationConnection: table.destinationConnection,
    ...counts,
    durationMs: Date.now() - startedAtMs,
    // Prepared by now: only a follower in its apply phase gets here from the catch.
    readPlan: prepared!.readPlanText,
    mode: table.mode,
    ...(stream ? { stream } : {}),
  };
}

/**
 * Canceling is how a follower is stopped (`dynamask stop`), so once it
 * applies changes a cancellation ends it as a completed table with its
 * report: its checkpoint is saved by then (apply-phase.ts). Canceled before
 * that (during its baseline copy), it is canceled: the copy is not whole.
 */
function stopsFollowing(input: CopyTableInput, phase: TablePhase): boolean {
  return input.follow === true && input.table.mode === 'incremental' && phase === 'apply';
}
