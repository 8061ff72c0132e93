/**
 * The activity that moves data for one segment of a table: read a page,
 * transform it, write it, heartbeat the sealed cursor; repeat until the
 * segment ends or the call's time budget runs out. The next page is read
 * while the current one is transformed and written, and when the budget
 * ends, for the segment's next call on this worker (page-handoff.ts). Items
 * live only in this worker's memory, at most two pages of a segment at a
 * time; the workflow sees sealed cursors and counts.
 */
import { Context } from '@temporalio/activity';
import type { DynamoClients } from '../dynamo/clients.ts';
import { writeItems } from '../dynamo/batch-writer.ts';
import { itemLimitsOf, writableItems, type ItemLimitOptions } from '../dynamo/item-limits.ts';
import { limiterFor } from '../dynamo/rate-limiter.ts';
import { readTablePage, type ReadCursor, type ReadTablePage } from '../dynamo/table-reader.ts';
import type { RootPageCache } from '../dynamo/collection-reader.ts';
import type { Item } from '../../model/item.ts';
import type { PlanCounts, TransformPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { PlanCache } from './plan-cache.ts';
import type { CursorSeal } from './sealed-cursor.ts';
import type { PageHandoff } from './page-handoff.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import { destinationClient } from './destination-client.ts';
import { jobSalt } from './job-salt.ts';
import { connectionOf, dynamoFailure, failingAsData, itemFailure, planFailure, transformFailure, unnamedPathsRefusal } from './failures.ts';
import { tableKnownNames, unnamedPaths } from '../../transformers/unnamed-paths.ts';
import { keyCollisionsAllowed } from '../../transformers/key-safety.ts';
import { keepHeartbeating } from './heartbeat.ts';
import { sharingSegments, writeSlots } from './segment-share.ts';
import { addCounts, ZERO_COUNTS, type TableCounts } from '../../model/counts.ts';
import type { CopyPagesInput, CopyPagesResult } from './contracts.ts';

export interface CopyPagesDeps {
  clients: DynamoClients;
  registry: TransformerRegistry;
  plans: PlanCache;
  seal: CursorSeal;
  /** Resolves the job's salt reference on this worker. */
  secrets: SecretResolver;
  /** How long one call keeps copying before it hands the cursor back. */
  callBudgetMs: number;
  /** BatchWriteItem requests in flight for a whole table; each segment still copying gets its share. */
  writeConcurrency: number;
  /** Items evaluated per read; unset reads 1 MB pages. */
  readPageLimit?: number;
  /** Where a call that ends on its budget leaves the segment's next page for the next call. */
  handoff: PageHandoff;
}

/**
 * Plans whose pages the next call may take from the previous one: a page of
 * these depends on its cursor alone. A collections, references or ring page
 * also depends on what its call read before it (the root page cache, the walk).
 */
const HANDOFF_PLANS: ReadonlySet<CopyPagesInput['readPlan']['kind']> = new Set(['scan', 'query', 'partiql']);

/** What a retried attempt resumes from, saved with every heartbeat. */
interface Checkpoint {
  /** Sealed: it holds key values. */
  cursor?: string;
  counts: TableCounts;
  /** The segment's last page is written: a retry after that has nothing left to do. */
  done?: boolean;
}

export function makeCopyPages(deps: CopyPagesDeps) {
  return async function copyPages(input: CopyPagesInput): Promise<CopyPagesResult> {
    return failingAsData(() => copy(deps, input));
  };
}

async function copy(deps: CopyPagesDeps, input: CopyPagesInput): Promise<CopyPagesResult> {
  const context = Context.current();
  const { table, connections, readPlan, segment } = input;
  const reader = deps.clients.source(table.sourceConnection, connectionOf(connections, table.sourceConnection));
  const writer = destinationClient(deps.clients, input);
  // Every call asks: within the resolver's cache time the same value comes back and the plan cache finds its plan.
  const salt = await jobSalt(deps, input, context.info.workflowExecution?.workflowId ?? context.info.activityId);
  const plan = planOrFail(deps, input, salt);
  const knownNames = tableKnownNames(table);
  const signal = context.cancellationSignal;
  const sharing = sharingSegments(input);
  const readLimiter = limiterFor(table.readRateLimit, sharing);
  const writeOptions = {
    keyAttributes: input.keyAttributes,
    // Items of a page whose transformed keys meet are put once only where the job allows it (and the run counts them); else the page is refused.
    duplicates: keyCollisionsAllowed(table, input.keyAttributes) ? ('keepLast' as const) : ('refuse' as const),
    concurrency: writeSlots(deps.writeConcurrency, sharing),
    limiter: limiterFor(table.writeRateLimit, sharing),
    abortSignal: signal,
  };

  const limits = itemLimitsOf(input, plan.knownNames);

  const resumed = context.info.heartbeatDetails as Checkpoint | undefined;
  let checkpoint: Checkpoint = resumed ?? { ...(input.cursor ? { cursor: input.cursor } : {}), counts: ZERO_COUNTS };
  if (checkpoint.done) return { counts: checkpoint.counts };
  const deadline = Date.now() + deps.callBudgetMs;
  const workflowId = context.info.workflowExecution?.workflowId;
  // Where this call finds its first page and leaves the next call's, when the plan's pages can be handed on.
  const handoffKey = workflowId !== undefined && HANDOFF_PLANS.has(readPlan.kind) ? (cursor: string) => ({ workflowId, segment, cursor }) : undefined;

  // A whole-collections plan's root page, read once for all the collections it names.
  const cache: RootPageCache = {};
  // A read for the next call outlives this one: it is not canceled with it.
  const read = async (cursor: ReadCursor | undefined, abortSignal: AbortSignal | undefined = signal) => {
    const page = await readTablePage(reader, readPlan, {
      segment,
      cache,
      ...(cursor ? { cursor } : {}),
      ...(deps.readPageLimit ? { limit: deps.readPageLimit } : {}),
      ...(abortSignal ? { abortSignal } : {}),
    }).catch((error: unknown) => {
      throw dynamoFailure(error, table, connections, { side: 'source', doing: 'reading' });
    });
    await readLimiter.take(page.items.length, abortSignal);
    return page;
  };
  const firstPage = async () => {
    const cursor = checkpoint.cursor;
    const handed = cursor !== undefined && handoffKey ? await deps.handoff.take(handoffKey(cursor)) : undefined;
    return handed ?? read(cursor ? deps.seal.open<ReadCursor>(cursor) : undefined);
  };

  let pending = firstPage();
  let handedOn: Promise<ReadTablePage> | undefined;
  const heartbeats = keepHeartbeating(() => checkpoint);
  try {
    for (;;) {
      const page = await pending;
      const more = page.cursor !== undefined && Date.now() < deadline;
      // Read ahead while this page is transformed and written: for this call, or once the budget is spent, for the next.
      if (more) pending = read(page.cursor);
      else if (page.cursor !== undefined && handoffKey) handedOn = read(page.cursor, undefined);
      const counts: PlanCounts = { typeMismatches: 0, paths: new Map(), ...(table.strict && { unmapped: new Map() }) };
      const transformed = await transformOrFail(plan, page.items, counts);
      if (table.strict) {
        const unnamed = unnamedPaths(counts.unmapped, knownNames);
        if (unnamed.length > 0) throw unnamedPathsRefusal(unnamed, { read: checkpoint.counts.read, written: checkpoint.counts.written });
      }
      const { items, skipped } = writableOrFail(page.items, transformed, limits);
      const { written } = await writeItems(writer, table.destination, items, writeOptions).catch((error: unknown) => {
        throw dynamoFailure(error, table, connections, { side: 'destination', doing: 'writing' });
      });
      checkpoint = {
        ...(page.cursor ? { cursor: deps.seal.seal(page.cursor) } : {}),
        // The privacy report's rows, added up per path here: a call's result holds at most MAX_REPORTED_PATHS of them, whatever it read.
        counts: addCounts(checkpoint.counts, {
          read: page.items.length,
          written,
          typeMismatches: counts.typeMismatches,
          paths: [...counts.paths!.values()],
          ...selectionCounts(page),
          ...(limits.oversize === 'skip' ? { oversize: skipped } : {}),
        }),
        ...(page.cursor ? {} : { done: true }),
      };
      context.heartbeat(checkpoint);
      if (!more) {
        if (handedOn && handoffKey && checkpoint.cursor) deps.handoff.offer(handoffKey(checkpoint.cursor), handedOn);
        return { ...(checkpoint.cursor ? { cursor: checkpoint.cursor } : {}), counts: checkpoint.counts };
      }
    }
  } finally {
    heartbeats.stop();
    // A read still in flight when a write fails must not surface as an unhandled rejection.
    pending.catch(() => undefined);
    handedOn?.catch(() => undefined);
  }
}

/** Of a whole-collections page: its roots, the items that came with them, and the collections it finished; of a references Scan, the dangling references it met. */
function selectionCounts(page: ReadTablePage): Partial<TableCounts> {
  if (page.selection === undefined) return {};
  const { roots, collections, keys = 0, dangling } = page.selection;
  // A references page's roots are the referenced keys it followed, which are not among its items.
  return { roots: roots + keys, followed: page.items.length - roots, collections, ...(dangling !== undefined ? { dangling } : {}) };
}

function planOrFail(deps: CopyPagesDeps, input: CopyPagesInput, salt: string): TransformPlan {
  try {
    return deps.plans.get({ ...input, salt }, deps.registry);
  } catch (error) {
    throw planFailure(error);
  }
}

async function transformOrFail(plan: TransformPlan, items: Parameters<TransformPlan['transformPage']>[0], counts: PlanCounts) {
  try {
    return await plan.transformPage(items, counts);
  } catch (error) {
    throw transformFailure(error);
  }
}

function writableOrFail(sources: readonly Item[], transformed: readonly Item[], limits: ItemLimitOptions) {
  try {
    return writableItems(sources, transformed, limits);
  } catch (error) {
    throw itemFailure(error);
  }
}
