/**
 * One DynamoDBClient per named connection, built from the job's connection
 * settings and the AWS default credential chain.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { ConnectionConfig } from '../job/job.ts';

/** DynamoDB Local accepts any alphanumeric key; these keep the default chain from failing on a laptop without credentials. */
const LOCAL_CREDENTIALS = { accessKeyId: 'dynamasklocal', secretAccessKey: 'dynamasklocal' };

export function createDynamoClient(connection: ConnectionConfig): DynamoDBClient {
  const config: DynamoDBClientConfig = { maxAttempts: 8 };
  if (connection.region) config.region = connection.region;
  if (connection.endpoint) config.endpoint = connection.endpoint;

  const base = connection.profile ? fromIni({ profile: connection.profile }) : undefined;
  if (connection.roleArn) {
    config.credentials = fromTemporaryCredentials({
      params: {
        RoleArn: connection.roleArn,
        RoleSessionName: 'dynamask',
        ...(connection.externalId ? { ExternalId: connection.externalId } : {}),
      },
      ...(base ? { masterCredentials: base } : {}),
      ...(connection.region ? { clientConfig: { region: connection.region } } : {}),
    });
  } else if (base) {
    config.credentials = base;
  } else if (connection.endpoint && isLoopback(connection.endpoint)) {
    config.credentials = LOCAL_CREDENTIALS;
    config.region ??= 'us-east-1';
  }
  return new DynamoDBClient(config);
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** Clients keyed by connection name, made on first use and kept for the worker's life. */
export class DynamoClients {
  readonly #clients = new Map<string, { config: string; client: DynamoDBClient }>();

  get(name: string, connection: ConnectionConfig): DynamoDBClient {
    const config = JSON.stringify(connection);
    const known = this.#clients.get(name);
    if (known && known.config === config) return known.client;
    known?.client.destroy();
    const client = createDynamoClient(connection);
    this.#clients.set(name, { config, client });
    return client;
  }

  destroy(): void {
    for (const { client } of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
