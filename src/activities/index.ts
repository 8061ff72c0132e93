/**
 * The worker's activities, made from injected dependencies so the worker
 * owns the clients and tests can pass their own.
 */
import { DynamoClients } from '../dynamo/clients.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { makeCopyPages } from './copy-pages.ts';
import { PlanCache } from './plan-cache.ts';
import { makePrepareTable } from './prepare-table.ts';

export interface ActivityDeps {
  registry: TransformerRegistry;
  clients?: DynamoClients;
  callBudgetMs?: number;
  writeConcurrency?: number;
  readPageLimit?: number;
}

export function createActivities(deps: ActivityDeps) {
  const clients = deps.clients ?? new DynamoClients();
  return {
    prepareTable: makePrepareTable(clients),
    copyPages: makeCopyPages({
      clients,
      registry: deps.registry,
      plans: new PlanCache(),
      callBudgetMs: deps.callBudgetMs ?? 30_000,
      writeConcurrency: deps.writeConcurrency ?? 8,
      ...(deps.readPageLimit ? { readPageLimit: deps.readPageLimit } : {}),
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
