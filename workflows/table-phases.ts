/**
 * A table's copy after prepare: every segment's chain of copyPages calls in
 * parallel, then, with `mode: replace` and only once every segment is
 * complete, the prune prepareTable chose: the same chains with
 * pruneDestination (inverse), or one pruneDestinationForward call
 * (forward-prune.ts). After so many calls the run
 * continues as new, carrying the phase, the segments' sealed cursors and
 * the counts; only those pass through here. The number of calls per run
 * is what bounds the run's history (history-bounds.ts).
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';
import type { PrepareTableResult } from '../src/activities/contracts.ts';
import type { TableCounts } from '../model/counts.ts';
import type { copyTable } from './copy-table.ts';
import { pruneForward } from './forward-prune.ts';
import { CALLS_PER_RUN } from './history-bounds.ts';
import { pageActivities } from './page-activities.ts';
import { tableActivityInput } from './table-activity-input.ts';
import type { CopyTableInput, CopyTableResume, SegmentState } from './shared.ts';

// One call reads the whole selection again; it heartbeats every page.
const { countMergedKeys } = proxyActivities<Activities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

type Phase = CopyTableResume['phase'];

export interface PhaseRun {
  input: CopyTableInput;
  plan: PrepareTableResult;
  startedAtMs: number;
  /** The table's counts so far, for the next run. */
  counts(): TableCounts;
  /** Where the reports to the parent stand, for the next run. */
  reports(): NonNullable<CopyTableResume['reports']>;
  /** A phase starts (or resumes), so that a failure can say which. */
  entering(phase: Phase): void;
  /** One call's counts, to add to the table's. */
  progressed(counts: Partial<TableCounts>): Promise<void>;
  /** Calls made in this run so far, when phases of another kind share the run's budget (mode incremental). */
  calls?: { made: number };
  /** More to carry across continueAsNew (mode incremental: the stream's position). */
  carry?(): Partial<CopyTableResume>;
}

/** One call of a segment's chain: where it got to (no cursor: done) and what it counted; `active`: segments not yet done, this one included. */
type SegmentCall = (segment: number, state: SegmentState, totalSegments: number, active: number) => Promise<{ cursor?: string; counts: Partial<TableCounts> }>;

export async function runPhases(run: PhaseRun): Promise<void> {
  const { input, plan } = run;
  let phase: Phase = input.resume?.phase ?? 'copy';
  let segments: SegmentState[] = input.resume?.segments ?? fresh(plan.segments);
  const calls = run.calls ?? { made: 0 };
  const timeForNewRun = () => calls.made >= (input.callsPerRun ?? CALLS_PER_RUN) || workflowInfo().continueAsNewSuggested;

  // Each segment is its own chain of calls, so segments spread over every worker on the task queue.
  const runPhase = async (call: SegmentCall) => {
    run.entering(phase);
    await Promise.all(
      segments.map(async (state, segment) => {
        while (!state.done && !timeForNewRun()) {
          calls.made++;
          const result = await call(segment, state, segments.length, segments.filter((s) => !s.done).length);
          state.cursor = result.cursor;
          state.done = result.cursor === undefined;
          await run.progressed(result.counts);
        }
      }),
    );
    if (segments.some((s) => !s.done)) await newRun();
  };
  const newRun = async () => {
    const resume = { ...run.carry?.(), phase, segments, counts: run.counts(), startedAtMs: run.startedAtMs, prepared: plan, reports: run.reports() };
    await continueAsNew<typeof copyTable>({ ...input, resume });
  };

  if (phase === 'copy') {
    await runPhase(copyCall(input, plan));
    // Only a job that allows key mappings to merge keys gets here; the count is exact across segments and workers.
    if (plan.countMerges) await run.progressed({ merged: (await countMergedKeys({ ...tableActivityInput(input, plan), readPlan: plan.readPlan })).merged });
    // Only after every segment copied completely: an interrupted run never deletes. An incremental table's full copy prunes as replace does.
    if (input.table.mode === 'replace' || input.table.mode === 'incremental') {
      phase = 'prune';
      segments = fresh(plan.segments);
    }
  }
  if (phase !== 'prune') return;
  // The prepare result says which prune; one without the field (an older run's) is the inverse one, as it always was.
  if (plan.prune !== 'forward') return runPhase(pruneCall(input, plan));
  run.entering(phase);
  // One call, counted as one so that the run's history bound holds.
  if (timeForNewRun()) return newRun();
  calls.made++;
  await run.progressed({ deleted: (await pruneForward(input, plan)).deleted });
}

function copyCall(input: CopyTableInput, plan: PrepareTableResult): SegmentCall {
  const { copyPages } = pageActivities(input.heartbeatTimeoutMs);
  return (segment, state, totalSegments, active) =>
    copyPages.executeWithOptions({ summary: `copy ${input.table.source} segment ${segment + 1}/${totalSegments}` }, [
      {
        ...tableActivityInput(input, plan),
        readPlan: plan.readPlan,
        segment,
        totalSegments,
        activeSegments: active,
        ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
      },
    ]);
}

function pruneCall(input: CopyTableInput, plan: PrepareTableResult): SegmentCall {
  const { pruneDestination } = pageActivities(input.heartbeatTimeoutMs);
  return async (segment, state, totalSegments) => {
    const result = await pruneDestination.executeWithOptions({ summary: `prune ${input.table.destination} segment ${segment + 1}/${totalSegments}` }, [
      {
        table: input.table.mode === 'incremental' ? { ...input.table, mode: 'replace' } : input.table,
        connections: input.connections,
        // Transformed keys are mapped back with the salt the copy used.
        ...(input.salt !== undefined && { salt: input.salt }),
        ...(input.runWorkflowId !== undefined && { runWorkflowId: input.runWorkflowId }),
        ...(input.sources !== undefined && { sources: input.sources }),
        keyAttributes: plan.keyAttributes,
        // Only a table that follows references (or walks a ring of them): its selection is recomputed by the prune from this plan.
        ...((plan.readPlan.kind === 'references' || plan.readPlan.kind === 'ring') && { readPlan: plan.readPlan }),
        segment,
        totalSegments,
        ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
      },
    ]);
    return { ...(result.cursor !== undefined ? { cursor: result.cursor } : {}), counts: { deleted: result.deleted } };
  };
}

function fresh(segments: number): SegmentState[] {
  return Array.from({ length: segments }, () => ({ done: false }));
}
