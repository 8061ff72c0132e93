/**
 * The salt a plan is built with, worked out on the worker from what the
 * workflow carries, which is never the value: a reference is resolved
 * through the worker's SecretResolver (its environment, Secrets Manager or
 * SSM, briefly cached), and a run whose job names no salt gets one derived
 * from the worker-held cursor key and the run's workflow ID. A literal
 * (demos) is its own value.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { FailureCause } from '../../model/failure.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import { SecretError } from '../secrets/secret-error.ts';
import type { CopyPagesInput } from './contracts.ts';
import type { CursorSeal } from './sealed-cursor.ts';

export interface JobSaltDeps {
  secrets: SecretResolver;
  seal: CursorSeal;
}

/** A store that cannot be reached, or answered with an error of its own, may answer next time; the rest cannot fix itself. */
const RETRYABLE = new Set(['unreachable', 'failed']);

export async function jobSalt(deps: JobSaltDeps, input: Pick<CopyPagesInput, 'salt' | 'runWorkflowId' | 'connections'>, callerWorkflowId: string): Promise<string> {
  if (input.salt === undefined) return deps.seal.runSalt(input.runWorkflowId ?? callerWorkflowId);
  try {
    return await deps.secrets.resolve(input.salt, { connections: input.connections });
  } catch (error) {
    throw saltFailure(error);
  }
}

/** A SecretError names the reference and the problem, never the value, so its message can go to Temporal as it is. */
function saltFailure(error: unknown): unknown {
  if (!(error instanceof SecretError)) return error;
  const connection = 'env' in error.ref ? undefined : error.ref.connection;
  const cause: FailureCause = { reason: 'SecretUnavailable', message: `salt: ${error.message}`, ...(connection !== undefined && { connection }) };
  return ApplicationFailure.create({ type: cause.reason, message: cause.message, nonRetryable: !RETRYABLE.has(error.problem.code), details: [cause], cause: error });
}
