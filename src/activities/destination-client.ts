/**
 * The destination client of a table's activity, made for the job's source
 * tables it must refuse (src/dynamo/destination-guard.ts): those the
 * workflow passed (the job's sources that may share the destination's
 * database) and, always, the table's own source.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoClients } from '../dynamo/clients.ts';
import type { GuardedTable } from '../dynamo/destination-guard.ts';
import type { ConnectionConfig, TableJob } from '../../model/job.ts';
import type { GuardedSources } from './contracts.ts';
import { connectionOf } from './failures.ts';

export function destinationClient(
  clients: DynamoClients,
  input: GuardedSources & { table: TableJob; connections: Record<string, ConnectionConfig> },
): DynamoDBClient {
  const { table, connections } = input;
  const refs = [...(input.sources ?? []), { connection: table.sourceConnection, table: table.source }];
  // A source on a connection the job does not define fails elsewhere (connectionOf), naming it.
  const guarded: GuardedTable[] = refs.flatMap((ref) => (connections[ref.connection] ? [{ table: ref.table, connection: connections[ref.connection]! }] : []));
  return clients.destination(table.destinationConnection, connectionOf(connections, table.destinationConnection), guarded);
}
