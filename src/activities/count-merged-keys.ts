/**
 * After a copy whose job allows key mappings that can merge keys, counts
 * exactly how many items merged: the selection is read again, every page
 * transformed as copyPages did, and the distinct destination keys counted.
 * merged = items read - distinct keys: each item another of the selection
 * overwrote, whichever page, segment or worker wrote either.
 *
 * The count lives in this one activity's memory: a set of 16-byte digests
 * of the destination keys (SHA-256, truncated: a false match between two of
 * a billion keys has odds below 10^-20), so it costs one more read and
 * transform of the selection and some 80 bytes of worker memory per item.
 * Nothing is written, and only the three counts leave; a retry starts over.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { DynamoClients } from '../dynamo/clients.ts';
import { limiterFor } from '../dynamo/rate-limiter.ts';
import { readTablePage, type ReadCursor } from '../dynamo/table-reader.ts';
import { readPlanSegments } from '../dynamo/where/read-plan.ts';
import { primaryKeyText } from '../../model/item-key.ts';
import type { TransformPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { CountMergedKeysInput, CountMergedKeysResult } from './contracts.ts';
import { connectionOf, dynamoFailure, failingAsData, planFailure, transformFailure } from './failures.ts';
import { keepHeartbeating } from './heartbeat.ts';
import { jobSalt, type JobSaltDeps } from './job-salt.ts';
import type { PlanCache } from './plan-cache.ts';

export interface CountMergedKeysDeps extends JobSaltDeps {
  clients: DynamoClients;
  registry: TransformerRegistry;
  plans: PlanCache;
  readPageLimit?: number;
}

export function makeCountMergedKeys(deps: CountMergedKeysDeps) {
  return async function countMergedKeys(input: CountMergedKeysInput): Promise<CountMergedKeysResult> {
    return failingAsData(() => count(deps, input));
  };
}

async function count(deps: CountMergedKeysDeps, input: CountMergedKeysInput): Promise<CountMergedKeysResult> {
  const context = Context.current();
  const { table, connections, readPlan, keyAttributes } = input;
  const reader = deps.clients.source(table.sourceConnection, connectionOf(connections, table.sourceConnection));
  // The salt the copy used, resolved the same way, so the keys are the ones it wrote.
  const salt = await jobSalt(deps, input, context.info.workflowExecution?.workflowId ?? context.info.activityId);
  let plan: TransformPlan;
  try {
    plan = deps.plans.get({ ...input, salt }, deps.registry);
  } catch (error) {
    throw planFailure(error);
  }
  const signal = context.cancellationSignal;
  const limiter = limiterFor(table.readRateLimit, 1);
  const keys = new Set<string>();
  let read = 0;
  const progress = () => ({ read, keys: keys.size });
  const heartbeats = keepHeartbeating(progress);

  const segment = async (index: number) => {
    let cursor: ReadCursor | undefined;
    do {
      const page = await readTablePage(reader, readPlan, {
        segment: index,
        ...(cursor ? { cursor } : {}),
        ...(deps.readPageLimit ? { limit: deps.readPageLimit } : {}),
        abortSignal: signal,
      }).catch((error: unknown) => {
        throw dynamoFailure(error, table, connections, { side: 'source', doing: 'reading' });
      });
      await limiter.take(page.items.length, signal);
      const items = await plan.transformPage(page.items).catch((error: unknown) => {
        throw transformFailure(error);
      });
      for (const item of items) keys.add(createHash('sha256').update(primaryKeyText(item, keyAttributes)).digest('base64').slice(0, 22));
      read += items.length;
      context.heartbeat(progress());
      cursor = page.cursor;
    } while (cursor !== undefined);
  };

  try {
    await Promise.all(Array.from({ length: readPlanSegments(readPlan) }, (_, index) => segment(index)));
  } finally {
    heartbeats.stop();
  }
  return { read, keys: keys.size, merged: read - keys.size };
}
