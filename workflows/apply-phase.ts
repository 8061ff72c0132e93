/**
 * The apply phase of an incremental table: every ready shard's chain of
 * applyShardChanges calls in parallel (so shards spread over the workers
 * as segments do), parents before children: when a shard is finished, the
 * stream is listed again (planStream) and its children start. Each call
 * returns the shard's new position, which the checkpoint takes only then:
 * every record before it is written. The checkpoint is saved every
 * SAVE_EVERY_CALLS calls, before continueAsNew, at the end, and when the
 * run is canceled, so a stopped follower or a crashed run resumes from it
 * (replaying what came after it, which is harmless: model/stream-checkpoint.ts).
 *
 * Catching up (a scheduled run), a chain ends when its shard is at its
 * end; following, chains go on until the run continues as new (or a shard
 * finishes, to list the stream for its children).
 */
import { CancellationScope, continueAsNew, isCancellation, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../src/activities/index.ts';
import type { PlanStreamResult, StreamTableInput } from '../src/activities/contracts.ts';
import { withShard, type ShardPosition, type StreamCheckpoint } from '../model/stream-checkpoint.ts';
import type { TableCounts } from '../model/counts.ts';
import type { copyTable } from './copy-table.ts';
import { CALLS_PER_RUN, SAVE_EVERY_CALLS } from './history-bounds.ts';
import { pageActivities } from './page-activities.ts';
import type { CopyTableInput, CopyTableResume } from './shared.ts';
import { saveCheckpoint } from './stream-checkpoint.ts';

export const { planStream } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 5 } });

export interface ApplyRun {
  input: CopyTableInput;
  tableInput: StreamTableInput;
  checkpoint: StreamCheckpoint;
  /** Shards to read first; absent: list the stream first (a run continued as new). */
  ready?: ShardPosition[];
  calls: { made: number };
  progressed(counts: Partial<TableCounts>, lagMs: number): Promise<void>;
  /** Everything else the next run needs, for continueAsNew. */
  resume(checkpoint: StreamCheckpoint): CopyTableResume;
}

export type ApplyOutcome = { kind: 'done'; checkpoint: StreamCheckpoint } | { kind: 'lost'; reason: string };

export async function applyPhase(run: ApplyRun): Promise<ApplyOutcome> {
  const { input } = run;
  let checkpoint = run.checkpoint;
  const { applyShardChanges } = pageActivities(input.heartbeatTimeoutMs, { waitForCancel: input.follow === true });
  const save = () => saveCheckpoint(input.jobName, input.table, checkpoint);
  const timeForNewRun = () => run.calls.made >= (input.callsPerRun ?? CALLS_PER_RUN) || workflowInfo().continueAsNewSuggested;
  const replan = async (): Promise<PlanStreamResult> => {
    run.calls.made++;
    return planStream({ ...run.tableInput, checkpoint, atMs: Date.now() });
  };
  try {
    let ready = run.ready;
    if (!ready) {
      const plan = await replan();
      if (plan.kind === 'full') return { kind: 'lost', reason: plan.reason };
      ({ checkpoint, ready } = plan);
    }
    for (;;) {
      let finished = false;
      let lost: string | undefined;
      const lags = new Map<string, number>();
      const chain = async (start: ShardPosition) => {
        let shard = start;
        while (!timeForNewRun() && lost === undefined && !(input.follow && finished)) {
          run.calls.made++;
          const result = await applyShardChanges.executeWithOptions({ summary: `apply ${input.table.source} ${shard.shardId}` }, [
            {
              ...run.tableInput,
              streamArn: checkpoint.streamArn,
              shard,
              ...(checkpoint.skipBeforeMs !== undefined && { skipBeforeMs: checkpoint.skipBeforeMs }),
              totalShards: ready!.length,
              ...(input.follow && { follow: true }),
            },
          ]);
          if (result.kind === 'lost') {
            lost = result.reason;
            await run.progressed(result.counts, 0);
            return;
          }
          shard = result.shard;
          checkpoint = withShard(checkpoint, shard);
          lags.set(shard.shardId, result.lagMs);
          await run.progressed(result.counts, Math.max(...lags.values()));
          if (run.calls.made % SAVE_EVERY_CALLS === 0) await save();
          if (result.end === 'finished') finished = true;
          if (result.end === 'finished' || (result.end === 'caughtUp' && !input.follow)) return;
        }
      };
      // A stream with no shard to read (it should always have an open one) is listed again after a pause, not at once.
      if (ready.length === 0 && input.follow) await sleep('10 seconds');
      await Promise.all(ready.map(chain));
      if (lost !== undefined) return { kind: 'lost', reason: lost };
      if (timeForNewRun()) {
        await save();
        await continueAsNew<typeof copyTable>({ ...input, resume: run.resume(checkpoint) });
      }
      // A finished shard's children are listed now; without one, the shards are at their end (catching up).
      if (!finished && !input.follow) break;
      const plan = await replan();
      if (plan.kind === 'full') return { kind: 'lost', reason: plan.reason };
      ({ checkpoint, ready } = plan);
    }
    await save();
    return { kind: 'done', checkpoint };
  } catch (error) {
    // A stopped follower (or a canceled run) leaves the positions its completed calls reached.
    if (isCancellation(error)) await CancellationScope.nonCancellable(save);
    throw error;
  }
}
