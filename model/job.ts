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

export type TableMode = 'upsert' | 'replace' | 'incremental';

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

/**
 * A table whose subset is what another table's selection points at: the
 * items whose `attribute` holds a partition key value of an item that the
 * job's entry for `table` selects.
 */
export interface TableReference {
  /** The source table of the job's entry whose selection this table follows. */
  table: string;
  /** This table's attribute that holds a partition key value of `table`. */
  attribute: string;
  /** The attribute holds this template with the key as its one part (`USER#{id}`), not the key alone. */
  template?: string;
  /** A GSI of this table with `attribute` as its partition key; absent: found by prepareTable, or a filtered parallel Scan. */
  index?: string;
  /** At most this many items per referenced value, newest first by the index's sort key. */
  limit?: number;
  /**
   * The referenced entry's selection (job text), copied by the loader so
   * that this table's activities need nothing else: its where and seeds,
   * and, when it follows references itself, its reference (a chain), or,
   * when it stands on a cycle of references, the cycle (`ring`) instead,
   * which a copy nested link by link could not hold.
   */
  selection: { where?: string; seeds?: (string | number)[]; consistentRead: boolean; references?: TableReference; ring?: RingEntry[] };
}

/**
 * One entry of a cycle of references (each entry has one reference, so a
 * cycle is a simple ring), as the loader copies it into a reference's
 * selection: the ring from the referenced entry round, each entry
 * referring to the next and the last to the first. A ring of one is an
 * entry that refers to its own table.
 */
export interface RingEntry {
  source: string;
  where?: string;
  seeds?: (string | number)[];
  consistentRead: boolean;
  /** This entry's attribute holding a partition key value of the next entry's table. */
  attribute: string;
  template?: string;
  segments: number | 'auto';
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
  /**
   * Partition key values the subset starts from: only items of these
   * partitions are selected (and of those, the ones `where` selects). Job
   * text, like the where's literals; absent when the job gives none.
   */
  seeds?: (string | number)[];
  /**
   * The where (and seeds) pick root items, and every item sharing a root's
   * partition key is copied with them. Only present when true.
   */
  wholeCollections?: true;
  /**
   * The subset is what another table's selection points at; absent for
   * most tables. Beside a where or seeds, the subset is both: what they
   * pick and what the reference selects.
   */
  references?: TableReference;
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
   * Every path the run meets must be named by a mapping of the table or of
   * the rule set its item takes (primary key attributes count as named);
   * a page holding another fails the table before it is written. Absent:
   * false.
   */
  strict?: true;
  /**
   * `skip`: a transformed item over DynamoDB's 400 KB limit is left out and
   * counted (`oversize`). Absent (the default, and in jobs loaded before it
   * existed): such an item fails the run.
   */
  oversizeItems?: 'skip';
  /**
   * upsert puts every selected item; replace also deletes what a complete
   * run did not select; incremental applies what the source's stream says
   * changed since the last run, after a first full copy as replace does.
   */
  mode: TableMode;
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
