/**
 * Why a secret could not be read, as data first (the reference and a problem
 * code), rendered in one place. A message names where the secret lives and
 * what went wrong, never what it holds: these errors become activity
 * failures, which Temporal keeps in history.
 */
import { describeSecretRef, type SecretRef } from '../../model/secret-ref.ts';

export type SecretProblem =
  | { code: 'notSet' }
  | { code: 'notFound' }
  | { code: 'empty' }
  | { code: 'notJsonObject'; key: string }
  | { code: 'missingKey'; key: string }
  /** `kind` is a type name (a number, binary), never a value. */
  | { code: 'notString'; kind: string }
  | { code: 'notSecureString'; type: string }
  | { code: 'accessDenied'; errorName: string }
  | { code: 'decryption'; errorName: string }
  | { code: 'credentials'; detail: string }
  | { code: 'noRegion' }
  | { code: 'unreachable'; detail: string }
  | { code: 'unknownConnection'; connection: string }
  | { code: 'failed'; errorName: string };

export class SecretError extends Error {
  override name = 'SecretError';
  readonly ref: SecretRef;
  readonly problem: SecretProblem;

  constructor(ref: SecretRef, problem: SecretProblem, options?: { cause?: unknown }) {
    super(renderSecretError(ref, problem), options);
    this.ref = ref;
    this.problem = problem;
  }
}

export function renderSecretError(ref: SecretRef, problem: SecretProblem): string {
  return `cannot read the secret from ${describeSecretRef(ref)}: ${renderProblem(ref, problem)}`;
}

function renderProblem(ref: SecretRef, problem: SecretProblem): string {
  const store = 'env' in ref ? 'environment' : 'secretsManager' in ref ? 'Secrets Manager' : 'SSM';
  const permission =
    'secretsManager' in ref ? 'secretsmanager:GetSecretValue' : 'ssm' in ref ? 'ssm:GetParameter' : 'read access';
  switch (problem.code) {
    case 'notSet':
      return "it is not set in the worker's environment";
    case 'notFound':
      return 'secretsManager' in ref ? 'there is no such secret' : 'there is no such parameter';
    case 'empty':
      return 'it is empty';
    case 'notJsonObject':
      return `its SecretString is not a JSON object, so it has no key "${problem.key}"`;
    case 'missingKey':
      return `its JSON object has no key "${problem.key}"`;
    case 'notString':
      return `it holds ${problem.kind}, not a string`;
    case 'notSecureString':
      return `it is a ${problem.type} parameter; keep secrets in a SecureString parameter`;
    case 'accessDenied':
      return `${store} denied access (${problem.errorName}); the worker's credentials need ${permission}${'ssm' in ref ? ' and kms:Decrypt on its key' : ''}`;
    case 'decryption':
      return `${store} could not decrypt it (${problem.errorName}); check the KMS key and kms:Decrypt`;
    case 'credentials':
      return `no AWS credentials: ${problem.detail}`;
    case 'noRegion':
      return "no AWS region: give the reference a region, name a connection with one, or set AWS_REGION on the worker";
    case 'unreachable':
      return `cannot reach ${store} (${problem.detail})`;
    case 'unknownConnection':
      return `the job has no connection "${problem.connection}"`;
    case 'failed':
      return `${store} answered ${problem.errorName}`;
  }
}
