/**
 * The input and result of every activity: what a workflow sends an activity
 * and gets back. Only job text, sealed cursors and counts; never an item value.
 */
import type { TableCounts } from '../../model/counts.ts';
import type { ConnectionConfig, Job, TableJob } from '../../model/job.ts';
import type { ReadPlan } from '../dynamo/where/read-plan.ts';

export interface PrepareTableInput {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
}

export interface PrepareTableResult {
  keyAttributes: string[];
  /** How the source is read; job text only (WHERE literals), never item data. */
  readPlan: ReadPlan;
  /** One line for reports, such as "parallel Scan, 4 segments". */
  readPlanText: string;
  /** Segments the read plan runs in parallel (1 unless a Scan). */
  segments: number;
  /** Whether prepare created the destination table. */
  createdDestination: boolean;
}

export interface CopyPagesInput {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  defaults: Job['defaults'];
  salt: string;
  keyAttributes: string[];
  readPlan: ReadPlan;
  /** Which segment of the read plan this call reads (0-based), of how many. */
  segment: number;
  totalSegments: number;
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

export interface PruneDestinationInput {
  table: TableJob;
  connections: Record<string, ConnectionConfig>;
  keyAttributes: string[];
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
