/**
 * The destination keys of a table's whole selection, as the copy wrote
 * them: every segment of the read plan read again and every page
 * transformed as copyPages did (rule sets included), keeping a 16-byte
 * digest of each transformed item's primary key (SHA-256, truncated: a
 * false match between two of a billion keys has odds below 10^-20), never
 * the key. Shared by the merge count (count-merged-keys.ts) and the forward
 * prune (prune-forward.ts).
 *
 * Memory: a Set of digests, about 55 bytes of worker heap per distinct key
 * (a 16-character one-byte string and its Set entry: 53 bytes measured for
 * a million keys on Node 24, where the 22-character base64 slice used
 * before cost 117), plus one page of items per segment in flight; it grows with the selection, which is why
 * both callers run as one activity that starts over when retried.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Item } from '../../model/item.ts';
import { primaryKeyText } from '../../model/item-key.ts';
import type { TransformPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { limiterFor } from '../dynamo/rate-limiter.ts';
import { readTablePage, type ReadCursor } from '../dynamo/table-reader.ts';
import { readPlanSegments } from '../dynamo/where/read-plan.ts';
import type { CountMergedKeysInput } from './contracts.ts';
import { connectionOf, dynamoFailure, planFailure, transformFailure } from './failures.ts';
import { jobSalt, type JobSaltDeps } from './job-salt.ts';
import type { PlanCache } from './plan-cache.ts';

export interface SelectionDigestsDeps extends JobSaltDeps {
  clients: DynamoClients;
  registry: TransformerRegistry;
  plans: PlanCache;
  readPageLimit?: number;
}

export interface SelectionDigests {
  /** Items of the selection read (and transformed). */
  read: number;
  /** One digest per distinct destination key. */
  digests: Set<string>;
}

/** The digest both sides compare: of a transformed item, or of a destination key that Scan returned. */
export function keyDigest(item: Item, keyAttributes: readonly string[]): string {
  // 16 bytes as a 16-character one-byte string: a slice of the base64 text would keep its 44-character parent alive.
  return createHash('sha256').update(primaryKeyText(item, keyAttributes)).digest().toString('latin1', 0, 16);
}

/** Reads and transforms the whole selection; `progress` hears the counts after every page (for heartbeats: counts only). */
export async function selectionDigests(deps: SelectionDigestsDeps, input: CountMergedKeysInput, progress: (read: number, keys: number) => void): Promise<SelectionDigests> {
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
  const digests = new Set<string>();
  let read = 0;

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
      for (const item of items) digests.add(keyDigest(item, keyAttributes));
      read += items.length;
      progress(read, digests.size);
      cursor = page.cursor;
    } while (cursor !== undefined);
  };

  await Promise.all(Array.from({ length: readPlanSegments(readPlan) }, (_, index) => segment(index)));
  return { read, digests };
}
