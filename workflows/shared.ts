/**
 * Names and types shared by workflows, activities, the worker and the
 * client. Only cursors and counts appear here: no item data ever crosses
 * into a workflow.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TableCounts } from '../model/counts.ts';
import type { TableFailure, TablePhase } from '../model/failure.ts';
import type { SourceTableRef } from '../model/database-identity.ts';
import type { ConnectionConfig, Job, TableJob, TableMode } from '../model/job.ts';
import type { StreamResume, StreamStatus } from './stream-status.ts';
import type { SecretSource } from '../model/secret-ref.ts';
import type { PrepareTableResult } from '../src/activities/contracts.ts';
import type { ReportState } from './history-bounds.ts';

export const TASK_QUEUE = 'dynamask';

/**
 * The server refuses a start whose summary is over 400 bytes (details: 20 kB)
 * by default; summaries are cut to this, so a long WHERE cannot stop a run.
 */
export const SUMMARY_MAX_BYTES = 300;

/** `text` cut to at most `maxBytes` of UTF-8, with "…" where it was cut, never inside a character. */
export function clipToBytes(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  // "…" takes 3 bytes; a character cut in half decodes to U+FFFD, which is dropped.
  return `${new TextDecoder().decode(bytes.subarray(0, maxBytes - 3)).replace(/\uFFFD+$/, '')}…`;
}

/**
 * The lock a run holds while it lives: a child workflow with this fixed ID,
 * so a second run of the same job cannot start its own (see refresh-job.ts).
 */
export function jobLockWorkflowId(jobName: string): string {
  return `dynamask/${jobName}/lock`;
}

/** The workflow that works through a run's tables (runTables), a child of the run. */
export function tablesWorkflowId(runWorkflowId: string): string {
  return `${runWorkflowId}/tables`;
}

/** A table's copyTable child: derived from the run's ID, so clients can query it directly. */
export function copyTableWorkflowId(runWorkflowId: string, tableIndex: number, source: string): string {
  return `${runWorkflowId}/${tableIndex}-${source}`;
}

export type TableStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface TableProgress extends TableCounts {
  source: string;
  destination: string;
  status: TableStatus;
  /** Workflow time the table started, for rates; absent while pending. */
  startedAtMs?: number;
  /** Workflow time the table completed or failed. */
  finishedAtMs?: number;
  /** How the table is read, such as "parallel Scan, 4 segments"; known after prepare. */
  readPlan?: string;
  /** What the table is doing (or was, when it failed); absent while pending. */
  phase?: TablePhase;
  /** Why a failed table failed. */
  failure?: TableFailure;
  /** mode incremental: how its changes came (from the stream, or a full copy and why) and how far behind it is. */
  stream?: StreamStatus;
}

export interface TableReport extends TableCounts {
  source: string;
  destination: string;
  sourceConnection: string;
  destinationConnection: string;
  durationMs: number;
  /** How the table was read, such as "parallel Scan, 4 segments, filter from where". */
  readPlan: string;
  mode: TableMode;
  /** mode incremental: a full copy's reason, the lag at the end. */
  stream?: StreamStatus;
}

/** How a run spreads its work; the defaults (history-bounds.ts) suit production, small values exercise continueAsNew in tests. */
export interface RunLimits {
  /** Tables copied at once. */
  tablesInFlight?: number;
  /** Events a runTables run may reach before it continues as new. */
  historyLimit?: number;
  /** copyPages calls per copyTable run before continueAsNew. */
  callsPerRun?: number;
  /** How long a page-by-page call may stay silent before it is retried elsewhere (page-activities.ts): 30 s, at least 10 s. */
  heartbeatTimeoutMs?: number;
}

export interface RefreshJobInput {
  job: Job;
  limits?: RunLimits;
  /** Follow every table's stream until canceled (`dynamask follow`): each table catches up, then applies changes as they come. */
  follow?: boolean;
}

export interface RefreshJobResult {
  job: string;
  tables: TableReport[];
  durationMs: number;
}

/** Where one segment of a phase stands: its sealed cursor, or done. */
export interface SegmentState {
  cursor?: string;
  done: boolean;
}

/** Where a copyTable run continues from after continueAsNew. */
export interface CopyTableResume {
  phase: Exclude<TablePhase, 'prepare'>;
  segments: SegmentState[];
  counts: TableCounts;
  startedAtMs: number;
  prepared: PrepareTableResult;
  /** Absent in runs continued by a version that signalled every call. */
  reports?: ReportState & { phase?: TablePhase };
  /** mode incremental: where the stream's changes are read from, and why a full copy runs. */
  stream?: StreamResume;
}

export interface CopyTableInput {
  jobName: string;
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  defaults: Job['defaults'];
  /** A reference the workers resolve (a literal in demos); absent: the run's salt, which the workers derive. */
  salt?: SecretSource;
  /** The refreshJob whose run salt the workers derive when there is no salt; absent: this workflow's ID. */
  runWorkflowId?: string;
  /** The job's source tables the destination may reach; its client refuses them. */
  sources?: SourceTableRef[];
  sandbox: Job['sandbox'];
  keysAreSensitive: boolean;
  /** The workflow to report progress to (runTables; refreshJob in runs of older versions). */
  parent?: { workflowId: string; tableIndex: number };
  resume?: CopyTableResume;
  /** copyPages calls per run before continueAsNew; small values exercise it in tests. */
  callsPerRun?: number;
  /** RunLimits.heartbeatTimeoutMs. */
  heartbeatTimeoutMs?: number;
  /** mode incremental: after catching up, go on applying the stream's changes until canceled. */
  follow?: boolean;
}

export const progressQuery = defineQuery<TableProgress[]>('progress');
export const tableProgressSignal = defineSignal<[{ tableIndex: number; progress: TableProgress }]>('tableProgress');
