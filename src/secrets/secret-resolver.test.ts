/**
 * The parts of the resolver that need no store: literals, the worker's
 * environment, connection lookup and the TTL setting. The stores themselves
 * are tested against moto in test/e2e/secret-stores.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SecretError, SecretResolver, secretResolverOptionsFromEnv } from './index.ts';

describe('the secret resolver without a store', () => {
  it('gives a literal back as it is', async () => {
    expect(await new SecretResolver().resolve('demo-salt')).toBe('demo-salt');
  });

  it("reads the worker's environment, and says when the variable is unset or empty", async () => {
    const resolver = new SecretResolver({ env: { DYNAMASK_SALT: 'cnry0123456789abcdef', EMPTY: '' } });
    expect(await resolver.resolve({ env: 'DYNAMASK_SALT' })).toBe('cnry0123456789abcdef');
    await expect(resolver.resolve({ env: 'MISSING_SALT' })).rejects.toThrow(
      new SecretError({ env: 'MISSING_SALT' }, { code: 'notSet' }),
    );
    await expect(resolver.resolve({ env: 'MISSING_SALT' })).rejects.toThrow(
      "cannot read the secret from environment variable MISSING_SALT: it is not set in the worker's environment",
    );
    await expect(resolver.resolve({ env: 'EMPTY' })).rejects.toThrow('cannot read the secret from environment variable EMPTY: it is empty');
  });

  it('refuses a connection the job does not have, before calling any store', async () => {
    const resolver = new SecretResolver();
    await expect(resolver.resolve({ secretsManager: 's', connection: 'prod' }, { connections: { staging: {} } })).rejects.toThrow(
      'cannot read the secret from Secrets Manager secret "s" in connection "prod": the job has no connection "prod"',
    );
  });

  it('reads the cache time from DYNAMASK_SECRET_TTL_SECONDS', () => {
    expect(secretResolverOptionsFromEnv({}).ttlMs).toBeUndefined();
    expect(secretResolverOptionsFromEnv({ DYNAMASK_SECRET_TTL_SECONDS: '30' }).ttlMs).toBe(30_000);
    expect(secretResolverOptionsFromEnv({ DYNAMASK_SECRET_TTL_SECONDS: '0' }).ttlMs).toBe(0);
    expect(() => secretResolverOptionsFromEnv({ DYNAMASK_SECRET_TTL_SECONDS: 'soon' })).toThrow(
      'DYNAMASK_SECRET_TTL_SECONDS=soon: expected a number of seconds, 0 or more',
    );
  });
});
