import { describe, expect, it } from 'vitest';
import { DescribeStreamCommand, type DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { listShards } from './stream-info.ts';

const shard = (id: string, parent?: string, closed = false): Shard => ({
  ShardId: id,
  ...(parent && { ParentShardId: parent }),
  SequenceNumberRange: { StartingSequenceNumber: '1', ...(closed && { EndingSequenceNumber: '9' }) },
});

describe('listing a stream\'s shards', () => {
  it('pages DescribeStream by ExclusiveStartShardId until no LastEvaluatedShardId, keeping parents, children and closed shards', async () => {
    const pages: Record<string, { Shards: Shard[]; LastEvaluatedShardId?: string }> = {
      '': { Shards: [shard('a', undefined, true), shard('b', 'a', true)], LastEvaluatedShardId: 'b' },
      b: { Shards: [shard('c', 'b'), shard('d', 'b')], LastEvaluatedShardId: 'd' },
      d: { Shards: [] },
    };
    const asked: (string | undefined)[] = [];
    const client = {
      async send(command: unknown) {
        if (!(command instanceof DescribeStreamCommand)) throw new Error('unexpected command');
        asked.push(command.input.ExclusiveStartShardId);
        expect(command.input.StreamArn).toBe('arn:stream');
        return { StreamDescription: pages[command.input.ExclusiveStartShardId ?? ''] };
      },
    } as unknown as DynamoDBStreamsClient;
    expect(await listShards(client, 'arn:stream')).toEqual([
      { shardId: 'a', closed: true },
      { shardId: 'b', parentShardId: 'a', closed: true },
      { shardId: 'c', parentShardId: 'b', closed: false },
      { shardId: 'd', parentShardId: 'b', closed: false },
    ]);
    expect(asked).toEqual([undefined, 'b', 'd']);
  });
});
