/**
 * `mode: replace`, after every segment of a copy completed: deletes the
 * destination items this run did not select. One call works through one
 * Scan segment of the destination, page by page: read a page of keys, map
 * each back to the source key the copy maps onto it, ask the source which
 * of those its subset holds (read-only calls that return keys only, see
 * subset-membership.ts), delete the rest, heartbeat the sealed cursor.
 * Memory holds one page of keys whatever the table size, and the workflow
 * sees sealed cursors and counts.
 *
 * Transformed keys are mapped back by inverting their mappings
 * (transformers/key-inverse.ts): every key mapping must be a bijection with
 * an inverse (passthrough, permuteId, templates of such parts), or the
 * table is pruned the forward way (below). A
 * destination key is kept exactly when its inverse is a key the subset
 * holds, that is when it is the image of a selected source item: a key no
 * source key maps to (a template none of its values could give, a value of
 * no format) is deleted without asking. Inverting costs only CPU (on the
 * single-table dataset's keys, about 110 µs a key for two FF1 inversions
 * and the forward check, beside some 80 µs a key the prune's DynamoDB calls
 * cost the worker anyway; measured on 2 shared cores), needs no state
 * across pages, keeps segments parallel and reads the source as it did
 * with untransformed keys: a destination page's partitions come back as
 * whole source partitions, since the inverse of a partition key is one
 * partition key.
 *
 * This is the inverse way, taken whenever it serves (prune-way.ts decides,
 * in prepareTable). The forward way, for deterministic key mappings
 * without an inverse (a hash) and for rule sets that map a key otherwise
 * than the table (a destination key does not say which rule set gave it),
 * is pruneDestinationForward (prune-forward.ts): one activity that
 * transforms the whole selection again and holds a digest of every
 * selected item's destination key (about 55 bytes of worker memory each),
 * reads the subset a second time and starts over on every retry. This one
 * refuses such tables (replaceModeProblem) rather than delete by a guess.
 *
 * What "selected" means is decided when the prune reads the source, not
 * when the copy did: an item deleted from the source (or changed so that the
 * WHERE no longer holds) after the copy is deleted from the destination too;
 * an item added to the source after the copy is not copied by the prune, so
 * it is in the destination only if an earlier run had put it there. The
 * inverse uses the salt the copy used (resolved again, the same way): a
 * salt that changes between the copy and the prune makes every transformed
 * key look unselected, which is why the salt is rotated between runs.
 */
import { Context } from '@temporalio/activity';
import type { Item } from '../../model/item.ts';
import type { TableJob } from '../../model/job.ts';
import { createKeyInverse, KeyInverseError, keyMapping, nonInvertibleKeys, type KeyInverse } from '../../transformers/key-inverse.ts';
import { ruleSetsMapKeys } from '../../transformers/key-mapping-agreement.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { deleteKeys } from '../dynamo/batch-deleter.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { scanKeysPage, type KeyCursor } from '../dynamo/key-scanner.ts';
import { keysInSubset } from '../dynamo/subset-membership.ts';
import { keysSelected, selectionTest, type SelectionTest } from '../dynamo/reference-membership.ts';
import type { ReferencesPlan, RingPlan } from '../dynamo/where/index.ts';
import { subsetWhere } from '../dynamo/where/index.ts';
import { connectionOf, dynamoFailure, failingAsData, planFailure, refusal, type Call } from './failures.ts';
import { keepHeartbeating } from './heartbeat.ts';
import type { PruneDestinationInput, PruneDestinationResult } from './contracts.ts';
import { destinationClient } from './destination-client.ts';
import { jobSalt, type JobSaltDeps } from './job-salt.ts';
import type { CursorSeal } from './sealed-cursor.ts';

export interface PruneDeps extends JobSaltDeps {
  clients: DynamoClients;
  registry: TransformerRegistry;
  seal: CursorSeal;
}

export interface PruneOptions {
  /** Items a destination Scan page evaluates; unset reads 1 MB pages. */
  pageLimit?: number;
  /** How long one call keeps pruning before it hands its cursor back. */
  callBudgetMs?: number;
  /** Source lookups in flight (PartiQL SELECTs with a WHERE; BatchGetItem requests of 100 keys use a quarter). */
  lookupConcurrency?: number;
  /** BatchWriteItem delete requests in flight. */
  deleteConcurrency?: number;
}

/** What a retried attempt resumes from, saved with every heartbeat. */
interface Checkpoint {
  /** Sealed: it holds a key. */
  cursor?: string;
  /** The segment's last page is pruned; a retry has nothing left to do. */
  done: boolean;
  counts: { deleted: number; checked: number };
}

/**
 * Why `mode: replace` cannot work for this table, or undefined when it can
 * (always for other modes). Reading an index cannot work (a sparse index's
 * subset is not a condition the base table can check key by key), and
 * neither can a key mapping without an inverse: the prune could not tell
 * which source key a destination key came from.
 */
export function replaceModeProblem(table: TableJob, keyAttributes: readonly string[], registry: TransformerRegistry): string | undefined {
  if (table.mode !== 'replace') return undefined;
  if (table.index !== undefined) {
    return `mode replace cannot read from index "${table.index}": the prune step checks destination keys against the base table; read the table itself, or use mode upsert`;
  }
  const stuck = nonInvertibleKeys({ transformers: table.transformers, keyAttributes }, registry);
  if (stuck.length === 0) return undefined;
  const list = stuck.map(({ pattern, why }) => `${pattern} (${why})`).join(' and ');
  return (
    `mode replace maps each destination key back to its source key, but the mapping of key attribute${stuck.length > 1 ? 's' : ''} ${list} ${stuck.length > 1 ? 'have' : 'has'} no inverse; ` +
    'map key attributes with permuteId, passthrough or templates of such parts (otherwise: error or passthrough), or use mode upsert'
  );
}

export function makePruneDestination(deps: PruneDeps, options: PruneOptions = {}) {
  return async function pruneDestination(input: PruneDestinationInput): Promise<PruneDestinationResult> {
    return failingAsData(() => prune(deps, options, input));
  };
}

async function prune(deps: PruneDeps, options: PruneOptions, input: PruneDestinationInput): Promise<PruneDestinationResult> {
  const context = Context.current();
  const { table, connections, keyAttributes, segment, totalSegments } = input;
  const { clients, seal } = deps;
  refuseUnsafe(table, keyAttributes, deps.registry);
  const source = clients.source(table.sourceConnection, connectionOf(connections, table.sourceConnection));
  const destination = destinationClient(clients, input);
  const inverse = await keyInverse(deps, input, context.info.workflowExecution?.workflowId ?? context.info.activityId);
  const signal = context.cancellationSignal;
  const fail = (call: Call) => (error: unknown): never => {
    throw dynamoFailure(error, table, connections, call);
  };
  const lookupConcurrency = options.lookupConcurrency ?? 16;
  const where = subsetWhere(table, keyAttributes[0]!);
  const subset = {
    table: table.source,
    ...(where !== undefined ? { where } : {}),
    consistentRead: table.consistentRead,
    ...(table.wholeCollections === true ? { wholeCollections: true } : {}),
  };
  const references = referencesOf(input);
  // A table that follows references: the referenced selection, read once a call (data; it stays here).
  let referenced: SelectionTest | undefined;
  const inSubset = async (keys: Item[]): Promise<boolean[]> => {
    if (references === undefined) {
      return keysInSubset(source, subset, keyAttributes, keys, { concurrency: where !== undefined ? lookupConcurrency : Math.max(1, Math.ceil(lookupConcurrency / 4)), abortSignal: signal });
    }
    referenced ??= await selectionTest(source, references, signal);
    return keysSelected(source, references, keyAttributes, keys, referenced, { concurrency: Math.max(1, Math.ceil(lookupConcurrency / 4)) });
  };

  const resumed = context.info.heartbeatDetails as Checkpoint | undefined;
  let checkpoint: Checkpoint = resumed ?? {
    ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
    done: false,
    counts: { deleted: 0, checked: 0 },
  };
  const deadline = Date.now() + (options.callBudgetMs ?? 10_000);

  const heartbeats = keepHeartbeating(() => checkpoint);
  try {
    while (!checkpoint.done) {
      const page = await scanKeysPage(destination, table.destination, keyAttributes, {
        segment,
        totalSegments,
        ...(options.pageLimit ? { limit: options.pageLimit } : {}),
        ...(checkpoint.cursor !== undefined ? { cursor: seal.open<KeyCursor>(checkpoint.cursor) } : {}),
        abortSignal: signal,
      }).catch(fail({ side: 'destination', doing: 'scanning' }));
      // The source key each destination key comes from; none: no source key maps there, so nothing selected it.
      const origins = page.keys.map((key) => sourceKeyOf(inverse, key));
      const candidates = origins.filter((origin) => origin !== undefined);
      const selected = await inSubset(candidates).catch(fail({ side: 'source', doing: 'looking up keys in' }));
      let next = 0;
      const stale = page.keys.filter((_, i) => origins[i] === undefined || !selected[next++]);
      const deleted = await deleteKeys(destination, table.destination, stale, {
        concurrency: options.deleteConcurrency ?? 4,
        abortSignal: signal,
      }).catch(fail({ side: 'destination', doing: 'deleting from' }));
      checkpoint = {
        ...(page.cursor ? { cursor: seal.seal(page.cursor) } : {}),
        done: page.cursor === undefined,
        counts: { deleted: checkpoint.counts.deleted + deleted, checked: checkpoint.counts.checked + page.keys.length },
      };
      context.heartbeat(checkpoint);
      if (Date.now() >= deadline) break;
    }
  } finally {
    heartbeats.stop();
  }
  return { ...(checkpoint.cursor !== undefined && !checkpoint.done ? { cursor: checkpoint.cursor } : {}), ...checkpoint.counts };
}

/**
 * The way back from this table's destination keys, built with the salt the
 * copy used; a table whose keys are copied as they are needs no salt, so
 * none is read for it.
 */
async function keyInverse(deps: PruneDeps, input: PruneDestinationInput, callerWorkflowId: string): Promise<KeyInverse> {
  const { table, keyAttributes } = input;
  const mappings = { transformers: table.transformers, keyAttributes, onTypeMismatch: table.onTypeMismatch };
  const untransformed = keyAttributes.every((name) => keyMapping(table.transformers, name) === undefined);
  const salt = untransformed ? '' : await jobSalt(deps, input, callerWorkflowId);
  try {
    return createKeyInverse({ ...mappings, salt }, deps.registry);
  } catch (error) {
    throw planFailure(error);
  }
}

/** A fault of an inverse stops the prune before it deletes anything of the page, on every attempt. */
function sourceKeyOf(inverse: KeyInverse, key: Item): Item | undefined {
  try {
    return inverse.sourceKey(key);
  } catch (error) {
    throw error instanceof KeyInverseError ? planFailure(error) : error;
  }
}

/** The plan of a table that follows references, which the workflow passes on from prepareTable: the prune asks its selection, not a where. */
function referencesOf(input: PruneDestinationInput): ReferencesPlan | RingPlan | undefined {
  if (input.table.references === undefined) return undefined;
  if (input.readPlan?.kind !== 'references' && input.readPlan?.kind !== 'ring') throw refusal('BadMode', 'pruneDestination of a table that follows references needs its read plan');
  return input.readPlan;
}

/** The workflow checks these before calling; deleting is too costly to trust that alone. */
function refuseUnsafe(table: TableJob, keyAttributes: readonly string[], registry: TransformerRegistry): void {
  if (table.mode !== 'replace') {
    throw refusal('BadMode', `pruneDestination runs only for mode replace, not ${table.mode}`);
  }
  if (keyAttributes.length === 0) {
    throw refusal('BadMode', "pruneDestination needs the table's key attributes");
  }
  const problem = replaceModeProblem(table, keyAttributes, registry);
  if (problem) throw refusal('BadMode', problem);
  // prepareTable sends such a table to the forward prune; a workflow of an older version would not.
  if (ruleSetsMapKeys(table, keyAttributes)) {
    throw refusal('BadMode', "pruneDestination maps destination keys back through the table's key mappings, and a rule set maps a key otherwise: the table is pruned by pruneDestinationForward");
  }
}
