/**
 * A table's failure as plain data, and the one place that renders it (after
 * Zod: data first, rendering second). An activity says why (a FailureCause);
 * copyTable adds which table, in which phase and how far it got (a
 * TableFailure); refreshJob collects its tables' (a JobFailure). The CLI,
 * `dynamask status` and the Temporal UI render from these records, so each
 * table's failure is said once and the table is named once.
 *
 * The records travel in Temporal failure details, so they hold names,
 * counts and messages only: a message places a value by its path (unknown
 * map keys masked) and its item by key attribute names, never by a value.
 */

/** `apply`: changes read from the source's stream are applied (mode incremental). */
export type TablePhase = 'prepare' | 'copy' | 'prune' | 'apply';

export const FAILURE_REASONS = [
  /** The job names a connection it does not define. */
  'BadJob',
  'BadWhere',
  'TableNotFound',
  'KeySchemaMismatch',
  'BadMode',
  /** The transformation plan cannot be built (options, a key mapped to drop). */
  'BadPlan',
  /** A key mapping can merge keys or change a key's type, and the job does not allow it: the job file must change (tableProblems say where). */
  'BadKeyMapping',
  /** Items of one page came out with the same key though the job does not allow key collisions. */
  'KeysCollided',
  /** strict: true, and a page held a path no mapping names: the page was not written. */
  'UnnamedPath',
  /** A transformed item DynamoDB would refuse: over 400 KB (unless the table skips those), or a key attribute missing, empty or too long. */
  'ItemRefused',
  /** A transformer refused a value (its type, its content). */
  'TransformFailed',
  /** A JavaScript mapping threw, ran too long or used too much memory. */
  'ScriptFailed',
  /** The sandbox process could not run a page, through no fault of the script. */
  'SandboxUnavailable',
  'Unreachable',
  'NoCredentials',
  /** DynamoDB refused a request as invalid (a ValidationException). */
  'InvalidRequest',
  /** The read-only guard refused a write to a source connection, or a destination client a source table. */
  'SourceWriteRefused',
  /** The worker could not read the job's salt where its reference points. */
  'SecretUnavailable',
  /** A stream read failed in a way no full copy can get around (GetRecords refused, a record without its image). */
  'StreamUnreadable',
  /** An activity or a table's workflow ran out of time (a worker gone, a call stuck). */
  'TimedOut',
  'Canceled',
  'Terminated',
  'Unexpected',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

/** What an activity knows about its failure. */
export interface FailureCause {
  reason: FailureReason;
  /**
   * Why, complete on its own and never led by the failing table's name (the
   * renderer names the table). It may name another table when that is what
   * is missing, and says what was being done when that matters ("reading the
   * source: …").
   */
  message: string;
  /** The attribute the failure is at (`info.rating`), for scripts; the message places it already. */
  path?: string;
  /** The job's connection of the failing DynamoDB call; the message names it already where it helps. */
  connection?: string;
  /**
   * Problems of the failing table's entry in the job file, each at a path
   * inside it (`["transformers", "pk"]`): the CLI points at their lines as
   * for the loader's problems. The message says them already.
   */
  tableProblems?: TableProblem[];
  /**
   * What the failing call had done before it failed (pages of its segment
   * written before the page it refused), added to the table's counts.
   */
  progress?: { read: number; written: number };
}

export interface TableProblem {
  path: (string | number)[];
  message: string;
}

export interface FailureCounts {
  read: number;
  written: number;
  deleted: number;
}

export interface TableFailure extends FailureCause {
  source: string;
  destination: string;
  phase: TablePhase;
  /** How far the table got: items of complete pages only. */
  counts: FailureCounts;
}

export interface JobFailure {
  job: string;
  /** Tables in the job, failed or not. */
  tables: number;
  failures: TableFailure[];
}

const WHILE: Record<TablePhase, string> = { prepare: 'preparing', copy: 'copying', prune: 'pruning', apply: 'applying changes' };

/** `table "Users" -> "UsersStaging" failed while copying, after 200 items read and 200 written: <why>`. */
export function renderTableFailure(failure: TableFailure): string {
  const { read, written, deleted } = failure.counts;
  // Deletes happen only in the prune phase; elsewhere a 0 deleted is noise.
  const far = failure.phase === 'prune' || deleted > 0 ? `${read} items read, ${written} written and ${deleted} deleted` : `${read} items read and ${written} written`;
  return `table "${failure.source}" -> "${failure.destination}" failed while ${WHILE[failure.phase]}, after ${far}: ${failure.message}`;
}

/**
 * One table's failure on one line, led by how many of the job's tables
 * failed when the job has more; several failures one per line below that.
 */
export function renderJobFailure(job: JobFailure): string {
  const lines = job.failures.map(renderTableFailure);
  if (job.tables === 1 && lines.length === 1) return lines[0]!;
  const head = `${job.failures.length} of ${job.tables} tables failed`;
  if (lines.length === 1) return `${head}: ${lines[0]}`;
  return [`${head}:`, ...lines.map((line) => `  ${line}`)].join('\n');
}

const REASONS: ReadonlySet<string> = new Set(FAILURE_REASONS);
const PHASES: ReadonlySet<string> = new Set(Object.keys(WHILE));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

function isTableProblem(value: unknown): value is TableProblem {
  return isRecord(value) && typeof value.message === 'string' && Array.isArray(value.path) && value.path.every((s) => typeof s === 'string' || typeof s === 'number');
}

/** The cause in a failure's details, or undefined when they hold none (another version, another error). */
export function failureCauseOf(value: unknown): FailureCause | undefined {
  if (!isRecord(value) || typeof value.reason !== 'string' || !REASONS.has(value.reason) || typeof value.message !== 'string') return undefined;
  if (!optionalString(value.path) || !optionalString(value.connection)) return undefined;
  if (value.tableProblems !== undefined && !(Array.isArray(value.tableProblems) && value.tableProblems.every(isTableProblem))) return undefined;
  if (value.progress !== undefined && !(isRecord(value.progress) && typeof value.progress.read === 'number' && typeof value.progress.written === 'number')) return undefined;
  return value as unknown as FailureCause;
}

export function tableFailureOf(value: unknown): TableFailure | undefined {
  if (!failureCauseOf(value) || !isRecord(value)) return undefined;
  const { source, destination, phase, counts } = value;
  if (typeof source !== 'string' || typeof destination !== 'string' || typeof phase !== 'string' || !PHASES.has(phase)) return undefined;
  if (!isRecord(counts) || !['read', 'written', 'deleted'].every((k) => typeof counts[k] === 'number')) return undefined;
  return value as unknown as TableFailure;
}

export function jobFailureOf(value: unknown): JobFailure | undefined {
  if (!isRecord(value) || typeof value.job !== 'string' || typeof value.tables !== 'number' || !Array.isArray(value.failures)) return undefined;
  return value.failures.every((f) => tableFailureOf(f) !== undefined) ? (value as unknown as JobFailure) : undefined;
}
