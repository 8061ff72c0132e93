/**
 * A job after loading: interpolated, validated and normalized. This is what
 * the CLI hands to the workflow, so it holds only plain JSON (no functions,
 * no class instances), no item data, and secrets by reference only (a
 * literal salt is the one exception, for demos; the CLI warns about it).
 */
import type { AttributeType } from './item.ts';
import type { SecretSource } from './secret-ref.ts';

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
  /**
   * The mapping may map two keys to one (transformers/key-safety.ts): the
   * run then counts the items that merge. Only present when true.
   */
  allowKeyCollisions?: true;
}

/**
 * The mappings of one item type of a single-table design: an item that
 * `when` selects (the first rule set of its table that does) is transformed
 * as if these mappings were written among the table's, replacing the
 * table's of the same path; see transformers/rule-sets.ts.
 */
export interface RuleSet {
  /** Shown in reports and messages; absent: the rule set is named by its place, `rules[1]`. */
  name?: string;
  /** A PartiQL condition, as `where` takes it, tested on each source item in memory. */
  when: string;
  /** Path pattern as written in the job file -> transformer, as the table's (templates resolved with the rule set's parts). */
  transformers: Record<string, TransformerRef>;
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
  /** Path pattern as written in the job file -> transformer (templates as `{ type: "template", ... }` with their parts resolved). */
  transformers: Record<string, TransformerRef>;
  /** Rule sets per item type, tried in order on each item; absent when the table has none. */
  rules?: RuleSet[];
  /**
   * Key mappings may map two keys to one; the run counts the items that
   * merge. Absent in jobs loaded before it existed: false.
   */
  allowKeyCollisions?: boolean;
  /**
   * `skip`: a transformed item over DynamoDB's 400 KB limit is left out and
   * counted (`oversize`). Absent (the default, and in jobs loaded before it
   * existed): such an item fails the run.
   */
  oversizeItems?: 'skip';
  /** upsert puts every selected item; replace also deletes what a complete run did not select. */
  mode: 'upsert' | 'replace';
  /** Create the destination from the source's description when it is missing. */
  createTable: boolean;
  /** Parallel Scan segments, or 'auto' to pick from the table size. */
  segments: number | 'auto';
  /** Items per second for the whole table, across segments and workers. */
  readRateLimit?: number;
  writeRateLimit?: number;
}

export type OverlapPolicy = 'skip' | 'bufferOne' | 'bufferAll' | 'cancelOther' | 'terminateOther' | 'allowAll';

export interface ScheduleSpec {
  /** Cron expressions (5 fields); exactly one of `cron` and `every` is set. */
  cron?: string[];
  /** Interval such as 6h. */
  every?: string;
  timezone?: string;
  overlap: OverlapPolicy;
  jitter?: string;
  paused: boolean;
}

export interface SandboxLimits {
  memoryLimitMb: number;
  timeoutMs: number;
}

export interface Job {
  name: string;
  connections: Record<string, ConnectionConfig>;
  /**
   * Key for deterministic transformers: where the workers read it (a
   * reference, resolved on the worker), or, for demos, the value itself,
   * which then travels in Temporal. Absent: the workers derive a salt per
   * run from their cursor key and the run's workflow ID.
   */
  salt?: SecretSource;
  /** The job accepts that its literal salt is stored in a Temporal Schedule (`schedule apply` refuses it otherwise). */
  allowLiteralSalt?: true;
  /** Transformer for attributes no mapping names, by DynamoDB type. */
  defaults: Partial<Record<AttributeType, TransformerRef>>;
  tables: TableJob[];
  /** When false, error messages may show the key values of an item. */
  keysAreSensitive: boolean;
  /** Limits of the JavaScript sandbox. */
  sandbox: SandboxLimits;
  schedule?: ScheduleSpec;
}
