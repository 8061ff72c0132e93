/**
 * How the activities turn errors into Temporal failures: what retrying
 * cannot fix fails for good, with a message that names the table, the
 * connection and what was being done, never an item value.
 */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure } from '@temporalio/activity';
import { connectionFailure } from '../dynamo/connection-errors.ts';
import type { ConnectionConfig } from '../../model/job.ts';

export function connectionOf(connections: Record<string, ConnectionConfig>, name: string): ConnectionConfig {
  const config = connections[name];
  if (!config) throw ApplicationFailure.nonRetryable(`connection "${name}" is not defined in the job`, 'BadJob');
  return config;
}

/** `doing` says what failed, such as `reading "Movies"`; DynamoDB's messages for these errors name no item values. */
export function activityFailure(error: unknown, doing: string, connectionName: string, connection: ConnectionConfig): unknown {
  const failure = connectionFailure(error, connectionName, connection);
  if (failure?.kind === 'credentials') return ApplicationFailure.nonRetryable(`${doing}: ${failure.message}`, 'NoCredentials');
  if (failure) return ApplicationFailure.retryable(`${doing}: ${failure.message}`, 'Unreachable');
  if (error instanceof ResourceNotFoundException) return ApplicationFailure.nonRetryable(`${doing}: table not found`, 'TableNotFound');
  // Bad WHERE syntax and similar, or a write the source guard refused: retrying cannot help.
  if (error instanceof Error && (error.name === 'ValidationException' || error.name === 'SourceWriteRefused')) {
    return ApplicationFailure.nonRetryable(`${doing}: ${error.message}`, error.name);
  }
  return error;
}
