/**
 * How a table's selection is read, from its DescribeTable: the one choice
 * that a run's prepareTable, `dynamask plan` and `dynamask verify` share, so
 * that what they size and check is what a run reads. The selection is the
 * `where`, within the seeds' partitions when there are seeds, and with
 * `wholeCollections` every item of the partitions it picks.
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import type { TableJob } from '../../model/job.ts';
import { defaultSegments, readInfo, type TableReadInfo } from './table-info.ts';
import { planRead, seedsProblem, subsetWhere, type ReadPlan, type RootsPlan } from './where/index.ts';

export type ReadSelection = Pick<TableJob, 'source' | 'index' | 'where' | 'seeds' | 'wholeCollections' | 'consistentRead' | 'segments'>;
/** A selection read item by item (no whole collections): its plan is one of the plans that find roots. */
export type RootsSelection = Omit<ReadSelection, 'wholeCollections'> & { wholeCollections?: never };

/** Seeds that cannot be values of the table's partition key (named by place, never by value). */
export class SelectionError extends Error {
  override name = 'SelectionError';
}

/** Throws the messages of readInfo (no such index, a key of no type), a SelectionError, and planRead's. */
export function tableReadPlan(table: RootsSelection, description: TableDescription): { plan: RootsPlan; reading: TableReadInfo };
export function tableReadPlan(table: ReadSelection, description: TableDescription): { plan: ReadPlan; reading: TableReadInfo };
export function tableReadPlan(table: ReadSelection, description: TableDescription): { plan: ReadPlan; reading: TableReadInfo } {
  const reading = readInfo(description, table.source, table.index);
  const problem = seedsProblem(table.seeds, reading.keys.hash);
  if (problem) throw new SelectionError(problem);
  const where = subsetWhere(table, reading.keys.hash.name);
  const input = {
    table: table.source,
    ...(table.index !== undefined ? { index: table.index } : {}),
    ...(where !== undefined ? { where } : {}),
    consistentRead: table.consistentRead,
    keys: reading.keys,
    segments: table.segments === 'auto' ? defaultSegments(reading.sizeBytes) : table.segments,
  };
  return { plan: table.wholeCollections === true ? planRead({ ...input, wholeCollections: true }) : planRead(input), reading };
}

/**
 * What `plan` and `verify` read of a table: its selection, except that a
 * table that follows references (beside a where or seeds, or round a
 * cycle) is read whole, as one that only follows them is: what refers to
 * a selected key is known only by reading the referenced selection, which
 * they leave to the run.
 */
export function beyondReferences<T extends Pick<TableJob, 'where' | 'seeds' | 'references'>>(table: T): T {
  if (table.references === undefined) return table;
  const { where: _where, seeds: _seeds, ...rest } = table;
  return rest as T;
}
