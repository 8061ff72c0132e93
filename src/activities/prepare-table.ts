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
import { SelectionError, tableReadPlan, type ReadSelection, type RootsSelection } from '../dynamo/table-read-plan.ts';
import { Context } from '@temporalio/activity';
import { createTableLike } from '../dynamo/create-table.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { defaultSegments, describeTable, indexKeyAttributesOf, keyAttributesOf, readInfo, tableKeys, type TableReadInfo } from '../dynamo/table-info.ts';
import type { KeyMappingCheck } from '../../transformers/key-safety.ts';
import { checkTableKeyMappings } from '../../transformers/rule-sets.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { whereProblem } from '../../model/condition/index.ts';
import { describeReadPlan, readPlanSegments, type ReadPlan, type ReferencesPlan, type RootsPlan } from '../dynamo/where/index.ts';
import type { TableReference } from '../../model/job.ts';
import type { GlobalSecondaryIndexDescription, TableDescription } from '@aws-sdk/client-dynamodb';
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
      ? await referencesPlan({ ...table, references: table.references }, sourceDescription, (name) => on({ side: 'source' }, describeTable(source, name)))
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

/** tableReadPlan, with seeds of the wrong type refused as a bad where is. */
function selectionPlan(table: RootsSelection, description: TableDescription, context?: string): { plan: RootsPlan; reading: TableReadInfo };
function selectionPlan(table: ReadSelection, description: TableDescription, context?: string): { plan: ReadPlan; reading: TableReadInfo };
function selectionPlan(table: ReadSelection, description: TableDescription, context = ''): { plan: ReadPlan; reading: TableReadInfo } {
  try {
    return tableReadPlan(table, description);
  } catch (error) {
    if (error instanceof SelectionError) throw refusal('BadWhere', `${context}${error.message}`);
    throw error;
  }
}

/**
 * A table that follows another's selection: the referenced table's plan
 * for its selection (down the chain, when it follows references in turn),
 * and this table's GSI on the attribute (the one named, or the first whose
 * partition key it is) with every attribute projected, since the copy
 * writes what the index returns; without one, a parallel Scan. A limit
 * needs the index: newest first is its sort key's order. Only the table
 * copied counts dangling references: the chain above it is read for its
 * keys alone.
 */
type Follower = Pick<PrepareTableInput['table'], 'source' | 'consistentRead' | 'segments'> & { references: TableReference };

async function referencesPlan(table: Follower, description: TableDescription, describe: (name: string) => Promise<TableDescription>, copied = true): Promise<ReferencesPlan> {
  const reference = table.references;
  const target = await describe(reference.table);
  const { selection } = reference;
  const parent: RootsPlan | ReferencesPlan =
    selection.references !== undefined
      ? await referencesPlan({ source: reference.table, consistentRead: selection.consistentRead, segments: table.segments, references: selection.references }, target, describe, false)
      : selectionPlan({ source: reference.table, ...withoutChain(selection), segments: table.segments }, target, `the selection of "${reference.table}": `).plan;
  const hashOf = (index: GlobalSecondaryIndexDescription) => index.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const indexes = description.GlobalSecondaryIndexes ?? [];
  const index = reference.index !== undefined ? indexes.find((i) => i.IndexName === reference.index) : indexes.find((i) => hashOf(i) === reference.attribute && i.Projection?.ProjectionType === 'ALL');
  if (reference.index !== undefined) {
    if (index === undefined) throw refusal('BadJob', `references.index: table "${table.source}" has no GSI "${reference.index}"`);
    if (hashOf(index) !== reference.attribute) throw refusal('BadJob', `references.index: the partition key of GSI "${reference.index}" is ${hashOf(index)}, not ${reference.attribute}`);
    if (index.Projection?.ProjectionType !== 'ALL') throw refusal('BadJob', `references.index: GSI "${reference.index}" does not project every attribute (ProjectionType ALL), and the copy writes what it returns`);
  }
  if (index === undefined && reference.limit !== undefined) {
    throw refusal('BadJob', `references.limit keeps the newest items by a GSI's sort key, and table "${table.source}" has no GSI on ${reference.attribute} that projects every attribute`);
  }
  const targetKeys = readInfo(target, reference.table).keys;
  const parentKey = targetKeys.hash;
  if (reference.template !== undefined && parentKey.type === 'B') {
    throw refusal('BadJob', `references.template renders the partition key ${parentKey.name} of "${reference.table}" as text, and it is binary (B)`);
  }
  const via = index !== undefined
    ? { kind: 'index' as const, index: index.IndexName!, ...(reference.limit !== undefined ? { limit: reference.limit } : {}) }
    : { kind: 'scan' as const, segments: table.segments === 'auto' ? defaultSegments(readInfo(description, table.source).sizeBytes) : table.segments };
  return {
    kind: 'references',
    table: table.source,
    consistentRead: table.consistentRead,
    attribute: reference.attribute,
    ...(reference.template !== undefined ? { template: reference.template } : {}),
    parent,
    parentKey: parentKey.name,
    via,
    // The Scan reads every item anyway: the ones that name no selected key are looked up, by key when the referenced table has only a partition key.
    ...(copied && via.kind === 'scan' ? { dangling: { keyType: parentKey.type, lookup: targetKeys.range === undefined ? ('get' as const) : ('query' as const) } } : {}),
  };
}

function withoutChain(selection: TableReference['selection']): Omit<TableReference['selection'], 'references'> {
  const { references: _references, ...rest } = selection;
  return rest;
}
