/**
 * The activity that moves data: read a page, transform every item, write
 * the page, heartbeat the cursor; repeat until the table ends or the call's
 * time budget runs out. Items live only in this function's memory, one page
 * at a time; the workflow sees cursors and counts.
 */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { DynamoClients } from '../dynamo/clients.ts';
import { writeItems } from '../dynamo/batch-writer.ts';
import { buildSelectStatement, readPage, selectSpec } from '../dynamo/partiql-reader.ts';
import type { PlanCounts, TransformPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { Item } from '../dynamo/item-codec.ts';
import type { PlanCache } from './plan-cache.ts';
import { addCounts, ZERO_COUNTS, type CopyPagesInput, type CopyPagesResult, type TableCounts } from '../../workflows/shared.ts';

export interface CopyPagesDeps {
  clients: DynamoClients;
  registry: TransformerRegistry;
  plans: PlanCache;
  /** How long one call keeps copying before it hands the cursor back. */
  callBudgetMs: number;
  writeConcurrency: number;
  /** Items evaluated per read (PartiQL Limit); unset reads 1 MB pages. */
  readPageLimit?: number;
}

/** What a retried attempt resumes from, saved with every heartbeat. */
interface Checkpoint {
  cursor?: string;
  counts: TableCounts;
}

export function makeCopyPages(deps: CopyPagesDeps) {
  return async function copyPages(input: CopyPagesInput): Promise<CopyPagesResult> {
    const context = Context.current();
    const { table, connections } = input;
    const reader = deps.clients.get(table.sourceConnection, connections[table.sourceConnection]!);
    const writer = deps.clients.get(table.destinationConnection, connections[table.destinationConnection]!);
    const plan = planOrFail(deps, input);
    const statement = buildSelectStatement(selectSpec(table));

    const resumed = context.info.heartbeatDetails as Checkpoint | undefined;
    let checkpoint: Checkpoint = resumed ?? { ...(input.cursor ? { cursor: input.cursor } : {}), counts: ZERO_COUNTS };
    const deadline = Date.now() + deps.callBudgetMs;
    const signal = context.cancellationSignal;

    do {
      const page = await readPage(reader, statement, {
        nextToken: checkpoint.cursor,
        consistentRead: table.consistentRead,
        ...(deps.readPageLimit ? { limit: deps.readPageLimit } : {}),
        abortSignal: signal,
      }).catch(
        (error: unknown) => {
          throw describeFailure(error, `reading "${table.source}"`);
        },
      );
      const planCounts = { typeMismatches: 0 };
      const transformed = page.items.map((item) => transformOrFail(plan, item, planCounts, table.source));
      const written = await writeItems(writer, table.destination, transformed, { concurrency: deps.writeConcurrency, abortSignal: signal }).catch(
        (error: unknown) => {
          throw describeFailure(error, `writing "${table.destination}"`);
        },
      );
      checkpoint = {
        ...(page.nextToken ? { cursor: page.nextToken } : {}),
        counts: addCounts(checkpoint.counts, { read: page.items.length, written, typeMismatches: planCounts.typeMismatches }),
      };
      context.heartbeat(checkpoint);
    } while (checkpoint.cursor && Date.now() < deadline);

    return checkpoint;
  };
}

/** A plan that cannot be built (bad options, a key mapped to drop) fails the same way on every attempt. */
function planOrFail(deps: CopyPagesDeps, input: CopyPagesInput): TransformPlan {
  try {
    return deps.plans.get(input, deps.registry);
  } catch (error) {
    throw ApplicationFailure.nonRetryable(`table "${input.table.source}": ${(error as Error).message}`, 'BadPlan');
  }
}

function transformOrFail(plan: TransformPlan, item: Item, counts: PlanCounts, table: string): Item {
  try {
    return plan.transformItem(item, counts);
  } catch (error) {
    // Transformer errors name the path and types, never the value (see transformers/plan.ts).
    throw ApplicationFailure.nonRetryable(`table "${table}": ${(error as Error).message}`, 'TransformFailed');
  }
}

function describeFailure(error: unknown, doing: string): unknown {
  if (error instanceof ResourceNotFoundException) {
    return ApplicationFailure.nonRetryable(`${doing}: table not found`, 'TableNotFound');
  }
  if (error instanceof Error && error.name === 'ValidationException') {
    // Bad WHERE syntax and similar: retrying cannot help. DynamoDB's message names no item values.
    return ApplicationFailure.nonRetryable(`${doing}: ${error.message}`, 'ValidationException');
  }
  return error;
}
