/**
 * Everything a table's copy needs to know before the first write, checked
 * once: the WHERE is a single condition, both tables exist (or the
 * destination is created), their key schemas agree, `mode: replace` can
 * work, and the cheapest correct way to read the subset (read-plan).
 * Every refusal here is non-retryable and happens before anything is written.
 */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { connectionFailure } from '../dynamo/connection-errors.ts';
import { createTableLike } from '../dynamo/create-table.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { defaultSegments, describeTable, describeTableKeys, readInfo, tableKeys } from '../dynamo/table-info.ts';
import { whereProblem } from '../../model/condition/index.ts';
import { describeReadPlan, planRead } from '../dynamo/where/index.ts';
import { replaceModeProblem } from './prune-destination.ts';
import type { ConnectionConfig } from '../../model/job.ts';
import { connectionOf } from './failures.ts';
import type { PrepareTableInput, PrepareTableResult } from './contracts.ts';

export function makePrepareTable(clients: DynamoClients) {
  return async function prepareTable({ table, connections }: PrepareTableInput): Promise<PrepareTableResult> {
    const problem = table.where !== undefined ? whereProblem(table.where) : undefined;
    if (problem) throw ApplicationFailure.nonRetryable(`table "${table.source}": where: ${problem}`, 'BadWhere');

    const source = clients.source(table.sourceConnection, connectionOf(connections, table.sourceConnection));
    const destination = clients.destination(table.destinationConnection, connectionOf(connections, table.destinationConnection));
    const abortSignal = Context.current().cancellationSignal;

    const sourceConfig = connectionOf(connections, table.sourceConnection);
    const destinationConfig = connectionOf(connections, table.destinationConnection);
    // One DescribeTable of the source gives its keys, its size and its indexes.
    const sourceDescription = await orNotFound(describeTable(source, table.source), table.source, table.sourceConnection, sourceConfig);
    const sourceKeys = tableKeys(sourceDescription);
    let createdDestination = false;
    if (table.createTable) {
      createdDestination =
        (await orNotFound(createTableLike(source, table.source, destination, table.destination, { abortSignal }), table.destination, table.destinationConnection, destinationConfig)) ===
        'created';
    }
    const destinationKeys = await orNotFound(
      describeTableKeys(destination, table.destination),
      table.destination,
      table.destinationConnection,
      destinationConfig,
      table.createTable ? '' : ' (createTable: true would create it)',
    );
    const render = (k: typeof sourceKeys) => k.keySchema.map((e) => `${e.AttributeName} (${e.KeyType})`).join(', ');
    if (render(sourceKeys) !== render(destinationKeys)) {
      throw ApplicationFailure.nonRetryable(
        `destination table "${table.destination}" has key schema [${render(destinationKeys)}] but source "${table.source}" has [${render(sourceKeys)}]`,
        'KeySchemaMismatch',
      );
    }
    const replaceProblem = table.mode === 'replace' ? replaceModeProblem(table, sourceKeys.keyAttributes) : undefined;
    if (replaceProblem) throw ApplicationFailure.nonRetryable(`table "${table.source}": ${replaceProblem}`, 'BadMode');

    const reading = readInfo(sourceDescription, table.source, table.index);
    const segments = table.segments === 'auto' ? defaultSegments(reading.sizeBytes) : table.segments;
    const readPlan = planRead({
      table: table.source,
      ...(table.index !== undefined ? { index: table.index } : {}),
      ...(table.where !== undefined ? { where: table.where } : {}),
      consistentRead: table.consistentRead,
      keys: reading.keys,
      segments,
    });
    return {
      keyAttributes: sourceKeys.keyAttributes,
      readPlan,
      readPlanText: describeReadPlan(readPlan),
      segments: readPlan.kind === 'scan' ? readPlan.segments : 1,
      createdDestination,
    };
  };
}

/** Missing tables and credentials cannot fix themselves: fail at once. An unreachable endpoint may come back: retry, but say which. */
async function orNotFound<T>(promise: Promise<T>, table: string, connection: string, config: ConnectionConfig, hint = ''): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw ApplicationFailure.nonRetryable(`table "${table}" not found on connection "${connection}"${hint}`, 'TableNotFound');
    }
    const failure = connectionFailure(error, connection, config);
    if (failure?.kind === 'credentials') throw ApplicationFailure.nonRetryable(failure.message, 'NoCredentials');
    if (failure) throw ApplicationFailure.retryable(failure.message, 'Unreachable');
    throw error;
  }
}
