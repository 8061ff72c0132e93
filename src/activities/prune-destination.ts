/**
 * `mode: replace`, after every segment of a copy completed: deletes the
 * destination items this run did not select. One call works through one
 * Scan segment of the destination, page by page: read a page of keys, ask
 * the source which of them its subset holds (read-only calls that return
 * keys only, see subset-membership.ts), delete the rest, heartbeat the
 * sealed cursor. Memory holds one page of keys whatever the table size, and
 * the workflow sees sealed cursors and counts.
 *
 * What "selected" means is decided when the prune reads the source, not
 * when the copy did: an item deleted from the source (or changed so that the
 * WHERE no longer holds) after the copy is deleted from the destination too;
 * an item added to the source after the copy is not copied by the prune, so
 * it is in the destination only if an earlier run had put it there.
 */
import { Context } from '@temporalio/activity';
import type { TableJob } from '../../model/job.ts';
import { deleteKeys } from '../dynamo/batch-deleter.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { scanKeysPage, type KeyCursor } from '../dynamo/key-scanner.ts';
import { keysInSubset } from '../dynamo/subset-membership.ts';
import { connectionOf, dynamoFailure, failingAsData, refusal, type Call } from './failures.ts';
import { keepHeartbeating } from './heartbeat.ts';
import { parsePathPattern } from '../../model/path.ts';
import type { PruneDestinationInput, PruneDestinationResult } from './contracts.ts';
import { destinationClient } from './destination-client.ts';
import type { CursorSeal } from './sealed-cursor.ts';

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
 * (always for other modes).
 * Pruning looks destination keys up in the source, so they must be the
 * source's keys: a key attribute mapped to any transformer but passthrough
 * breaks that, and so does reading an index (a sparse index's subset is not
 * a condition the base table can check key by key).
 */
export function replaceModeProblem(table: TableJob, keyAttributes: readonly string[]): string | undefined {
  if (table.mode !== 'replace') return undefined;
  if (table.index !== undefined) {
    return `mode replace cannot read from index "${table.index}": the prune step checks destination keys against the base table; read the table itself, or use mode upsert`;
  }
  const keys = new Set(keyAttributes);
  const mapped = Object.entries(table.transformers)
    .filter(([pattern, ref]) => ref.type !== 'passthrough' && namesKeyAttribute(pattern, keys))
    .map(([pattern, ref]) => `${pattern} (${ref.type})`);
  if (mapped.length === 0) return undefined;
  return (
    `mode replace needs destination keys equal to source keys, but transformers map key attribute${mapped.length > 1 ? 's' : ''} ${mapped.join(', ')}; ` +
    'leave key attributes unmapped (or passthrough), or use mode upsert'
  );
}

/** The plan transforms a key only when a mapping names it alone and literally (see transformers/mapping-rules.ts). */
function namesKeyAttribute(pattern: string, keys: ReadonlySet<string>): boolean {
  try {
    const [only, ...rest] = parsePathPattern(pattern).segments;
    return only?.kind === 'key' && rest.length === 0 && keys.has(only.name);
  } catch {
    return false; // the job loader reports bad patterns
  }
}

export function makePruneDestination(clients: DynamoClients, seal: CursorSeal, options: PruneOptions = {}) {
  return async function pruneDestination(input: PruneDestinationInput): Promise<PruneDestinationResult> {
    return failingAsData(() => prune(clients, seal, options, input));
  };
}

async function prune(clients: DynamoClients, seal: CursorSeal, options: PruneOptions, input: PruneDestinationInput): Promise<PruneDestinationResult> {
  const context = Context.current();
  const { table, connections, keyAttributes, segment, totalSegments } = input;
  refuseUnsafe(table, keyAttributes);
  const source = clients.source(table.sourceConnection, connectionOf(connections, table.sourceConnection));
  const destination = destinationClient(clients, input);
  const signal = context.cancellationSignal;
  const fail = (call: Call) => (error: unknown): never => {
    throw dynamoFailure(error, table, connections, call);
  };
  const lookupConcurrency = options.lookupConcurrency ?? 16;
  const subset = { table: table.source, ...(table.where !== undefined ? { where: table.where } : {}), consistentRead: table.consistentRead };

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
      const selected = await keysInSubset(source, subset, keyAttributes, page.keys, {
        concurrency: table.where !== undefined ? lookupConcurrency : Math.max(1, Math.ceil(lookupConcurrency / 4)),
        abortSignal: signal,
      }).catch(fail({ side: 'source', doing: 'looking up keys in' }));
      const stale = page.keys.filter((_, i) => !selected[i]);
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

/** The workflow checks these before calling; deleting is too costly to trust that alone. */
function refuseUnsafe(table: TableJob, keyAttributes: readonly string[]): void {
  if (table.mode !== 'replace') {
    throw refusal('BadMode', `pruneDestination runs only for mode replace, not ${table.mode}`);
  }
  if (keyAttributes.length === 0) {
    throw refusal('BadMode', "pruneDestination needs the table's key attributes");
  }
  const problem = replaceModeProblem(table, keyAttributes);
  if (problem) throw refusal('BadMode', problem);
}
