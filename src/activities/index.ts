/**
 * The worker's activities, made from injected dependencies so the worker
 * owns the clients and tests can pass their own.
 */
import { DynamoClients } from '../dynamo/clients.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { makeCopyPages } from './copy-pages.ts';
import { makeCountMergedKeys } from './count-merged-keys.ts';
import { PlanCache } from './plan-cache.ts';
import { makePrepareTable } from './prepare-table.ts';
import { makePruneDestination } from './prune-destination.ts';
import { CursorSeal } from './sealed-cursor.ts';

export interface ActivityDeps {
  registry: TransformerRegistry;
  clients?: DynamoClients;
  seal?: CursorSeal;
  /** How long one copyPages call runs before it hands its cursor back (progress shows at that pace). */
  callBudgetMs?: number;
  /** BatchWriteItem requests in flight per table, shared by its segments. */
  writeConcurrency?: number;
  readPageLimit?: number;
}

/** Measured on DynamoDB Local (2 cores): 8 requests in flight saturate it; 16 gain nothing. */
const WRITE_CONCURRENCY = 8;

export function createActivities(deps: ActivityDeps) {
  const clients = deps.clients ?? new DynamoClients();
  const seal = deps.seal ?? CursorSeal.fromEnvironment();
  const plans = new PlanCache();
  return {
    prepareTable: makePrepareTable(clients, deps.registry),
    copyPages: makeCopyPages({
      clients,
      registry: deps.registry,
      plans,
      seal,
      callBudgetMs: deps.callBudgetMs ?? 10_000,
      writeConcurrency: deps.writeConcurrency ?? WRITE_CONCURRENCY,
      ...(deps.readPageLimit ? { readPageLimit: deps.readPageLimit } : {}),
    }),
    countMergedKeys: makeCountMergedKeys({ clients, registry: deps.registry, plans, ...(deps.readPageLimit ? { readPageLimit: deps.readPageLimit } : {}) }),
    pruneDestination: makePruneDestination(clients, seal, deps.readPageLimit ? { pageLimit: deps.readPageLimit } : {}),
  };
}

export type Activities = ReturnType<typeof createActivities>;
