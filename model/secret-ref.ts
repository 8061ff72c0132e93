/**
 * Where a worker reads a secret (the job's salt), named by reference so that
 * only the reference travels: workflow inputs, child inputs, schedule
 * actions, memos and failures carry `{ ssm: "/dynamask/salt" }`, never the
 * value. The worker resolves it (src/secrets/secret-resolver.ts).
 *
 * In a job file:
 *
 *   salt: { env: DYNAMASK_SALT }                        # the worker's environment
 *   salt: { secretsManager: prod/dynamask }             # the whole SecretString
 *   salt: { secretsManager: prod/dynamask, key: salt }  # one key of a JSON SecretString
 *   salt: { secretsManager: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/dynamask-AbCdEf", connection: prod }
 *   salt: { ssm: /dynamask/salt, region: eu-west-1 }    # a SecureString parameter
 *   salt: demo-salt-not-a-secret                        # a literal: demos only, it is visible in Temporal
 *
 * `connection` names an entry of the job's `connections` whose credentials
 * (profile, roleArn, externalId) and region the worker uses; its DynamoDB
 * `endpoint` is not used. Service endpoints for local stacks come from the
 * AWS SDK's standard settings (AWS_ENDPOINT_URL_SECRETS_MANAGER,
 * AWS_ENDPOINT_URL_SSM, or `endpoint_url` in the shared config file).
 *
 * Plain JSON, no Node built-ins: workflows import this file.
 */
import { z } from 'zod';

export interface EnvSecretRef {
  /** A variable of the worker's environment (not the environment of whoever starts the run). */
  env: string;
}

export interface SecretsManagerSecretRef {
  /** A secret's name or ARN. */
  secretsManager: string;
  /** A top-level key of the SecretString parsed as a JSON object; absent: the whole SecretString. */
  key?: string;
  /** Default: the region of an ARN, else the connection's, else the AWS default chain. */
  region?: string;
  /** A job connection whose credentials and region to use; default: the worker's AWS default chain. */
  connection?: string;
}

export interface SsmParameterRef {
  /** A SecureString parameter's name (such as /dynamask/salt) or ARN. */
  ssm: string;
  region?: string;
  connection?: string;
}

export type SecretRef = EnvSecretRef | SecretsManagerSecretRef | SsmParameterRef;

/** What a job may give where a secret goes: a reference, or (demos only) the value itself. */
export type SecretSource = string | SecretRef;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** Secrets Manager's rule for names (ARNs are longer and contain ":"). */
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
/** SSM's rule for parameter names, with an optional ARN prefix. */
const PARAMETER_NAME = /^(arn:[a-z0-9-]+:ssm:[a-z0-9-]+:[0-9]{12}:parameter)?\/?[A-Za-z0-9_.\-/]{1,2048}$/;

const region = z.string().regex(REGION, { error: 'expected an AWS region, such as eu-west-1' }).optional().describe('AWS region of the secret store.');
const connection = z.string().min(1).optional().describe('A job connection whose credentials (profile, roleArn) and region the worker uses.');

const STORES = ['env', 'secretsManager', 'ssm'] as const;

/**
 * One object with every field rather than a union of three, so that a
 * mistake gets a message about that mistake ("key is only used with
 * secretsManager") instead of "matches none of three forms"; the editor
 * schema still says that exactly one store is named (`oneOf`).
 */
export const secretRefSchema = z
  .strictObject({
    env: z.string().regex(ENV_NAME, { error: 'expected an environment variable name, such as DYNAMASK_SALT' }).optional().describe("A variable of the worker's environment."),
    secretsManager: z.string().regex(SECRET_ID, { error: 'expected a Secrets Manager secret name or ARN' }).optional().describe('AWS Secrets Manager secret name or ARN.'),
    key: z.string().min(1).optional().describe('A top-level key of the secret, when its SecretString is a JSON object (secretsManager only).'),
    ssm: z.string().regex(PARAMETER_NAME, { error: 'expected an SSM parameter name, such as /dynamask/salt' }).optional().describe('SSM Parameter Store SecureString name or ARN.'),
    region,
    connection,
  })
  .superRefine((ref, ctx) => {
    const stores = STORES.filter((store) => ref[store] !== undefined);
    if (stores.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          stores.length === 0
            ? 'expected where the worker reads the secret: { env: NAME }, { secretsManager: name }, or { ssm: /parameter/name }'
            : `names ${stores.join(' and ')}: a secret lives in one place`,
      });
      return;
    }
    if (ref.key !== undefined && ref.secretsManager === undefined) ctx.addIssue({ code: 'custom', path: ['key'], message: 'key is only used with secretsManager' });
    for (const field of ['region', 'connection'] as const) {
      if (ref[field] !== undefined && ref.env !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is only used with secretsManager or ssm` });
    }
  })
  .meta({ oneOf: STORES.map((store) => ({ required: [store] })) });

/** A secret as a job gives it: a reference (resolved by the worker) or a literal (demos only). */
export const secretSourceSchema = z.union([z.string().min(1), secretRefSchema]);

export function isSecretRef(source: SecretSource): source is SecretRef {
  return typeof source === 'object' && source !== null;
}

/** How messages name a reference: where the secret lives, never what it holds. */
export function describeSecretRef(ref: SecretRef): string {
  if ('env' in ref) return `environment variable ${ref.env}`;
  if ('secretsManager' in ref) {
    return `Secrets Manager secret "${ref.secretsManager}"${ref.key !== undefined ? ` (JSON key "${ref.key}")` : ''}${where(ref)}`;
  }
  return `SSM parameter "${ref.ssm}"${where(ref)}`;
}

function where(ref: { region?: string; connection?: string }): string {
  const parts = [ref.region && `region ${ref.region}`, ref.connection && `connection "${ref.connection}"`].filter(Boolean);
  return parts.length > 0 ? ` in ${parts.join(', ')}` : '';
}

/** The region named by an ARN (arn:aws:secretsmanager:eu-west-1:…), if the id is one. */
export function regionOfArn(id: string): string | undefined {
  const parts = id.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] ? parts[3] : undefined;
}
