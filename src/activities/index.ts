/**
 * The worker's activities, made from injected dependencies so the worker
 * owns the clients and tests can pass their own.
 */
import { Context } from '@temporalio/activity';
import { DynamoClients } from '../dynamo/clients.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { makeApplyChanges } from './apply-changes.ts';
import { makeCopyPages } from './copy-pages.ts';
import { makeCountMergedKeys } from './count-merged-keys.ts';
import { PageHandoff } from './page-handoff.ts';
import { PlanCache } from './plan-cache.ts';
import { makePlanStream } from './plan-stream.ts';
import { makePrepareTable } from './prepare-table.ts';
import { makePruneDestination } from './prune-destination.ts';
import { makePruneDestinationForward } from './prune-forward.ts';
import { sandboxPoolFor } from './sandbox-processes.ts';
import { CursorSeal } from './sealed-cursor.ts';
import { SecretResolver, secretResolverOptionsFromEnv } from '../secrets/secret-resolver.ts';

export interface ActivityDeps {
  registry: TransformerRegistry;
  clients?: DynamoClients;
  seal?: CursorSeal;
  /** Reads the job's salt where its reference points; default: from this process's environment and AWS settings. */
  secrets?: SecretResolver;
  /** How long one copyPages call runs before it hands its cursor back (progress shows at that pace). */
  callBudgetMs?: number;
  /** BatchWriteItem requests in flight per table, shared by its segments (each gets at least 2); default 8. */
  writeConcurrency?: number;
  /** JavaScript sandbox processes; default 1, the process-wide pool. */
  sandboxProcesses?: number;
  readPageLimit?: number;
  /** How long one applyShardChanges call of a follower waits at the end of its shard for new records; default 60 s. */
  followBudgetMs?: number;
  /** Records a GetRecords page (mode incremental); unset: 1,000. */
  streamPageLimit?: number;
}

/** Measured on DynamoDB Local (2 cores): 8 requests in flight saturate it; 16 gain nothing. See src/worker/worker-settings.ts. */
export const WRITE_CONCURRENCY = 8;

export function createActivities(deps: ActivityDeps) {
  const clients = deps.clients ?? new DynamoClients();
  const seal = deps.seal ?? CursorSeal.fromEnvironment();
  const secrets = deps.secrets ?? new SecretResolver({ ...secretResolverOptionsFromEnv(), log: logSecretRead });
  const plans = new PlanCache(undefined, plansRuntime(deps.sandboxProcesses ?? 1));
  // What the calls that transform and write pages (copyPages, applyShardChanges) share.
  const pageCalls = {
    clients,
    registry: deps.registry,
    plans,
    seal,
    secrets,
    callBudgetMs: deps.callBudgetMs ?? 10_000,
    writeConcurrency: deps.writeConcurrency ?? WRITE_CONCURRENCY,
  };
  // What the calls that read and transform the whole selection again (the merge count, the forward prune) share.
  const selectionReads = { clients, registry: deps.registry, plans, seal, secrets, ...(deps.readPageLimit ? { readPageLimit: deps.readPageLimit } : {}) };
  return {
    prepareTable: makePrepareTable(clients, deps.registry),
    copyPages: makeCopyPages({ ...pageCalls, handoff: new PageHandoff(), ...(deps.readPageLimit ? { readPageLimit: deps.readPageLimit } : {}) }),
    countMergedKeys: makeCountMergedKeys(selectionReads),
    pruneDestinationForward: makePruneDestinationForward(selectionReads, deps.readPageLimit ? { pageLimit: deps.readPageLimit } : {}),
    pruneDestination: makePruneDestination({ clients, registry: deps.registry, seal, secrets }, deps.readPageLimit ? { pageLimit: deps.readPageLimit } : {}),
    planStream: makePlanStream({ clients, seal, secrets }),
    applyShardChanges: makeApplyChanges({
      ...pageCalls,
      followBudgetMs: deps.followBudgetMs ?? 60_000,
      ...(deps.streamPageLimit ? { readPageLimit: deps.streamPageLimit } : {}),
    }),
  };
}

/** The resolver's line names the reference, never the value; it goes to the activity's logger (the worker's). */
function logSecretRead(line: string): void {
  try {
    Context.current().log.info(line);
  } catch {
    // Outside an activity (a test calling the resolver directly): nobody to tell.
  }
}

export type Activities = ReturnType<typeof createActivities>;

function plansRuntime(sandboxProcesses: number) {
  const sandboxes = sandboxPoolFor(sandboxProcesses);
  return sandboxes ? { sandboxes } : {};
}
