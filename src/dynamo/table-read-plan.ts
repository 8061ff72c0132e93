/**
 * How a table's selection is read, from its DescribeTable: the one choice
 * that a run's prepareTable, `dynamask plan` and `dynamask verify` share, so
 * that what they size and check is what a run reads.
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import type { TableJob } from '../../model/job.ts';
import { defaultSegments, readInfo, type TableReadInfo } from './table-info.ts';
import { planRead, type ReadPlan } from './where/index.ts';

export type ReadSelection = Pick<TableJob, 'source' | 'index' | 'where' | 'consistentRead' | 'segments'>;

/** Throws the messages of readInfo (no such index, a key of no type) and planRead. */
export function tableReadPlan(table: ReadSelection, description: TableDescription): { plan: ReadPlan; reading: TableReadInfo } {
  const reading = readInfo(description, table.source, table.index);
  const plan = planRead({
    table: table.source,
    ...(table.index !== undefined ? { index: table.index } : {}),
    ...(table.where !== undefined ? { where: table.where } : {}),
    consistentRead: table.consistentRead,
    keys: reading.keys,
    segments: table.segments === 'auto' ? defaultSegments(reading.sizeBytes) : table.segments,
  });
  return { plan, reading };
}
