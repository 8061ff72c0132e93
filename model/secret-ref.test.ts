import { describe, expect, it } from 'vitest';
import { describeSecretRef, isSecretRef, regionOfArn, secretRefSchema, secretSourceSchema } from './secret-ref.ts';

describe('secret references', () => {
  it('accepts the three stores and a literal', () => {
    for (const source of [
      { env: 'DYNAMASK_SALT' },
      { secretsManager: 'prod/dynamask' },
      { secretsManager: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/dynamask-AbCdEf', key: 'salt', connection: 'prod' },
      { ssm: '/dynamask/salt', region: 'eu-west-1' },
      { ssm: 'arn:aws:ssm:eu-west-1:123456789012:parameter/dynamask/salt' },
      'demo-salt-not-a-secret',
    ]) {
      expect(secretSourceSchema.safeParse(source).success, JSON.stringify(source)).toBe(true);
    }
  });

  it('refuses what names no store, or names one badly', () => {
    const messages = (value: unknown) => {
      const result = secretRefSchema.safeParse(value);
      return result.success ? [] : JSON.stringify(result.error.issues);
    };
    expect(messages({ env: 'DYNAMASK-SALT' })).toContain('expected an environment variable name, such as DYNAMASK_SALT');
    expect(messages({ ssm: '/dynamask/salt', region: 'Europe' })).toContain('expected an AWS region, such as eu-west-1');
    expect(messages({ secretsManager: 'prod/dynamask', keys: 'salt' })).not.toEqual([]);
    expect(messages({ env: 'A', ssm: '/b' })).not.toEqual([]);
    expect(messages({ vault: 'x' })).not.toEqual([]);
    expect(secretSourceSchema.safeParse('').success).toBe(false);
  });

  it('describes where a secret lives, never more', () => {
    expect(describeSecretRef({ env: 'DYNAMASK_SALT' })).toBe('environment variable DYNAMASK_SALT');
    expect(describeSecretRef({ secretsManager: 'prod/dynamask', key: 'salt', region: 'eu-west-1', connection: 'prod' })).toBe(
      'Secrets Manager secret "prod/dynamask" (JSON key "salt") in region eu-west-1, connection "prod"',
    );
    expect(describeSecretRef({ ssm: '/dynamask/salt' })).toBe('SSM parameter "/dynamask/salt"');
  });

  it('reads the region of an ARN', () => {
    expect(regionOfArn('arn:aws:secretsmanager:eu-west-1:123456789012:secret:x')).toBe('eu-west-1');
    expect(regionOfArn('arn:aws:ssm:us-east-2:123456789012:parameter/x')).toBe('us-east-2');
    expect(regionOfArn('prod/dynamask')).toBeUndefined();
  });

  it('tells a reference from a literal', () => {
    expect(isSecretRef({ env: 'X' })).toBe(true);
    expect(isSecretRef('literal')).toBe(false);
  });
});
