/**
 * What runTables takes and returns, and what it carries across
 * continueAsNew: table progress and reports only, no item data.
 */
import type { Job } from '../model/job.ts';
import type { RunLimits, TableProgress, TableReport } from './shared.ts';

/** Where a runTables run continues from after continueAsNew. */
export interface RunTablesResume {
  /** The first table not started yet: its place in `order`, or its index when there is none. */
  next: number;
  /** Table indexes in the order they start, when that is not job order (references); absent in runs from before it. */
  order?: number[];
  progress: TableProgress[];
  /** Reports of the tables completed so far, by table index. */
  reports: (TableReport | null)[];
}

export interface RunTablesInput {
  job: Job;
  /** The refreshJob this runs for; the tables' workflow IDs derive from it. */
  runWorkflowId: string;
  limits?: RunLimits;
  resume?: RunTablesResume;
  /** Every table follows its stream until canceled (mode incremental): all of them run at once. */
  follow?: boolean;
}

export interface RunTablesResult {
  tables: TableReport[];
  progress: TableProgress[];
}
