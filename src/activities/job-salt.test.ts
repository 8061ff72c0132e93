import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/activity';
import { SecretResolver } from '../secrets/secret-resolver.ts';
import { jobSalt } from './job-salt.ts';
import { CursorSeal } from './sealed-cursor.ts';

describe('jobSalt', () => {
  const seal = new CursorSeal('worker-key');
  const deps = { secrets: new SecretResolver({ env: { DYNAMASK_SALT: 'from-the-worker' } }), seal };

  it("reads a reference where it points: the worker's environment here", async () => {
    expect(await jobSalt(deps, { salt: { env: 'DYNAMASK_SALT' }, connections: {} }, 'wf')).toBe('from-the-worker');
  });

  it('takes a literal as its own value', async () => {
    expect(await jobSalt(deps, { salt: 'demo', connections: {} }, 'wf')).toBe('demo');
  });

  it("derives the run's salt without a job salt: from the run's workflow ID, else the caller's", async () => {
    expect(await jobSalt(deps, { runWorkflowId: 'dynamask/j/1', connections: {} }, 'dynamask/j/1/0-T')).toBe(seal.runSalt('dynamask/j/1'));
    expect(await jobSalt(deps, { connections: {} }, 'copy-1')).toBe(seal.runSalt('copy-1'));
  });

  it('fails as SecretUnavailable, naming the reference and not retrying what cannot fix itself', async () => {
    const error = await jobSalt(deps, { salt: { env: 'UNSET_SALT' }, connections: {} }, 'wf').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe('SecretUnavailable');
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    expect((error as Error).message).toBe("salt: cannot read the secret from environment variable UNSET_SALT: it is not set in the worker's environment");
    expect((error as ApplicationFailure).details).toEqual([{ reason: 'SecretUnavailable', message: (error as Error).message }]);
  });
});
