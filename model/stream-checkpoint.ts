/**
 * Where a table's incremental refresh stands in its source's DynamoDB
 * stream, and which shards can be read next. Plain JSON, kept in Temporal
 * between runs (workflows/stream-checkpoint.ts): stream and shard IDs,
 * sequence numbers, times and a keyed digest. None of these says anything
 * about an item: sequence numbers are counters, shard IDs are made by
 * DynamoDB, and the digest is an HMAC under a key only workers hold.
 *
 * Why replaying is harmless, which everything here leans on: DynamoDB puts
 * every change of one item into one shard, in the order the changes were
 * made, and a child shard (after a split, or when DynamoDB rolls a shard)
 * holds only changes made after its parent closed. Reading parents before
 * children and each shard in order, the last record applied for a key is
 * the key's latest change, whatever earlier records were applied before it
 * and however often. So a position may always be moved back (a crash
 * before a checkpoint was saved, a checkpoint saved late); it must never
 * skip a record that is the last of its key, which is what retention and
 * vanished shards threaten and what planShards refuses.
 */

/** Where one shard stands. */
export interface ShardPosition {
  shardId: string;
  parentShardId?: string;
  /** The last record applied (or skipped as older than the baseline); absent: none yet, so the shard is read from its trim horizon. */
  sequenceNumber?: string;
  /** The shard is closed and every record of it is applied. */
  finished?: true;
  /**
   * Workflow time from which nothing of this shard can have been trimmed
   * unread: when it was first listed, or last read to its end. Only a shard
   * without a sequence number depends on it; one with a sequence number
   * learns of a trim from GetShardIterator (TrimmedDataAccessException).
   */
  sinceMs: number;
}

export interface StreamCheckpoint {
  /** The stream the positions are in; another ARN means the stream was replaced (disabled and enabled again). */
  streamArn: string;
  /** Keyed digest of everything the table's transformed output depends on (src/activities/plan-digest.ts). */
  planDigest: string;
  /**
   * Records created before this (epoch ms) were seen by the baseline copy,
   * which started after them: applying them again is harmless, skipping
   * them saves the work. It lies a margin before the copy's start, for the
   * clocks of DynamoDB and the workflow and for DynamoDB rounding record
   * times down (DynamoDB Local to the minute).
   */
  skipBeforeMs?: number;
  /** Workflow time of the listing the shards come from. */
  listedAtMs: number;
  shards: ShardPosition[];
}

/** A shard as DescribeStream lists it. */
export interface ListedShard {
  shardId: string;
  parentShardId?: string;
  /** Has an ending sequence number: no record will be added. */
  closed: boolean;
}

/**
 * A stream keeps records 24 hours. A shard without a sequence number whose
 * last sign of life is older than this may have lost records unread; the
 * hour spare covers the clocks.
 */
export const SAFE_RETENTION_MS = 23 * 60 * 60 * 1000;

/** Margin before the baseline copy's start below which records are skipped (see skipBeforeMs). */
export const SKIP_MARGIN_MS = 5 * 60 * 1000;

export type ShardPlan = { ok: true; checkpoint: StreamCheckpoint; ready: ShardPosition[] } | { ok: false; reason: string };

/** The position a baseline takes before its copy starts: every listed shard from its trim horizon, older records skipped. */
export function baselinePosition(streamArn: string, planDigest: string, shards: readonly ListedShard[], atMs: number): StreamCheckpoint {
  return {
    streamArn,
    planDigest,
    skipBeforeMs: atMs - SKIP_MARGIN_MS,
    listedAtMs: atMs,
    shards: shards.map((s) => ({ shardId: s.shardId, ...(s.parentShardId !== undefined && { parentShardId: s.parentShardId }), sinceMs: atMs })),
  };
}

/**
 * Merges a fresh listing into the checkpoint, or says why the checkpoint
 * can no longer serve:
 * - a shard of the checkpoint not finished and no longer listed was
 *   trimmed (closed shards are deleted 24 hours after they close) before
 *   all of it was applied;
 * - a shard listed now and new since the checkpoint whose parent is neither
 *   listed nor in the checkpoint: the parent came and went since, unread;
 * - a shard without a sequence number whose last sign of life is older
 *   than the retention.
 * Finished shards no longer listed are dropped: their children carry on.
 * Ready: the shards not finished whose parent is finished or gone.
 */
export function planShards(checkpoint: StreamCheckpoint, listed: readonly ListedShard[], nowMs: number): ShardPlan {
  const known = new Map(checkpoint.shards.map((s) => [s.shardId, s]));
  const listedIds = new Set(listed.map((s) => s.shardId));
  for (const shard of checkpoint.shards) {
    if (!shard.finished && !listedIds.has(shard.shardId)) {
      return { ok: false, reason: `shard ${shard.shardId} of the checkpoint is gone from the stream (trimmed past its 24-hour retention) before all its changes were applied` };
    }
  }
  const shards: ShardPosition[] = [];
  for (const shard of listed) {
    const position = known.get(shard.shardId);
    if (position) {
      shards.push(position);
      continue;
    }
    const parent = shard.parentShardId;
    if (parent !== undefined && !known.has(parent) && !listedIds.has(parent)) {
      return { ok: false, reason: `shard ${shard.shardId} is new since the checkpoint, and its parent ${parent} is gone unread (trimmed past the 24-hour retention)` };
    }
    shards.push({ shardId: shard.shardId, ...(parent !== undefined && { parentShardId: parent }), sinceMs: checkpoint.listedAtMs });
  }
  for (const shard of shards) {
    if (!shard.finished && shard.sequenceNumber === undefined && nowMs - shard.sinceMs > SAFE_RETENTION_MS) {
      return { ok: false, reason: `the checkpoint is older than the stream's 24-hour retention (shard ${shard.shardId} unread since ${new Date(shard.sinceMs).toISOString()})` };
    }
  }
  const byId = new Map(shards.map((s) => [s.shardId, s]));
  const ready = shards.filter((s) => !s.finished && (s.parentShardId === undefined || byId.get(s.parentShardId)?.finished === true || !byId.has(s.parentShardId)));
  return { ok: true, checkpoint: { ...checkpoint, listedAtMs: nowMs, shards }, ready };
}

/** The checkpoint with one shard's position replaced. */
export function withShard(checkpoint: StreamCheckpoint, position: ShardPosition): StreamCheckpoint {
  return { ...checkpoint, shards: checkpoint.shards.map((s) => (s.shardId === position.shardId ? position : s)) };
}
