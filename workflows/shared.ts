/**
 * Names and types shared by workflows, activities, the worker and the
 * client. Only cursors and counts appear here: no item data ever crosses
 * into a workflow.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ConnectionConfig, Job, TableJob } from '../src/job/job.ts';

export const TASK_QUEUE = 'dynamask';

export interface TableCounts {
  read: number;
  written: number;
  /** Values whose type their transformer does not take (see onTypeMismatch). */
  typeMismatches: number;
}

export const ZERO_COUNTS: TableCounts = { read: 0, written: 0, typeMismatches: 0 };

export function addCounts(a: TableCounts, b: TableCounts): TableCounts {
  return { read: a.read + b.read, written: a.written + b.written, typeMismatches: a.typeMismatches + b.typeMismatches };
}

export type TableStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface TableProgress extends TableCounts {
  source: string;
  destination: string;
  status: TableStatus;
}

export interface TableReport extends TableCounts {
  source: string;
  destination: string;
  sourceConnection: string;
  destinationConnection: string;
  durationMs: number;
}

export interface RefreshJobInput {
  job: Job;
}

export interface RefreshJobResult {
  job: string;
  tables: TableReport[];
  durationMs: number;
}

/** Where a copyTable run continues from after continueAsNew. */
export interface CopyTableResume {
  cursor: string;
  counts: TableCounts;
  startedAtMs: number;
  keyAttributes: string[];
}

export interface CopyTableInput {
  jobName: string;
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  defaults: Job['defaults'];
  salt: string;
  /** The refreshJob to report progress to. */
  parent?: { workflowId: string; tableIndex: number };
  resume?: CopyTableResume;
  /** copyPages calls per run before continueAsNew; small values exercise it in tests. */
  callsPerRun?: number;
}

export interface PrepareTableInput {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
}

export interface PrepareTableResult {
  keyAttributes: string[];
}

export interface CopyPagesInput {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  defaults: Job['defaults'];
  salt: string;
  keyAttributes: string[];
  /** NextToken to continue from; absent to start at the first page. */
  cursor?: string;
}

export interface CopyPagesResult {
  /** Where the next call starts; absent when the table is done. */
  cursor?: string;
  counts: TableCounts;
}

export const progressQuery = defineQuery<TableProgress[]>('progress');
export const tableProgressSignal = defineSignal<[{ tableIndex: number; progress: TableProgress }]>('tableProgress');
