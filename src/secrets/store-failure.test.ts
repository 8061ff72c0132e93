import { describe, expect, it } from 'vitest';
import { DecryptionFailure, ResourceNotFoundException, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { InvalidKeyId, ParameterNotFound } from '@aws-sdk/client-ssm';
import { storeError, storeProblem } from './store-failure.ts';

const meta = { $metadata: {}, message: 'from the service' };

describe('store failures', () => {
  it('classifies the modeled AWS errors', () => {
    expect(storeProblem(new ResourceNotFoundException(meta))).toEqual({ code: 'notFound' });
    expect(storeProblem(new ParameterNotFound(meta))).toEqual({ code: 'notFound' });
    // Unmodeled errors such as AccessDeniedException arrive as the service's base exception with the error's name.
    const denied = new SecretsManagerServiceException({ name: 'AccessDeniedException', $fault: 'client', ...meta });
    expect(storeProblem(denied)).toEqual({ code: 'accessDenied', errorName: 'AccessDeniedException' });
    expect(storeProblem(new DecryptionFailure(meta))).toEqual({ code: 'decryption', errorName: 'DecryptionFailure' });
    expect(storeProblem(new InvalidKeyId(meta))).toEqual({ code: 'decryption', errorName: 'InvalidKeyId' });
  });

  it('classifies credentials, region and network failures', () => {
    expect(storeProblem(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }))).toEqual({
      code: 'credentials',
      detail: 'Could not load credentials from any providers',
    });
    expect(storeProblem(new Error('Region is missing'))).toEqual({ code: 'noRegion' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED', address: '10.0.0.1', port: 443 });
    expect(storeProblem(refused)).toEqual({ code: 'unreachable', detail: 'ECONNREFUSED 10.0.0.1:443' });
    expect(storeProblem(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toEqual({ code: 'unreachable', detail: 'TimeoutError' });
  });

  it('takes an unreadable 403 for a refusal, and drops the parser error that quotes the body', () => {
    const unparsable = Object.assign(new SyntaxError(`Unexpected token '<', "<html>cnry"... is not valid JSON`), { $metadata: { httpStatusCode: 403 } });
    const error = storeError({ secretsManager: 's' }, unparsable);
    expect(error.problem).toEqual({ code: 'accessDenied', errorName: 'HTTP 403' });
    expect(error.cause).toBeUndefined();
    expect(storeError({ secretsManager: 's' }, Object.assign(new SyntaxError('"{\\"SecretStr"...'), { $metadata: { httpStatusCode: 200 } })).cause).toBeUndefined();
  });

  it('keeps a service error as the cause, since its message is the service', () => {
    const cause = new ResourceNotFoundException(meta);
    expect(storeError({ ssm: '/x' }, cause).cause).toBe(cause);
  });

  it('names anything else by its error name and status', () => {
    expect(storeProblem(Object.assign(new Error('boom'), { name: 'InternalServiceError', $fault: 'server', $metadata: { httpStatusCode: 500 } }))).toEqual({
      code: 'failed',
      errorName: 'InternalServiceError (HTTP 500)',
    });
    expect(storeProblem('a string')).toEqual({ code: 'failed', errorName: 'string' });
  });
});
