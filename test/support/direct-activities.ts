/**
 * For tests that call an activity directly (through MockActivityEnvironment)
 * against DynamoDB Local: a table job as the job loader would hand it on,
 * reading connection `prod` and writing connection `staging`, both the
 * local endpoint. Each test names what it is about (mappings, mode,
 * segments, a where) and takes the rest from here.
 */
import type { ConnectionConfig, TableJob } from '../../model/job.ts';

export type DirectTableJobFields = Pick<TableJob, 'transformers' | 'mode' | 'segments'> & Partial<TableJob>;

export function directTableJob(source: string, destination: string, fields: DirectTableJobFields): TableJob {
  return { source, destination, sourceConnection: 'prod', destinationConnection: 'staging', consistentRead: true, onTypeMismatch: 'error', createTable: false, ...fields };
}

/** The connections `directTableJob` names, both at `endpoint`. */
export function directConnections(endpoint: string): Record<string, ConnectionConfig> {
  return { prod: { endpoint }, staging: { endpoint } };
}
