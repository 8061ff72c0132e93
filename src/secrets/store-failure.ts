/**
 * An AWS SDK failure to read a secret, as a SecretError with a problem code.
 * The SDK error is kept as the cause only when its message is known to come
 * from the service or the network: Temporal serializes cause chains into
 * failures, and a response the SDK could not parse is quoted in its
 * message (the start of the body, which on a successful read holds the
 * secret).
 */
import type { SecretRef } from '../../model/secret-ref.ts';
import { SecretError, type SecretProblem } from './secret-error.ts';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'ParameterNotFound', 'ParameterVersionNotFound']);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
const DECRYPTION = new Set(['DecryptionFailure', 'InvalidKeyId']);

interface SdkErrorShape {
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  code?: string;
  address?: string;
  port?: number;
  cause?: { code?: string; address?: string; port?: number };
}

export function storeError(ref: SecretRef, error: unknown): SecretError {
  const problem = storeProblem(error);
  const keepCause = problem.code === 'unreachable' || problem.code === 'credentials' || (error as SdkErrorShape | undefined)?.$fault !== undefined;
  return new SecretError(ref, problem, keepCause ? { cause: error } : undefined);
}

export function storeProblem(error: unknown): SecretProblem {
  if (!(error instanceof Error)) return { code: 'failed', errorName: typeof error };
  const sdk = error as Error & SdkErrorShape;
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    return { code: 'credentials', detail: error.message };
  }
  if (/Region is missing/i.test(error.message)) return { code: 'noRegion' };
  if (NOT_FOUND.has(error.name)) return { code: 'notFound' };
  if (ACCESS_DENIED.has(error.name)) return { code: 'accessDenied', errorName: error.name };
  if (DECRYPTION.has(error.name)) return { code: 'decryption', errorName: error.name };
  const status = sdk.$metadata?.httpStatusCode;
  // A 403 whose body the SDK could not read (a proxy's page, moto's XML answer to a JSON API) is still a refusal.
  if (status === 403) return { code: 'accessDenied', errorName: 'HTTP 403' };
  const code = sdk.code ?? sdk.cause?.code;
  if ((code && NETWORK_CODES.has(code)) || error.name === 'TimeoutError') {
    const address = sdk.address ?? sdk.cause?.address;
    const port = sdk.port ?? sdk.cause?.port;
    return { code: 'unreachable', detail: `${code ?? error.name}${address ? ` ${address}${port ? `:${port}` : ''}` : ''}` };
  }
  return { code: 'failed', errorName: status ? `${error.name} (HTTP ${status})` : error.name };
}
