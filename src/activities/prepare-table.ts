/**
 * Everything a table's copy needs to know before the first write, checked
 * once: the WHERE and every rule set's `when` are single conditions, the
 * key mappings (the table's, and each rule set's over them) keep every key
 * of the table and its indexes safe (transformers/key-safety.ts: the loader
 * cannot, it touches no table), both tables exist (or the destination is
 * created), their key schemas agree, which prune `mode: replace` needs and
 * that one of them can serve (prune-way.ts), and the
 * cheapest correct way to read the subset (read-plan). Every refusal here is
 * non-retryable and happens before anything is written, the destination's
 * creation included.
 */
import { Context } from '@temporalio/activity';
import { createTableLike } from '../dynamo/create-table.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { describeTable, indexKeyAttributesOf, keyAttributesOf, tableKeys } from '../dynamo/table-info.ts';
import type { KeyMappingCheck } from '../../transformers/key-safety.ts';
import { checkTableKeyMappings } from '../../transformers/rule-sets.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { whereProblem } from '../../model/condition/index.ts';
import { describeReadPlan, readPlanSegments } from '../dynamo/where/index.ts';
import { followerPlan, selectionPlan } from './reference-plans.ts';
import { tablePruneWay } from './prune-way.ts';
import { connectionOf, dynamoFailure, failingAsData, keyMappingRefusal, planFailure, refusal, type Call } from './failures.ts';
import type { PrepareTableInput, PrepareTableResult, PruneWay } from './contracts.ts';
import { destinationClient } from './destination-client.ts';

export function makePrepareTable(clients: DynamoClients, registry: TransformerRegistry) {
  return async function prepareTable(input: PrepareTableInput): Promise<PrepareTableResult> {
    return failingAsData(() => prepare(clients, registry, input));
  };
}

async function prepare(clients: DynamoClients, registry: TransformerRegistry, input: PrepareTableInput): Promise<PrepareTableResult> {
  const { table, connections, defaults = {} } = input;
  const problem = table.where !== undefined ? whereProblem(table.where) : undefined;
  if (problem) throw refusal('BadWhere', `where: ${problem}`);
  for (const [index, rule] of (table.rules ?? []).entries()) {
    const whenProblem = whereProblem(rule.when);
    if (whenProblem) throw refusal('BadWhere', `rules[${index}].when: ${whenProblem}`);
  }

  const source = clients.source(table.sourceConnection, connectionOf(connections, table.sourceConnection));
  const destination = destinationClient(clients, input);
  const abortSignal = Context.current().cancellationSignal;
  // Missing tables and credentials cannot fix themselves: they fail at once. An unreachable endpoint may come back: retried, saying which.
  const on = <T>(call: Call, promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      throw dynamoFailure(error, table, connections, call);
    });

  // One DescribeTable of the source gives its keys, its size and its indexes.
  const sourceDescription = await on({ side: 'source' }, describeTable(source, table.source));
  const sourceKeys = tableKeys(sourceDescription);
  const prune = pruneOf(table, sourceKeys.keyAttributes, registry);
  let keyCheck: KeyMappingCheck;
  try {
    keyCheck = checkTableKeyMappings(table, defaults, keyAttributesOf(sourceDescription), registry);
  } catch (error) {
    throw planFailure(error); // a ref the loader would not have let through (a job from another version)
  }
  if (keyCheck.problems.length > 0) throw keyMappingRefusal(keyCheck.problems);
  let createdDestination = false;
  if (table.createTable) {
    createdDestination = (await on({ side: 'destination' }, createTableLike(source, table.source, destination, table.destination, { abortSignal }))) === 'created';
  }
  const destinationDescription = await on(
    { side: 'destination', ...(table.createTable ? {} : { hint: ' (createTable: true would create it)' }) },
    describeTable(destination, table.destination),
  );
  const destinationKeys = tableKeys(destinationDescription);
  // Names and types from the schema, no item data: what copyPages checks each transformed item's index keys against.
  const indexKeys = indexKeyAttributesOf(destinationDescription);
  const render = (k: typeof sourceKeys) => k.keySchema.map((e) => `${e.AttributeName} (${e.KeyType})`).join(', ');
  if (render(sourceKeys) !== render(destinationKeys)) {
    throw refusal('KeySchemaMismatch', `the destination's key schema [${render(destinationKeys)}] differs from the source's [${render(sourceKeys)}]`);
  }

  const readPlan =
    table.references !== undefined
      ? await followerPlan({ ...table, references: table.references }, sourceDescription, (name) => on({ side: 'source' }, describeTable(source, name)))
      : selectionPlan(table, sourceDescription).plan;
  return {
    keyAttributes: sourceKeys.keyAttributes,
    ...(indexKeys.length > 0 && { indexKeys }),
    readPlan,
    readPlanText: describeReadPlan(readPlan),
    segments: readPlanSegments(readPlan),
    createdDestination,
    ...(keyCheck.countMerges ? { countMerges: true } : {}),
    ...(prune !== undefined && { prune }),
  };
}

/** The prune a replaced (or incremental) table needs, or undefined for a table that does not prune; refused when neither way can serve. */
function pruneOf(table: PrepareTableInput['table'], keyAttributes: readonly string[], registry: TransformerRegistry): PruneWay | undefined {
  const decision = tablePruneWay(table, keyAttributes, registry);
  if (decision !== undefined && 'problem' in decision) throw refusal('BadMode', decision.problem);
  return decision?.way;
}
