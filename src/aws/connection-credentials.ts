/**
 * The credentials a job connection names, for any AWS client dynamask makes
 * (DynamoDB, Secrets Manager, SSM): a profile of the shared config files, a
 * role assumed through STS (from the profile, or else the default chain), or
 * nothing, which leaves the client on the AWS default chain.
 *
 * STS is reached where the SDK's standard settings say: the region's STS
 * endpoint, or AWS_ENDPOINT_URL_STS / `endpoint_url` in the shared config
 * for a local stack (moto in the tests).
 */
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { ConnectionConfig } from '../../model/job.ts';

/** What every credential provider of @aws-sdk/credential-providers returns. */
export type CredentialProvider = ReturnType<typeof fromIni>;

export type CredentialSettings = Pick<ConnectionConfig, 'region' | 'profile' | 'roleArn' | 'externalId'>;

/** Names the sessions of assumed roles in CloudTrail. */
export const ROLE_SESSION_NAME = 'dynamask';

/** A provider for a profile or a role, or undefined for the client's default chain. */
export function connectionCredentials(connection: CredentialSettings): CredentialProvider | undefined {
  const base = connection.profile ? fromIni({ profile: connection.profile }) : undefined;
  if (!connection.roleArn) return base;
  return fromTemporaryCredentials({
    params: {
      RoleArn: connection.roleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      ...(connection.externalId ? { ExternalId: connection.externalId } : {}),
    },
    ...(base ? { masterCredentials: base } : {}),
    ...(connection.region ? { clientConfig: { region: connection.region } } : {}),
  });
}
