/**
 * Everything a table's copy needs to know before the first write, checked
 * once: the WHERE and every rule set's `when` are single conditions, the
 * key mappings (the table's, and each rule set's over them) keep every key
 * of the table and its indexes safe (transformers/key-safety.ts: the loader
 * cannot, it touches no table), both tables exist (or the destination is
 * created), their key schemas agree, `mode: replace` can work, and the
 * cheapest correct way to read the subset (read-plan). Every refusal here is
 * non-retryable and happens before anything is written, the destination's
 * creation included.
 */
import { Context } from '@temporalio/activity';
import { createTableLike } from '../dynamo/create-table.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { describeTable, indexKeyAttributesOf, keyAttributesOf, tableKeys } from '../dynamo/table-info.ts';
import type { KeyMappingCheck } from '../../transformers/key-safety.ts';
import { checkTableKeyMappings, ruleSetLabel } from '../../transformers/rule-sets.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { whereProblem } from '../../model/condition/index.ts';
import { describeReadPlan, readPlanSegments } from '../dynamo/where/index.ts';
import { followerPlan, selectionPlan } from './reference-plans.ts';
import { replaceModeProblem } from './prune-destination.ts';
import { keyMapping } from '../../transformers/key-inverse.ts';
import { connectionOf, dynamoFailure, failingAsData, keyMappingRefusal, planFailure, refusal, type Call } from './failures.ts';
import type { PrepareTableInput, PrepareTableResult } from './contracts.ts';
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
  const replaceProblem = table.mode === 'incremental' ? incrementalPruneProblem(table, sourceKeys.keyAttributes, registry) : replaceProblemOf(table, sourceKeys.keyAttributes, registry);
  if (replaceProblem) throw refusal('BadMode', replaceProblem);
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
  };
}

function replaceProblemOf(table: PrepareTableInput['table'], keyAttributes: readonly string[], registry: TransformerRegistry): string | undefined {
  if (table.mode !== 'replace') return undefined;
  return replaceModeProblem(table, keyAttributes, registry) ?? ruleSetsReplaceProblem(table, keyAttributes);
}

/** An incremental table's full copy (its first run, or when the stream cannot serve) prunes as mode replace does, so it needs what replace needs. */
function incrementalPruneProblem(table: PrepareTableInput['table'], keyAttributes: readonly string[], registry: TransformerRegistry): string | undefined {
  const problem = replaceProblemOf({ ...table, mode: 'replace' }, keyAttributes, registry);
  return problem && `mode incremental copies in full and prunes as mode replace does when its stream cannot serve: ${problem}`;
}

/**
 * The prune maps destination keys back through the table's key mappings
 * alone: it cannot tell from a destination key which rule set gave it, so
 * a rule set's own key mapping (other than passthrough) is refused.
 */
export function ruleSetsReplaceProblem(table: PrepareTableInput['table'], keyAttributes: readonly string[]): string | undefined {
  for (const [index, rule] of (table.rules ?? []).entries()) {
    const mapped = keyAttributes.flatMap((attribute) => {
      const mapping = keyMapping(rule.transformers, attribute);
      return mapping && mapping.ref.type !== 'passthrough' ? [`${mapping.pattern} (${mapping.ref.type})`] : [];
    });
    if (mapped.length > 0) {
      return (
        `${ruleSetLabel(rule, index)}: mode replace maps destination keys back through the table's key mappings, but the rule set maps key attribute${mapped.length > 1 ? 's' : ''} ${mapped.join(', ')}; ` +
        "map keys in the table's transformers only, or use mode upsert"
      );
    }
  }
  return undefined;
}
