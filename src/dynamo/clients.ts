/**
 * One DynamoDBClient per named connection, built from the job's connection
 * settings; credentials as src/aws/connection-credentials.ts makes them
 * for every AWS client (profile, assumed role, or the default chain).
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ConnectionConfig } from '../../model/job.ts';
import { connectionCredentials } from '../aws/connection-credentials.ts';
import { guardDestination, type DestinationGuardOptions, type GuardedTable } from './destination-guard.ts';
import { guardReadOnly, type ReadOnlyGuardOptions } from './read-only-guard.ts';

/** DynamoDB Local accepts any alphanumeric key; these keep the default chain from failing on a laptop without credentials. */
const LOCAL_CREDENTIALS = { accessKeyId: 'dynamasklocal', secretAccessKey: 'dynamasklocal' };

export function createDynamoClient(connection: ConnectionConfig): DynamoDBClient {
  return withoutRequestLogging(new DynamoDBClient(clientConfig(connection)));
}

/** The connection's DynamoDB Streams client: the same endpoint, credentials and retries (GetRecords throttling included). */
export function createStreamsClient(connection: ConnectionConfig): DynamoDBStreamsClient {
  return withoutRequestLogging(new DynamoDBStreamsClient(clientConfig(connection)));
}

/**
 * Removes the SDK's logger middleware. With no logger configured it still
 * hands every request and response to the default no-op logger's `info`,
 * and builds that argument first: a redacted deep copy of every item of
 * every Scan page and BatchWriteItem request. In a copy that was 13% of a
 * worker's CPU (bench/copy.ts, CPU profile), for lines nobody receives.
 * dynamask gives its clients no logger, and says what failed itself
 * (src/activities/failures.ts), so nothing is lost.
 */
function withoutRequestLogging<T extends DynamoDBClient | DynamoDBStreamsClient>(client: T): T {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

function clientConfig(connection: ConnectionConfig): DynamoDBClientConfig {
  // Adaptive mode adds client-side rate limiting that backs off on throttling and recovers: a refresh yields to production traffic.
  const config: DynamoDBClientConfig = { maxAttempts: 8, retryMode: 'adaptive' };
  if (connection.region) config.region = connection.region;
  if (connection.endpoint) config.endpoint = connection.endpoint;

  const credentials = connectionCredentials(connection);
  if (credentials) {
    config.credentials = credentials;
  } else if (connection.endpoint && isLoopback(connection.endpoint)) {
    config.credentials = LOCAL_CREDENTIALS;
    config.region ??= 'us-east-1';
  }
  return config;
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/**
 * Clients keyed by connection name and role, made on first use and kept for
 * the worker's life. A connection read from gets a read-only client of its
 * own (see read-only-guard.ts), apart from the client that writes, even
 * when both name the same connection; the client that writes refuses the
 * job's source tables on its database (see destination-guard.ts), so it is
 * made for the tables it must not touch as well as for its connection.
 */
export class DynamoClients {
  readonly #clients = new Map<string, { config: string; client: DynamoDBClient | DynamoDBStreamsClient }>();
  readonly #guard: ReadOnlyGuardOptions;
  readonly #destinationGuard: DestinationGuardOptions;

  constructor(options: { sourceGuard?: ReadOnlyGuardOptions; destinationGuard?: DestinationGuardOptions } = {}) {
    this.#guard = options.sourceGuard ?? {};
    this.#destinationGuard = options.destinationGuard ?? {};
  }

  /** The client that reads a source: it refuses anything but reads. */
  source(name: string, connection: ConnectionConfig): DynamoDBClient {
    return this.#get(`source:${name}`, connection, () => guardReadOnly(createDynamoClient(connection), this.#guard));
  }

  /** The client that reads a source's stream: read-only like source(). */
  streams(name: string, connection: ConnectionConfig): DynamoDBStreamsClient {
    return this.#get(`streams:${name}`, connection, () => guardReadOnly(createStreamsClient(connection), this.#guard));
  }

  /** The client that writes a destination: it refuses every request naming one of `sources` on its own database. */
  destination(name: string, connection: ConnectionConfig, sources: readonly GuardedTable[]): DynamoDBClient {
    // One client per set of guarded tables: jobs that share a connection name must not share a guard.
    const guarded = JSON.stringify(sources.map((s) => [s.table, s.connection.endpoint ?? null, s.connection.region ?? null]).sort());
    return this.#get(`destination:${name}:${guarded}`, connection, () => guardDestination(createDynamoClient(connection), connection, sources, this.#destinationGuard));
  }

  #get<C extends DynamoDBClient | DynamoDBStreamsClient>(key: string, connection: ConnectionConfig, make: () => C): C {
    const config = JSON.stringify(connection);
    const known = this.#clients.get(key);
    if (known && known.config === config) return known.client as C;
    known?.client.destroy();
    const client = make();
    this.#clients.set(key, { config, client });
    return client;
  }

  destroy(): void {
    for (const { client } of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
