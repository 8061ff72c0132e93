import { describe, expect, it } from 'vitest';
import { baselinePosition, planShards, SAFE_RETENTION_MS, SKIP_MARGIN_MS, withShard, type ListedShard, type StreamCheckpoint } from './stream-checkpoint.ts';

const T0 = Date.UTC(2026, 0, 1);
const open = (shardId: string, parentShardId?: string): ListedShard => ({ shardId, closed: false, ...(parentShardId && { parentShardId }) });
const closed = (shardId: string, parentShardId?: string): ListedShard => ({ ...open(shardId, parentShardId), closed: true });

describe('stream checkpoints', () => {
  it('takes a baseline at every listed shard, from its trim horizon, skipping records a margin older than the copy', () => {
    expect(baselinePosition('arn:s', 'd', [closed('a'), open('b', 'a')], T0)).toEqual({
      streamArn: 'arn:s',
      planDigest: 'd',
      skipBeforeMs: T0 - SKIP_MARGIN_MS,
      listedAtMs: T0,
      shards: [
        { shardId: 'a', sinceMs: T0 },
        { shardId: 'b', parentShardId: 'a', sinceMs: T0 },
      ],
    });
  });

  it('reads parents before children: a child is ready only once its parent is finished or gone', () => {
    const base = baselinePosition('arn:s', 'd', [closed('a'), open('b', 'a'), open('c')], T0);
    const first = planShards(base, [closed('a'), open('b', 'a'), open('c')], T0 + 1);
    expect(first.ok && first.ready.map((s) => s.shardId)).toEqual(['a', 'c']);
    const done = withShard(base, { shardId: 'a', sequenceNumber: '9', finished: true, sinceMs: T0 });
    const second = planShards(done, [closed('a'), open('b', 'a'), open('c')], T0 + 2);
    expect(second.ok && second.ready.map((s) => s.shardId)).toEqual(['b', 'c']);
    // The finished parent trimmed away: dropped, its child carries on.
    const third = planShards(done, [open('b', 'a'), open('c')], T0 + 3);
    expect(third.ok && third.checkpoint.shards.map((s) => s.shardId)).toEqual(['b', 'c']);
    expect(third.ok && third.ready.map((s) => s.shardId)).toEqual(['b', 'c']);
  });

  it('reads a split shard before both its children, and a chain of closed shards one generation at a time, whatever the listing order', () => {
    const listed = [open('c', 'b1'), closed('b1', 'a'), open('b2', 'a'), closed('a')];
    const base = baselinePosition('arn:s', 'd', listed, T0);
    const ready = (checkpoint: StreamCheckpoint, nowMs: number) => {
      const plan = planShards(checkpoint, listed, nowMs);
      return plan.ok ? plan.ready.map((s) => s.shardId).sort() : plan.reason;
    };
    const finish = (checkpoint: StreamCheckpoint, shardId: string) => withShard(checkpoint, { ...checkpoint.shards.find((s) => s.shardId === shardId)!, sequenceNumber: '9', finished: true });
    expect(ready(base, T0 + 1)).toEqual(['a']);
    const split = finish(base, 'a');
    expect(ready(split, T0 + 2), 'both halves of the split').toEqual(['b1', 'b2']);
    expect(ready(finish(split, 'b2'), T0 + 3), 'the open half does not wait for its sibling').toEqual(['b1']);
    expect(ready(finish(split, 'b1'), T0 + 3), 'the grandchild once its own parent is done').toEqual(['b2', 'c']);
  });

  it('takes in shards new since the checkpoint whose parent it knows, from their trim horizon', () => {
    const base = withShard(baselinePosition('arn:s', 'd', [open('a')], T0), { shardId: 'a', sequenceNumber: '5', sinceMs: T0 });
    const plan = planShards(base, [closed('a'), open('b', 'a')], T0 + 10);
    expect(plan.ok && plan.checkpoint.shards).toEqual([
      { shardId: 'a', sequenceNumber: '5', sinceMs: T0 },
      { shardId: 'b', parentShardId: 'a', sinceMs: T0 },
    ]);
    expect(plan.ok && plan.checkpoint.listedAtMs).toBe(T0 + 10);
  });

  it.each<[string, StreamCheckpoint, ListedShard[], number, RegExp]>([
    ['a shard not finished is gone', baselinePosition('arn:s', 'd', [open('a')], T0), [open('z')], T0 + 1, /shard a of the checkpoint is gone from the stream/],
    ['a new shard whose parent came and went unread', baselinePosition('arn:s', 'd', [open('a')], T0), [open('a'), open('c', 'b')], T0 + 1, /shard c is new since the checkpoint, and its parent b is gone unread/],
    ['a shard unread past the retention', baselinePosition('arn:s', 'd', [open('a')], T0), [open('a')], T0 + SAFE_RETENTION_MS + 1, /older than the stream's 24-hour retention \(shard a unread since 2026-01-01T00:00:00.000Z\)/],
  ])('cannot serve when %s', (_, checkpoint, listed, nowMs, reason) => {
    const plan = planShards(checkpoint, listed, nowMs);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.reason).toMatch(reason);
  });

  it('leaves retention to GetShardIterator once a shard has a sequence number', () => {
    const base = withShard(baselinePosition('arn:s', 'd', [open('a')], T0), { shardId: 'a', sequenceNumber: '5', sinceMs: T0 });
    expect(planShards(base, [open('a')], T0 + 2 * SAFE_RETENTION_MS).ok).toBe(true);
  });
});
