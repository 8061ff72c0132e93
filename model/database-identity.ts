/**
 * Which DynamoDB database a connection reaches, for the rule that nothing
 * writes to a table the job reads: the loader compares connections with it
 * (src/job/connection-checks.ts), and destination clients refuse the job's
 * source tables on the same database (src/dynamo/destination-guard.ts).
 *
 * A database is an endpoint: the connection's `endpoint`, or with none the
 * AWS endpoint of its region. Credentials play no part (a profile or a role
 * changes who asks, not which tables answer), and neither does the region
 * of a connection with an endpoint: DynamoDB Local with -sharedDb, as the
 * local stack runs it, answers every region from one set of tables.
 * Endpoints are compared as written, except that scheme and host ignore
 * case, a default port and trailing slashes are dropped, and localhost,
 * 127.x.x.x and [::1] count as one host.
 *
 * Plain strings, no URL parsing: workflows import this file.
 */
import type { ConnectionConfig } from './job.ts';

export type DatabaseSettings = Pick<ConnectionConfig, 'endpoint' | 'region'>;

/**
 * The database's identity, readable in a message ("endpoint
 * http://localhost:8000", "the AWS endpoint of us-east-1"); equal
 * identities are the same tables.
 * `defaultRegion` is what a connection without a region resolves to (the
 * worker knows it; the loader does not, and leaves it unknown).
 */
export function databaseOf(connection: DatabaseSettings, defaultRegion?: string): string {
  if (connection.endpoint) return `endpoint ${normalizeEndpoint(connection.endpoint)}`;
  return `the AWS endpoint of ${connection.region ?? defaultRegion ?? 'the default region'}`;
}

export function sameDatabase(a: DatabaseSettings, b: DatabaseSettings, defaultRegion?: string): boolean {
  return databaseOf(a, defaultRegion) === databaseOf(b, defaultRegion);
}

function normalizeEndpoint(endpoint: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?([^?#]*)/i.exec(endpoint.trim());
  if (!match) return endpoint.trim();
  const scheme = match[1]!.toLowerCase();
  let host = match[2]!.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)) host = 'localhost';
  const port = match[3] !== undefined && match[3] !== (scheme === 'https' ? '443' : scheme === 'http' ? '80' : '') ? `:${Number(match[3])}` : '';
  const path = match[4]!.replace(/\/+$/, '');
  return `${scheme}://${host}${port}${path}`;
}

/** A table a job reads, by connection name. */
export interface SourceTableRef {
  connection: string;
  table: string;
}

interface JobTables {
  connections: Record<string, ConnectionConfig>;
  tables: readonly { source: string; sourceConnection: string }[];
}

/**
 * The job's source tables that a destination connection may reach: on the
 * same database as far as the job says, or on a connection whose region
 * only the worker knows (no endpoint, no region). The worker's destination
 * guard decides exactly; this keeps what travels with each table small.
 */
export function sourcesNear(job: JobTables, destinationConnection: string): SourceTableRef[] {
  const destination = job.connections[destinationConnection];
  if (destination === undefined) return [];
  // Two AWS endpoints of which one has no region may turn out to be one region on the worker.
  const mayBeSame = (c: ConnectionConfig) => sameDatabase(c, destination) || (!c.endpoint && !destination.endpoint && (!c.region || !destination.region));
  const near = new Map<string, SourceTableRef>();
  for (const { source, sourceConnection } of job.tables) {
    const connection = job.connections[sourceConnection];
    if (connection === undefined) continue;
    if (mayBeSame(connection)) {
      near.set(JSON.stringify([sourceConnection, source]), { connection: sourceConnection, table: source });
    }
  }
  return [...near.values()];
}
