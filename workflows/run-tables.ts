/**
 * Works through a run's tables: a copyTable child per table, in job order
 * but for references (a referenced table starts before the tables that
 * follow it: model/reference-order.ts), at most `tablesInFlight` at once. A table starts only while its worst
 * case (RUN_TABLES_EVENTS_PER_TABLE) still fits in the history limit beside
 * the tables already running; when nothing more fits and nothing runs, the
 * workflow continues as new with what it knows (every table's progress, the
 * reports so far, the next table). So no run of it passes its history
 * limit (8,000 events by default), however many tables the job has.
 *
 * It never continues as new while a child runs: Temporal applies a child's
 * parent-close policy when its parent continues as new (temporalio/temporal
 * #373, #3666), which would terminate the copy. For the same reason the
 * job's lock is held by refreshJob, which never continues as new, and not
 * here.
 *
 * Its `progress` query answers from the children's reports, which arrive
 * at a decreasing rate (history-bounds.ts); clients ask the running
 * children themselves for live counts (src/client/runs.ts).
 */
import { ApplicationFailure, CancellationScope, condition, continueAsNew, executeChild, patched, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { dependencyOrder } from '../model/reference-order.ts';
import { sourcesNear } from '../model/database-identity.ts';
import { renderJobFailure, type JobFailure, type TableFailure } from '../model/failure.ts';
import type { TableJob } from '../model/job.ts';
import { copyTable } from './copy-table.ts';
import { stopChildrenWhenCanceled, STOP_BY_ID_PATCH } from './stop-children.ts';
import { RUN_CLOSE_EVENTS, RUN_TABLES_EVENTS_PER_TABLE, RUN_TABLES_HISTORY_LIMIT, TABLES_IN_FLIGHT } from './history-bounds.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from './search-attributes.ts';
import { tableDetails } from './table-details.ts';
import { childTableFailure } from './table-failure.ts';
import {
  clipToBytes,
  copyTableWorkflowId,
  progressQuery,
  SUMMARY_MAX_BYTES,
  tableProgressSignal,
  type TableProgress,
  type TableReport,
} from './shared.ts';
import { completed, pending } from './table-progress.ts';
import type { RunTablesInput, RunTablesResult, RunTablesResume } from './run-tables-input.ts';

export async function runTables(input: RunTablesInput): Promise<RunTablesResult> {
  const { job, runWorkflowId } = input;
  const state: RunTablesResume = input.resume ?? { next: 0, progress: job.tables.map(pending), reports: job.tables.map(() => null), ...startOrder(job.tables) };
  const showDetails = () => setCurrentDetails(state.progress.map((p) => tableDetails(p, Date.now())).join('\n\n---\n\n'));
  setHandler(progressQuery, () => state.progress);
  setHandler(tableProgressSignal, ({ tableIndex, progress }) => {
    // Only a running table takes reports: its result, once in, is final.
    if (state.progress[tableIndex]?.status !== 'running') return;
    state.progress[tableIndex] = progress;
    showDetails();
  });
  showDetails();

  const copy = async (tableIndex: number, table: TableJob) => {
    const startedAtMs = Date.now();
    state.progress[tableIndex] = { ...state.progress[tableIndex]!, status: 'running', startedAtMs };
    try {
      const child = () => executeChild(copyTable, {
        workflowId: copyTableWorkflowId(runWorkflowId, tableIndex, table.source),
        staticSummary: clipToBytes(`${job.name}: ${table.source} -> ${table.destination}${table.where ? ` where ${table.where}` : ''}`, SUMMARY_MAX_BYTES),
        typedSearchAttributes: [
          { key: DYNAMASK_JOB, value: job.name },
          { key: DYNAMASK_TABLE, value: [table.source] },
        ],
        args: [
          {
            jobName: job.name,
            table,
            connections: job.connections,
            defaults: job.defaults,
            // A reference, resolved by the workers; without one they derive this run's salt from its ID, so no salt passes through here.
            ...(job.salt !== undefined && { salt: job.salt }),
            runWorkflowId,
            sources: sourcesNear(job, table.destinationConnection),
            sandbox: job.sandbox,
            keysAreSensitive: job.keysAreSensitive,
            parent: { workflowId: workflowInfo().workflowId, tableIndex },
            ...(input.limits?.callsPerRun !== undefined ? { callsPerRun: input.limits.callsPerRun } : {}),
            ...(input.limits?.heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs: input.limits.heartbeatTimeoutMs } : {}),
            ...(input.follow && { follow: true }),
          },
        ],
      });
      // A follower is canceled by stop-children.ts, not through this call; its result is awaited whatever happens here.
      const report = await (input.follow ? CancellationScope.nonCancellable(child) : child());
      state.reports[tableIndex] = report;
      state.progress[tableIndex] = completed(report, state.progress[tableIndex]!.startedAtMs ?? startedAtMs);
    } catch (error) {
      // The child's own record, or one from its last report when it ended from outside (terminated, timed out).
      const failure = childTableFailure(error, table, state.progress[tableIndex]!);
      state.progress[tableIndex] = { ...state.progress[tableIndex]!, status: 'failed', failure, finishedAtMs: Date.now() };
    }
  };

  const runningTables = () => state.progress.flatMap((p, i) => (p.status === 'running' ? [copyTableWorkflowId(runWorkflowId, i, job.tables[i]!.source)] : []));
  stopChildrenWhenCanceled(runningTables, () => input.follow === true || patched(STOP_BY_ID_PATCH));

  // Followers never end, so all of them run at once (as many as the history limit fits).
  const inFlight = input.follow ? job.tables.length : Math.max(1, input.limits?.tablesInFlight ?? TABLES_IN_FLIGHT);
  const limit = input.limits?.historyLimit ?? RUN_TABLES_HISTORY_LIMIT;
  let running = 0;
  let startedHere = 0;
  const fits = () =>
    !workflowInfo().continueAsNewSuggested && workflowInfo().historyLength + (running + 1) * RUN_TABLES_EVENTS_PER_TABLE + RUN_CLOSE_EVENTS <= limit;
  const copies: Promise<void>[] = [];
  while (state.next < job.tables.length) {
    await condition(() => running < inFlight && (running === 0 || fits()));
    // A fresh run always starts a table, so that a limit too small for one cannot stall the job.
    if (!fits() && startedHere > 0) await continueAsNew<typeof runTables>({ ...input, resume: state });
    // Reports and progress stay by table index, in job order; only the starts follow the references.
    const place = state.next++;
    const tableIndex = state.order?.[place] ?? place;
    startedHere++;
    running++;
    copies.push(
      copy(tableIndex, job.tables[tableIndex]!).finally(() => {
        running--;
        showDetails();
      }),
    );
  }
  await Promise.all(copies);

  const failures: TableFailure[] = state.progress.flatMap((p) => (p.failure ? [p.failure] : []));
  if (failures.length > 0) {
    const failed: JobFailure = { job: job.name, tables: job.tables.length, failures };
    throw ApplicationFailure.create({ type: 'JobFailed', message: renderJobFailure(failed), nonRetryable: true, details: [failed] });
  }
  return { tables: state.reports.filter((r): r is TableReport => r !== null), progress: state.progress };
}

/** Referenced tables first (model/reference-order.ts); a job whose order that leaves as it is makes no marker, and histories from before it replay in job order. */
export const DEPENDENCY_ORDER_PATCH = 'dynamask-dependency-order';

function startOrder(tables: readonly TableJob[]): Pick<RunTablesResume, 'order'> {
  const order = dependencyOrder(tables);
  return order.every((index, i) => index === i) || !patched(DEPENDENCY_ORDER_PATCH) ? {} : { order };
}
