/**
 * Applies one shard's changes to the destination (mode incremental): read
 * a page of records from the shard's position, transform the images with
 * the table's plan (the same plan cache, and so the same rules, templates,
 * JavaScript and defaults, as copyPages), put new images that are in the
 * subset (the one condition evaluator tests them, as DynamoDB's PartiQL
 * would), delete the transformed keys of the rest, one request per key
 * with the page's last change winning, and heartbeat the new position
 * once the page is written. A retried attempt resumes from the heartbeat;
 * a position is never past a record that is not written.
 *
 * An open shard is at its end once GetRecords has returned nothing
 * EMPTY_PAGES_AT_END times in a row: DynamoDB may need several calls to
 * step over a stretch without records. Following, the call then waits for
 * new records until its follow budget is up, polling every second or so;
 * once it has applied some, its call budget is what it has, as when
 * catching up: the workflow sees changes and lag at that pace.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { compileWhere, type ItemPredicate } from '../../model/condition/index.ts';
import { addCounts, ZERO_COUNTS, type TableCounts } from '../../model/counts.ts';
import type { ShardPosition } from '../../model/stream-checkpoint.ts';
import { sendWriteRequests } from '../dynamo/batch-writer.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { limiterFor } from '../dynamo/rate-limiter.ts';
import { writeSlots } from './segment-share.ts';
import { changePage, StreamRecordError, writeRequestsOf, type Change } from '../dynamo/streams/change-page.ts';
import { itemLimitsOf, writableItems, type ItemLimitOptions } from '../dynamo/item-limits.ts';
import { tableKnownNames, unnamedPaths } from '../../transformers/unnamed-paths.ts';
import { positionLostReason, ShardReader } from '../dynamo/streams/shard-reader.ts';
import type { PlanCounts, TransformPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import { destinationClient } from './destination-client.ts';
import { connectionOf, dynamoFailure, failingAsData, itemFailure, planFailure, refusal, transformFailure, unnamedPathsRefusal } from './failures.ts';
import { keepHeartbeating } from './heartbeat.ts';
import { jobSalt } from './job-salt.ts';
import type { PlanCache } from './plan-cache.ts';
import type { CursorSeal } from './sealed-cursor.ts';
import type { ApplyChangesInput, ApplyChangesResult } from './contracts.ts';

export const EMPTY_PAGES_AT_END = 3;

export interface ApplyChangesDeps {
  clients: DynamoClients;
  registry: TransformerRegistry;
  plans: PlanCache;
  seal: CursorSeal;
  secrets: SecretResolver;
  /** How long one call applies before it hands the position back. */
  callBudgetMs: number;
  /** How long one call waits at the shard's end when following. */
  followBudgetMs: number;
  /** BatchWriteItem requests in flight for a whole table; each shard gets its share. */
  writeConcurrency: number;
  /** Records a GetRecords page; unset: 1,000. */
  readPageLimit?: number;
  /** Pause between calls that found nothing. */
  pollMs?: number;
}

/** What a retried attempt resumes from, saved with every heartbeat. */
interface Progress {
  shard: ShardPosition;
  counts: TableCounts;
  lastCreatedAtMs?: number;
}

export function makeApplyChanges(deps: ApplyChangesDeps) {
  return async function applyShardChanges(input: ApplyChangesInput): Promise<ApplyChangesResult> {
    return failingAsData(() => apply(deps, input));
  };
}

async function apply(deps: ApplyChangesDeps, input: ApplyChangesInput): Promise<ApplyChangesResult> {
  const context = Context.current();
  const { table, connections } = input;
  const startedAtMs = Date.now();
  const streams = deps.clients.streams(table.sourceConnection, connectionOf(connections, table.sourceConnection));
  const writer = destinationClient(deps.clients, input);
  const salt = await jobSalt(deps, input, context.info.workflowExecution?.workflowId ?? context.info.activityId);
  const plan = planOrFail(deps, input, salt);
  const signal = context.cancellationSignal;
  const applying: Applying = {
    plan,
    inSubset: subsetOf(table.where),
    ...(table.strict && { knownNames: tableKnownNames(table) }),
    limits: itemLimitsOf(input, plan.knownNames),
    writer,
    writeOptions: {
      concurrency: writeSlots(deps.writeConcurrency, input.totalShards),
      limiter: limiterFor(table.writeRateLimit, input.totalShards),
      abortSignal: signal,
    },
  };

  let progress: Progress = (context.info.heartbeatDetails as Progress | undefined) ?? { shard: input.shard, counts: ZERO_COUNTS };
  if (progress.shard.finished) return applied(progress, 'finished');
  const reader = new ShardReader(streams, input.streamArn, input.shard.shardId, { ...(deps.readPageLimit ? { limit: deps.readPageLimit } : {}), abortSignal: signal });
  let emptyPages = 0;
  let readHere = false;
  // A follower waits a follow budget while nothing comes, and hands back what it applied at a call budget's pace, like a catching-up run.
  const deadline = () => startedAtMs + (input.follow && !readHere ? deps.followBudgetMs : deps.callBudgetMs);
  const heartbeats = keepHeartbeating(() => progress);
  try {
    for (;;) {
      let page;
      try {
        page = await reader.page(progress.shard.sequenceNumber);
      } catch (error) {
        const lost = positionLostReason(error, input.shard.shardId);
        if (lost) return { kind: 'lost', reason: lost, counts: progress.counts };
        throw dynamoFailure(error, table, connections, { side: 'source', doing: "reading the stream of" });
      }
      if (page.records.length > 0) {
        emptyPages = 0;
        readHere = true;
        progress = await applyPage(input, applying, progress, page.records);
        context.heartbeat(progress);
      } else {
        emptyPages++;
      }
      if (page.closed) {
        progress = { ...progress, shard: { ...progress.shard, finished: true } };
        context.heartbeat(progress);
        return applied(progress, 'finished');
      }
      const atEnd = emptyPages >= EMPTY_PAGES_AT_END;
      // Read to its end now: nothing of it written before this call's start can be trimmed unread for the next 24 hours.
      if (atEnd) progress = { ...progress, shard: { ...progress.shard, sinceMs: startedAtMs } };
      if (atEnd && !input.follow) return applied(progress, 'caughtUp');
      // Out of time: hand back, unless in the middle of a stretch of empty pages, which would start over in the next call.
      if (Date.now() >= deadline() && (atEnd || emptyPages === 0)) return applied(progress, atEnd ? 'caughtUp' : 'more');
      if (page.records.length === 0) await sleep(atEnd ? (deps.pollMs ?? 1_000) : 200, undefined, { signal });
    }
  } finally {
    heartbeats.stop();
  }
}

/** What every page of a call is applied with, made once per call. */
interface Applying {
  plan: TransformPlan;
  inSubset: ItemPredicate | undefined;
  /** strict: true only: the names the table's and its rule sets' mappings know. */
  knownNames?: Set<string>;
  limits: ItemLimitOptions;
  writer: ReturnType<typeof destinationClient>;
  writeOptions: Parameters<typeof sendWriteRequests>[3];
}

async function applyPage(input: ApplyChangesInput, applying: Applying, progress: Progress, records: Parameters<typeof changePage>[0]): Promise<Progress> {
  const { table, connections } = input;
  const { plan, inSubset, knownNames, limits, writer, writeOptions } = applying;
  let page;
  try {
    page = changePage(records, inSubset, input.skipBeforeMs);
  } catch (error) {
    if (error instanceof StreamRecordError) throw refusal('StreamUnreadable', `reading the stream: ${error.message}`);
    throw error;
  }
  const counts: PlanCounts = { typeMismatches: 0, ...(table.strict && { unmapped: new Map() }) };
  let oversize = 0;
  if (page.changes.length > 0) {
    let transformed;
    try {
      transformed = await plan.transformPage(page.changes.map((c) => c.image), counts);
    } catch (error) {
      throw transformFailure(error);
    }
    // What a full copy refuses or leaves out, the stream's changes do too, so both give the same destination.
    if (knownNames !== undefined) {
      const unnamed = unnamedPaths(counts.unmapped, knownNames);
      if (unnamed.length > 0) throw unnamedPathsRefusal(unnamed, { read: progress.counts.records ?? 0, written: progress.counts.puts ?? 0 });
    }
    const changes = page.changes.map((change, i): Change => {
      if (change.kind !== 'put') return change;
      let skipped;
      try {
        ({ skipped } = writableItems([change.image], [transformed[i]!], limits));
      } catch (error) {
        throw itemFailure(error);
      }
      if (skipped === 0) return change;
      // Left out of a full copy, so an earlier version must not stay in the destination either.
      oversize++;
      return { ...change, kind: 'delete' };
    });
    const requests = writeRequestsOf(changes, transformed, input.keyAttributes);
    await sendWriteRequests(writer, table.destination, requests, writeOptions).catch((error: unknown) => {
      throw dynamoFailure(error, table, connections, { side: 'destination', doing: 'writing' });
    });
  }
  return {
    shard: { ...progress.shard, ...(page.lastSequenceNumber !== undefined && { sequenceNumber: page.lastSequenceNumber }) },
    counts: addCounts(progress.counts, { ...page.counts, typeMismatches: counts.typeMismatches, ...(table.oversizeItems === 'skip' ? { oversize } : {}) }),
    ...(page.lastCreatedAtMs !== undefined ? { lastCreatedAtMs: page.lastCreatedAtMs } : progress.lastCreatedAtMs !== undefined ? { lastCreatedAtMs: progress.lastCreatedAtMs } : {}),
  };
}

function applied(progress: Progress, end: 'finished' | 'caughtUp' | 'more'): ApplyChangesResult {
  // The oldest record not applied is younger than the last one applied: its age is at most this.
  const lagMs = end === 'more' && progress.lastCreatedAtMs !== undefined ? Math.max(0, Date.now() - progress.lastCreatedAtMs) : 0;
  return { kind: 'applied', shard: progress.shard, end, counts: progress.counts, lagMs };
}

function subsetOf(where: string | undefined): ItemPredicate | undefined {
  if (where === undefined) return undefined;
  const compiled = compileWhere(where);
  if (!compiled.ok) throw refusal('BadWhere', `where: ${compiled.problem.message}`);
  return compiled.matches;
}

function planOrFail(deps: ApplyChangesDeps, input: ApplyChangesInput, salt: string): TransformPlan {
  try {
    return deps.plans.get({ ...input, salt }, deps.registry);
  } catch (error) {
    throw planFailure(error);
  }
}
