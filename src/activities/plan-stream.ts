/**
 * Where a table's incremental run starts (mode incremental): from the
 * checkpoint, when the source's stream can still serve it, or with a full
 * copy, and why. The stream cannot serve when the table has none, when its
 * records carry no new image (KEYS_ONLY, OLD_IMAGE: a full copy, rather
 * than a GetItem per change, keeps the source's reads to one Scan and the
 * run's picture of each key to one moment), when it was replaced by another
 * (disabled and enabled again), when the mapping changed since the
 * checkpoint (plan-digest.ts), or when a shard's unread records may be
 * gone (model/stream-checkpoint.ts planShards). Only read calls: dynamask
 * never enables or changes a source's stream.
 *
 * Before a full copy it takes the stream's position (every shard listed
 * now, read from its trim horizon later), so that every change made during
 * the copy is applied after it.
 */
import { Context } from '@temporalio/activity';
import type { DynamoClients } from '../dynamo/clients.ts';
import { imagesProblem, listShards, sourceStream } from '../dynamo/streams/stream-info.ts';
import { baselinePosition, planShards } from '../../model/stream-checkpoint.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import { connectionOf, dynamoFailure, failingAsData } from './failures.ts';
import { jobSalt } from './job-salt.ts';
import { planDigest } from './plan-digest.ts';
import type { CursorSeal } from './sealed-cursor.ts';
import type { PlanStreamInput, PlanStreamResult } from './contracts.ts';

export interface PlanStreamDeps {
  clients: DynamoClients;
  seal: CursorSeal;
  secrets: SecretResolver;
}

export function makePlanStream(deps: PlanStreamDeps) {
  return async function planStream(input: PlanStreamInput): Promise<PlanStreamResult> {
    return failingAsData(() => plan(deps, input));
  };
}

async function plan(deps: PlanStreamDeps, input: PlanStreamInput): Promise<PlanStreamResult> {
  const context = Context.current();
  const { table, connections } = input;
  const connection = connectionOf(connections, table.sourceConnection);
  const reading = (error: unknown) => {
    throw dynamoFailure(error, table, connections, { side: 'source', doing: 'describing the stream of' });
  };
  const found = await sourceStream(deps.clients.source(table.sourceConnection, connection), table.source).catch(reading);
  if (found.kind === 'none') return { kind: 'full', reason: 'the source table has no stream enabled' };
  const noImages = imagesProblem(found.viewType);
  if (noImages) return { kind: 'full', reason: noImages };

  const salt = await jobSalt(deps, input, context.info.workflowExecution?.workflowId ?? context.info.activityId);
  const digest = planDigest(deps.seal, { ...input, salt });
  const shards = await listShards(deps.clients.streams(table.sourceConnection, connection), found.streamArn, { abortSignal: context.cancellationSignal }).catch(reading);
  const position = baselinePosition(found.streamArn, digest, shards, input.atMs);
  const checkpoint = input.checkpoint;
  if (!checkpoint) return { kind: 'full', reason: 'first run: no checkpoint yet', position };
  if (checkpoint.streamArn !== found.streamArn) return { kind: 'full', reason: 'the source\'s stream was replaced by a new one since the checkpoint', position };
  if (checkpoint.planDigest !== digest) {
    return { kind: 'full', reason: 'the mapping changed since the checkpoint (transformers, defaults, salt, where or destination)', position };
  }
  const shardPlan = planShards(checkpoint, shards, input.atMs);
  if (!shardPlan.ok) return { kind: 'full', reason: shardPlan.reason, position };
  return { kind: 'changes', checkpoint: shardPlan.checkpoint, ready: shardPlan.ready };
}
