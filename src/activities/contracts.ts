/**
 * The input and result of every activity: what a workflow sends an activity
 * and gets back. Only job text, sealed cursors and counts; never an item
 * value, and never a secret: the salt travels as a reference the worker
 * resolves.
 */
import type { TableCounts } from '../../model/counts.ts';
import type { SourceTableRef } from '../../model/database-identity.ts';
import type { ConnectionConfig, Job, TableJob } from '../../model/job.ts';
import type { SecretSource } from '../../model/secret-ref.ts';
import type { ShardPosition, StreamCheckpoint } from '../../model/stream-checkpoint.ts';
import type { ReadPlan } from '../dynamo/where/read-plan.ts';
import type { IndexKeyAttribute } from '../dynamo/item-limits.ts';

/** What every activity that writes the destination is told about the job's sources. */
export interface GuardedSources {
  /**
   * The job's source tables this table's destination may reach (sourcesNear
   * in model/database-identity.ts): its destination client refuses them.
   * The table's own source is refused even when this is absent.
   */
  sources?: SourceTableRef[];
}

export interface PrepareTableInput extends GuardedSources {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  /** The job's defaults, which reach index key attributes no mapping names; absent from older workflows: none. */
  defaults?: Job['defaults'];
}

export interface PrepareTableResult {
  keyAttributes: string[];
  /** Key attributes of the destination's indexes (names and types); absent: none, or a run of an older version. */
  indexKeys?: IndexKeyAttribute[];
  /** How the source is read; job text only (WHERE literals), never item data. */
  readPlan: ReadPlan;
  /** One line for reports, such as "parallel Scan, 4 segments". */
  readPlanText: string;
  /** Segments the read plan runs in parallel (1 unless a Scan). */
  segments: number;
  /** Whether prepare created the destination table. */
  createdDestination: boolean;
  /**
   * A table key goes through a mapping the job allows to merge keys: after
   * the copy, countMergedKeys counts the items that merged.
   */
  countMerges?: true;
  /**
   * How `mode: replace` (and an incremental table's full copy) prunes the
   * destination: `inverse`, pruneDestination per segment, mapping each
   * destination key back (prune-destination.ts); `forward`, one
   * pruneDestinationForward call that transforms the whole selection and
   * keeps the keys it gives (prune-forward.ts). Absent: inverse (runs of
   * older versions, and tables that do not prune).
   */
  prune?: PruneWay;
}

export type PruneWay = 'inverse' | 'forward';

export interface CopyPagesInput extends GuardedSources {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  defaults: Job['defaults'];
  /** The job's salt: a reference the worker resolves (or a literal, demos); absent: the run's salt, derived on the worker. */
  salt?: SecretSource;
  /** The refreshJob run whose salt to derive when there is none; absent: the calling workflow's ID. */
  runWorkflowId?: string;
  keyAttributes: string[];
  /** PrepareTableResult.indexKeys. */
  indexKeys?: IndexKeyAttribute[];
  readPlan: ReadPlan;
  /** Which segment of the read plan this call reads (0-based), of how many. */
  segment: number;
  totalSegments: number;
  /**
   * Segments still copying when this call was scheduled, itself included:
   * the table's write concurrency and rate limits are shared among these, so
   * the last segments of a table whose segments end unevenly take what the
   * finished ones left. Absent (a run from before it): totalSegments.
   */
  activeSegments?: number;
  /** Limits of the JavaScript sandbox. */
  sandbox: Job['sandbox'];
  /** When false, error messages may show an item's key values. */
  keysAreSensitive: boolean;
  /** Sealed cursor to continue from; absent to start at the segment's first page. */
  cursor?: string;
}

export interface CopyPagesResult {
  /** Where the next call starts; absent when the table is done. */
  cursor?: string;
  counts: TableCounts;
}

/**
 * The selection read again after the copy, its keys transformed as
 * copyPages did, to count the items that merged: what copyPages gets, for
 * every segment at once.
 */
export type CountMergedKeysInput = Omit<CopyPagesInput, 'segment' | 'totalSegments' | 'cursor'>;

export interface CountMergedKeysResult {
  /** Items selected, read again. */
  read: number;
  /** Distinct destination keys among them. */
  keys: number;
  /** read - keys: the items that another of the selection overwrote. */
  merged: number;
}

export interface PruneDestinationInput extends GuardedSources {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  /**
   * The salt the copy used, as copyPages gets it: transformed keys are
   * mapped back with it. Absent from workflows that predate transformed
   * keys in replace mode, whose keys are copied as they are and need none.
   */
  salt?: SecretSource;
  /** As copyPages gets it: whose run salt to derive when the job has none. */
  runWorkflowId?: string;
  keyAttributes: string[];
  /** A table that follows references: prepareTable's plan, whose selection decides what stays (absent for other tables). */
  readPlan?: ReadPlan;
  segment: number;
  totalSegments: number;
  /** Sealed cursor to continue from. */
  cursor?: string;
}

export interface PruneDestinationResult {
  /** Sealed; absent when the segment is done. */
  cursor?: string;
  deleted: number;
  checked: number;
}

/** The forward prune reads the whole selection as the merge count does: what copyPages gets, for every segment at once. */
export type PruneForwardInput = CountMergedKeysInput;

export interface PruneForwardResult {
  /** Items of the selection read again and transformed. */
  selected: number;
  /** Destination keys scanned. */
  checked: number;
  /** Destination items deleted: those no selected item maps to. */
  deleted: number;
}

/** What the stream activities of a table (mode incremental) get: copyPages' input less the read plan and segment. */
export type StreamTableInput = Omit<CopyPagesInput, 'readPlan' | 'segment' | 'totalSegments' | 'cursor'>;

export interface PlanStreamInput extends StreamTableInput {
  /** Where the last run left off; absent: none yet. */
  checkpoint?: StreamCheckpoint;
  /** Workflow time the position is taken at: before a baseline copy starts. */
  atMs: number;
}

/**
 * Apply the stream's changes from the checkpoint (its shards merged with
 * the stream's, the ready ones to read now), or copy the table in full
 * first, for the reason given; `position`, when the stream can serve after
 * that, is where its changes are to be read from once the copy is done.
 */
export type PlanStreamResult =
  | { kind: 'changes'; checkpoint: StreamCheckpoint; ready: ShardPosition[] }
  | { kind: 'full'; reason: string; position?: StreamCheckpoint };

export interface ApplyChangesInput extends StreamTableInput {
  streamArn: string;
  shard: ShardPosition;
  /** Records created before this (epoch ms) are passed over: the baseline copy saw them. */
  skipBeforeMs?: number;
  /** Shards applied at once: each gets its share of the table's write concurrency and rate limit. */
  totalShards: number;
  /** At the shard's end, wait for new records until the call's time is up (following) instead of returning. */
  follow?: boolean;
}

export type ApplyChangesResult =
  | {
      kind: 'applied';
      /** Where the shard stands now: every record up to its sequence number is written. */
      shard: ShardPosition;
      /** finished: closed and read to its end; caughtUp: open, at its end; more: the call's time ran out first. */
      end: 'finished' | 'caughtUp' | 'more';
      counts: Partial<TableCounts>;
      /** Age of the oldest record not applied yet, at most (0 at the end of the shard). */
      lagMs: number;
    }
  /** The shard cannot be read from its position (trimmed, gone): only a full copy gets the table right again. */
  | { kind: 'lost'; reason: string; counts: Partial<TableCounts> };
