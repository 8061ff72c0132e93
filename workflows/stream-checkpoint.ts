/**
 * A table's stream checkpoint (mode incremental), kept in Temporal between
 * runs: one long-lived workflow per job and table, with a fixed ID
 * (streamCheckpointWorkflowId), that holds the last checkpoint saved and
 * nothing else: shard IDs, sequence numbers, times and a keyed digest
 * (model/stream-checkpoint.ts), never an item value. The destination holds
 * data only.
 *
 * A table's workflow starts it if it is not running (abandoned, so it
 * outlives the run), asks for the checkpoint by signal and gets it back by
 * signal (a workflow cannot query another), and saves by signal once the
 * changes before the new positions are written. Clients read it with the
 * `checkpoint` query (`dynamask status`). After SIGNALS_PER_RUN signals it
 * continues as new with the checkpoint, so its history stays under
 * STREAM_CHECKPOINT_EVENTS (history-bounds.ts), however many runs save.
 */
import {
  ChildWorkflowCancellationType,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { TableJob } from '../model/job.ts';
import type { StreamCheckpoint } from '../model/stream-checkpoint.ts';
import { STREAM_CHECKPOINT_SIGNALS_PER_RUN } from './history-bounds.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from './search-attributes.ts';
import { clipToBytes, SUMMARY_MAX_BYTES } from './shared.ts';

/** null clears it: a full copy that starts leaves no checkpoint behind until it is done. */
export const saveCheckpointSignal = defineSignal<[{ checkpoint: StreamCheckpoint | null }]>('saveCheckpoint');
export const requestCheckpointSignal = defineSignal<[{ replyTo: string }]>('requestCheckpoint');
export const checkpointReplySignal = defineSignal<[{ checkpoint: StreamCheckpoint | null }]>('checkpointReply');
export const checkpointQuery = defineQuery<StreamCheckpoint | null>('checkpoint');

export interface StreamCheckpointInput {
  checkpoint: StreamCheckpoint | null;
}

export function streamCheckpointWorkflowId(jobName: string, table: Pick<TableJob, 'source' | 'sourceConnection' | 'destination' | 'destinationConnection'>): string {
  return `dynamask/${jobName}/checkpoint/${table.sourceConnection}:${table.source}->${table.destinationConnection}:${table.destination}`;
}

export async function streamCheckpoint(input: StreamCheckpointInput): Promise<void> {
  let checkpoint = input.checkpoint;
  const replyTo: string[] = [];
  let signals = 0;
  setHandler(saveCheckpointSignal, (saved) => {
    checkpoint = saved.checkpoint;
    signals++;
  });
  setHandler(requestCheckpointSignal, ({ replyTo: to }) => {
    replyTo.push(to);
    signals++;
  });
  setHandler(checkpointQuery, () => checkpoint);
  for (;;) {
    await condition(() => replyTo.length > 0 || signals >= STREAM_CHECKPOINT_SIGNALS_PER_RUN);
    while (replyTo.length > 0) {
      // A requester gone (terminated while asking) must not stop the checkpoint.
      await getExternalWorkflowHandle(replyTo.shift()!).signal(checkpointReplySignal, { checkpoint }).catch(() => undefined);
    }
    if (signals >= STREAM_CHECKPOINT_SIGNALS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof streamCheckpoint>({ checkpoint });
    }
  }
}

/** The table's checkpoint, from its workflow, started here (abandoned, to outlive this run) when it is not running. */
export async function loadCheckpoint(jobName: string, table: TableJob): Promise<StreamCheckpoint | undefined> {
  const workflowId = streamCheckpointWorkflowId(jobName, table);
  try {
    await startChild(streamCheckpoint, {
      workflowId,
      args: [{ checkpoint: null }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // Nor canceled with this run (a stopped follower, a canceled run): it must be there for the save that follows, and for the next run.
      cancellationType: ChildWorkflowCancellationType.ABANDON,
      staticSummary: clipToBytes(`stream checkpoint of ${jobName}: ${table.source} -> ${table.destination}`, SUMMARY_MAX_BYTES),
      typedSearchAttributes: [
        { key: DYNAMASK_JOB, value: jobName },
        { key: DYNAMASK_TABLE, value: [table.source] },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  let reply: { checkpoint: StreamCheckpoint | null } | undefined;
  setHandler(checkpointReplySignal, (answer) => {
    reply = answer;
  });
  await getExternalWorkflowHandle(workflowId).signal(requestCheckpointSignal, { replyTo: workflowInfo().workflowId });
  await condition(() => reply !== undefined);
  return reply!.checkpoint ?? undefined;
}

export async function saveCheckpoint(jobName: string, table: TableJob, checkpoint: StreamCheckpoint | null): Promise<void> {
  await getExternalWorkflowHandle(streamCheckpointWorkflowId(jobName, table)).signal(saveCheckpointSignal, { checkpoint });
}
