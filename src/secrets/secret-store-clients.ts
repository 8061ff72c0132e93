/**
 * One Secrets Manager or SSM client per (credentials, region), made on first
 * use and kept for the worker's life, the way src/dynamo/clients.ts keeps one
 * DynamoDB client per connection. Credentials are a connection's (profile,
 * roleArn) or the worker's default chain; endpoints are the SDK's (the
 * region's, or AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { connectionCredentials, type CredentialSettings } from '../aws/connection-credentials.ts';

export type StoreClientSettings = CredentialSettings;

const CLIENT_DEFAULTS = {
  maxAttempts: 3,
  // A store that does not answer should fail the activity in seconds, not hang it.
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
};

export class SecretStoreClients {
  readonly #clients = new Map<string, SecretsManagerClient | SSMClient>();

  secretsManager(settings: StoreClientSettings): SecretsManagerClient {
    return this.#get('secretsManager', settings, (config) => new SecretsManagerClient(config)) as SecretsManagerClient;
  }

  ssm(settings: StoreClientSettings): SSMClient {
    return this.#get('ssm', settings, (config) => new SSMClient(config)) as SSMClient;
  }

  #get(
    service: string,
    settings: StoreClientSettings,
    make: (config: typeof CLIENT_DEFAULTS & { region?: string; credentials?: ReturnType<typeof connectionCredentials> }) => SecretsManagerClient | SSMClient,
  ): SecretsManagerClient | SSMClient {
    const { region, profile, roleArn, externalId } = settings;
    const key = JSON.stringify([service, region, profile, roleArn, externalId]);
    let client = this.#clients.get(key);
    if (!client) {
      const credentials = connectionCredentials(settings);
      client = make({ ...CLIENT_DEFAULTS, ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) });
      this.#clients.set(key, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
