import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure } from '@temporalio/activity';
import { describeTableKeys } from '../dynamo/table-info.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import type { PrepareTableInput, PrepareTableResult } from '../../workflows/shared.ts';

/**
 * Reads both tables' key schemas before anything is written: a missing table
 * or a destination whose keys differ from the source fails the run here.
 */
export function makePrepareTable(clients: DynamoClients) {
  return async function prepareTable({ table, connections }: PrepareTableInput): Promise<PrepareTableResult> {
    const source = await describe(clients, connections, table.sourceConnection, table.source);
    const destination = await describe(clients, connections, table.destinationConnection, table.destination);
    const render = (k: typeof source) => k.keySchema.map((e) => `${e.AttributeName} (${e.KeyType})`).join(', ');
    if (render(source) !== render(destination)) {
      throw ApplicationFailure.nonRetryable(
        `destination table "${table.destination}" has key schema [${render(destination)}] but source "${table.source}" has [${render(source)}]`,
        'KeySchemaMismatch',
      );
    }
    return { keyAttributes: source.keyAttributes };
  };
}

async function describe(clients: DynamoClients, connections: PrepareTableInput['connections'], connection: string, table: string) {
  const config = connections[connection];
  if (!config) throw ApplicationFailure.nonRetryable(`connection "${connection}" is not defined in the job`, 'BadJob');
  try {
    return await describeTableKeys(clients.get(connection, config), table);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw ApplicationFailure.nonRetryable(`table "${table}" not found on connection "${connection}"`, 'TableNotFound');
    }
    throw error;
  }
}
