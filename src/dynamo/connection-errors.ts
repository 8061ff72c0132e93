/**
 * Turns the SDK's low-level failures to reach DynamoDB into messages that
 * name the job's connection and where it points: "connect ECONNREFUSED
 * 127.0.0.1:39851" does not say which of a job's connections is down.
 */
import type { ConnectionConfig } from '../../model/job.ts';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export type ConnectionFailure = { kind: 'unreachable' | 'credentials'; message: string };

export function connectionFailure(error: unknown, name: string, connection: ConnectionConfig): ConnectionFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const where = connection.endpoint ?? (connection.region ? `the ${connection.region} endpoint` : 'the default region endpoint');
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    const from = connection.profile ? `profile "${connection.profile}"` : connection.roleArn ? `role ${connection.roleArn}` : 'the AWS default chain (environment, AWS_PROFILE, SSO, instance role)';
    return { kind: 'credentials', message: `connection "${name}": no AWS credentials from ${from}: ${error.message}` };
  }
  const code = (error as { code?: string }).code ?? (error.cause as { code?: string } | undefined)?.code;
  if ((code && NETWORK_CODES.has(code)) || error.name === 'TimeoutError') {
    return { kind: 'unreachable', message: `connection "${name}": cannot reach DynamoDB at ${where} (${code ?? error.name})` };
  }
  return undefined;
}
