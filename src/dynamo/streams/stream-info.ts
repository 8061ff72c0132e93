/**
 * What a source table's stream is and which shards it has, with read-only
 * calls: DescribeTable (the table's current stream and what its records
 * hold) and DescribeStream, paged by ExclusiveStartShardId, for the shards.
 * ListStreams is not needed: DescribeTable's LatestStreamArn names the one
 * stream that gets the table's changes now.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ListedShard } from '../../../model/stream-checkpoint.ts';
import { describeTable } from '../table-info.ts';

export type StreamViewType = 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | 'OLD_IMAGE';

export type SourceStream = { kind: 'none' } | { kind: 'stream'; streamArn: string; viewType: StreamViewType };

export async function sourceStream(client: DynamoDBClient, table: string): Promise<SourceStream> {
  const description = await describeTable(client, table);
  const spec = description.StreamSpecification;
  if (!spec?.StreamEnabled || !description.LatestStreamArn) return { kind: 'none' };
  return { kind: 'stream', streamArn: description.LatestStreamArn, viewType: (spec.StreamViewType ?? 'KEYS_ONLY') as StreamViewType };
}

/** Why a stream cannot give the new image of a change, or undefined when it can. */
export function imagesProblem(viewType: StreamViewType): string | undefined {
  if (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') return undefined;
  return `the source's stream is ${viewType}, without the new image of a change (enable it with NEW_IMAGE or NEW_AND_OLD_IMAGES)`;
}

/** Every shard of the stream, in DescribeStream's order (parents before their children). */
export async function listShards(client: DynamoDBStreamsClient, streamArn: string, options: { abortSignal?: AbortSignal } = {}): Promise<ListedShard[]> {
  const shards: ListedShard[] = [];
  let ExclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await client.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId) continue;
      shards.push({
        shardId: shard.ShardId,
        ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
        closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      });
    }
    ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (ExclusiveStartShardId);
  return shards;
}
