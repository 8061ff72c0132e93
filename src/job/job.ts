/**
 * A job after loading: interpolated, validated and normalized. This is what
 * the CLI hands to the workflow, so it holds only plain JSON (no functions,
 * no class instances) and no item data.
 */
import type { AttributeType } from '../dynamo/item-codec.ts';

export interface ConnectionConfig {
  region?: string;
  endpoint?: string;
  profile?: string;
  roleArn?: string;
  externalId?: string;
}

/** A transformer as a job names it, with the shorthand `Name: fullName` expanded. */
export interface TransformerRef {
  type: string;
  options: Record<string, unknown>;
}

export interface TableJob {
  /** Source table name. */
  source: string;
  /** Destination table name; defaults to the source name. */
  destination: string;
  sourceConnection: string;
  destinationConnection: string;
  /** Read from this secondary index instead of the base table. */
  index?: string;
  /** PartiQL condition appended as `WHERE <where>`. */
  where?: string;
  consistentRead: boolean;
  /** What a value of a type its transformer does not take becomes. */
  onTypeMismatch: 'error' | 'passthrough' | 'null';
  /** Path pattern as written in the job file -> transformer. */
  transformers: Record<string, TransformerRef>;
}

export interface ScheduleSpec {
  cron: string;
}

export interface Job {
  name: string;
  connections: Record<string, ConnectionConfig>;
  /** Key for deterministic transformers; absent means a random salt per run. */
  salt?: string;
  /** Transformer for attributes no mapping names, by DynamoDB type. */
  defaults: Partial<Record<AttributeType, TransformerRef>>;
  tables: TableJob[];
  schedule?: ScheduleSpec;
}
