/**
 * How every activity failure leaves the worker: an ApplicationFailure whose
 * type is the reason, whose details hold the FailureCause (model/failure.ts)
 * for copyTable to build the table's failure from, and which is retryable
 * only when another attempt can succeed (an endpoint that comes back, a
 * sandbox that restarts, an error nobody foresaw).
 *
 * The cause's message says why without naming the failing table first. The
 * failure's own message, which the Temporal UI shows on the activity's event
 * with no table around it, names the table a DynamoDB call was about.
 * Neither ever holds an item value: DynamoDB's messages for these errors
 * name none, and transformer and script errors place a value by its path
 * (unknown map keys masked) and its item by key attribute names.
 */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { DuplicateKeysError } from '../dynamo/batch-writer.ts';
import { connectionFailure } from '../dynamo/connection-errors.ts';
import { ItemRefusedError } from '../dynamo/item-limits.ts';
import type { FailureCause, FailureReason } from '../../model/failure.ts';
import { renderPath } from '../../model/problems.ts';
import type { ConnectionConfig, TableJob } from '../../model/job.ts';
import { TransformTypeError } from '../../transformers/errors.ts';
import { listUnnamed } from '../../transformers/unnamed-paths.ts';
import { ScriptError } from '../../transformers/js/plan-scripts.ts';
import { SandboxUnavailableError } from '../../transformers/js/sandbox-pool.ts';

type Connections = Record<string, ConnectionConfig>;
type Side = 'source' | 'destination';

/** A DynamoDB call of a table's copy: to which table, and what it does ("reading", "looking up keys in"). */
export interface Call {
  side: Side;
  /** Absent for prepare's calls, whose failures name the missing table instead. */
  doing?: string;
  /** How to fix a missing table, such as " (createTable: true would create it)". */
  hint?: string;
}

function failure(cause: FailureCause, retryable: boolean, message = cause.message, error?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type: cause.reason, message, nonRetryable: !retryable, details: [cause], ...(error ? { cause: error } : {}) });
}

/** A refusal the activity decides itself: the same on every attempt. */
export function refusal(reason: FailureReason, message: string, more: Pick<FailureCause, 'path' | 'connection'> = {}): ApplicationFailure {
  return failure({ reason, message, ...more }, false);
}

export function connectionOf(connections: Connections, name: string): ConnectionConfig {
  const config = connections[name];
  if (!config) throw refusal('BadJob', `connection "${name}" is not defined in the job`, { connection: name });
  return config;
}

/** A failed DynamoDB call; errors it does not recognise go to activityFailure. */
export function dynamoFailure(error: unknown, table: TableJob, connections: Connections, call: Call): unknown {
  if (!(error instanceof Error)) return activityFailure(error);
  const name = call.side === 'source' ? table.source : table.destination;
  const connection = call.side === 'source' ? table.sourceConnection : table.destinationConnection;
  const make = (reason: FailureReason, why: string, retryable: boolean) =>
    call.doing === undefined
      ? failure({ reason, message: why, connection }, retryable)
      : failure({ reason, message: `${call.doing} the ${call.side}: ${why}`, connection }, retryable, `${call.doing} ${call.side} "${name}": ${why}`);

  const reach = connectionFailure(error, connection, connections[connection] ?? {});
  // Missing credentials cannot fix themselves; an unreachable endpoint may come back.
  if (reach?.kind === 'credentials') return make('NoCredentials', reach.message, false);
  if (reach) return make('Unreachable', reach.message, true);
  if (error instanceof ResourceNotFoundException) {
    const why = call.doing === undefined ? `table "${name}" not found on connection "${connection}"${call.hint ?? ''}` : `table not found on connection "${connection}"`;
    return make('TableNotFound', why, false);
  }
  // Bad WHERE syntax and similar, or a write the source guard refused: retrying cannot help.
  if (error.name === 'ValidationException') return make('InvalidRequest', error.message, false);
  if (error.name === 'SourceWriteRefused') return make('SourceWriteRefused', error.message, false);
  if (error instanceof DuplicateKeysError) return make('KeysCollided', error.message, false);
  return activityFailure(error);
}

/**
 * Key mappings the job file must change before anything is written (a key
 * mapped by a transformer that can merge, or one that changes its type):
 * each problem with its path inside the table's entry of the job file, so
 * `dynamask run` can print them as it prints the loader's.
 */
export function keyMappingRefusal(problems: readonly { path: readonly (string | number)[]; message: string }[]): ApplicationFailure {
  const tableProblems = problems.map(({ path, message }) => ({ path: [...path], message }));
  const message = tableProblems.map(({ path, message: why }) => `${renderPath(path)}: ${why}`).join('; ');
  return failure({ reason: 'BadKeyMapping', message, tableProblems }, false);
}

/**
 * strict: true, and a page holds paths no mapping names: the same on every
 * attempt, so not retried. Paths only (masked as the plan's walk masks
 * them), never a value; `progress` is what this call wrote before the page.
 */
export function unnamedPathsRefusal(paths: readonly string[], progress: { read: number; written: number }): ApplicationFailure {
  const message =
    `strict: a page holds ${paths.length === 1 ? 'a path' : `${paths.length} paths`} no mapping names (${listUnnamed(paths)}), so it was not written; ` +
    'name each in the table\'s transformers (passthrough copies it as it is) or in the rule set its items take';
  return failure({ reason: 'UnnamedPath', message, path: paths[0]!, progress }, false);
}

/** A plan that cannot be built (bad options, a key mapped to drop) fails the same way on every attempt. */
export function planFailure(error: unknown): unknown {
  return error instanceof Error ? failure({ reason: 'BadPlan', message: error.message }, false) : activityFailure(error);
}

/** A transformed item DynamoDB would refuse: the same on every attempt, since transformers are deterministic. */
export function itemFailure(error: unknown): unknown {
  if (error instanceof ItemRefusedError) return failure({ reason: 'ItemRefused', message: error.message, path: error.path }, false);
  return activityFailure(error);
}

/** A page that could not be transformed. */
export function transformFailure(error: unknown): unknown {
  // The sandbox process dying is the worker's trouble, not the script's: another attempt gets a fresh one.
  if (error instanceof SandboxUnavailableError) return failure({ reason: 'SandboxUnavailable', message: error.message }, true);
  if (error instanceof ScriptError) return failure({ reason: 'ScriptFailed', message: error.message, ...(error.path !== '' ? { path: error.path } : {}) }, false);
  if (error instanceof TransformTypeError) return failure({ reason: 'TransformFailed', message: error.message, path: error.path }, false);
  // Transformer errors name the path and types, never the value (see transformers/errors.ts).
  if (error instanceof Error) return failure({ reason: 'TransformFailed', message: error.message }, false);
  return activityFailure(error);
}

/**
 * Whatever leaves an activity: failures mapped above as they are;
 * cancellation as it is, so the worker reports the activity cancelled;
 * anything else retryable, as a raw error was, with the error as its cause.
 */
export function activityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure || error instanceof CancelledFailure) return error;
  if (!(error instanceof Error)) return failure({ reason: 'Unexpected', message: 'the activity threw a value that is not an Error' }, true);
  if (error.name === 'AbortError') return error;
  const message = error.name === 'Error' || error.name === '' ? error.message : `${error.name}: ${error.message}`;
  return failure({ reason: 'Unexpected', message }, true, message, error);
}

/** Runs an activity's body so that everything it throws leaves through activityFailure. */
export async function failingAsData<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw activityFailure(error);
  }
}
