/**
 * The secret resolver against real stores: moto's Secrets Manager and SSM,
 * reached through the AWS SDK's standard endpoint settings, with credentials
 * from the default chain or a job connection's assumed role. Every value
 * planted is a canary, and every message and log line the resolver produced
 * along the way is searched for them at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { MotoServer } from '../../src/local-stack/moto.ts';
import { freePort } from '../../src/local-stack/free-port.ts';
import { SecretError, SecretResolver } from '../../src/secrets/index.ts';
import type { SecretRef } from '../../model/secret-ref.ts';
import { Canaries, findCanaries, renderFindings, textsOf, type Evidence } from '../support/canary.ts';
import { isolateAwsEnv, motoState, MOTO_ACCOUNT, startTestMoto } from '../support/moto.ts';

const canaries = new Canaries();
const PLAIN = canaries.string('plain SecretString');
const IN_JSON = canaries.string('JSON key salt');
const NEIGHBOUR = canaries.string('JSON key other');
const SECURE = canaries.string('SSM SecureString');
const IN_STRING_PARAM = canaries.string('SSM String');
const NOT_JSON = canaries.string('SecretString that is not JSON');
const ROTATED = canaries.string('rotated SecretString');
const BINARY = canaries.bytes('SecretBinary');

const evidence: Evidence[] = [];
const logLines: string[] = [];
const log = (line: string) => logLines.push(line);

/** The resolver's failure for a reference; fails the test when there is none. */
async function failure(resolver: SecretResolver, ref: SecretRef, connections = {}): Promise<SecretError> {
  const error = await resolver.resolve(ref, { connections }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SecretError)) throw new Error(`expected a SecretError, got ${String(error)}`);
  evidence.push({ where: `error for ${JSON.stringify(ref)}`, kind: 'error', text: textsOf(error).join('\n') });
  return error;
}

describe('secrets resolved from Secrets Manager and SSM (moto)', () => {
  let moto: MotoServer;
  let restoreEnv: () => Promise<void>;
  let secretsManager: SecretsManagerClient;
  let ssm: SSMClient;
  let resolver: SecretResolver;

  beforeAll(async () => {
    moto = await startTestMoto();
    ({ restore: restoreEnv } = await isolateAwsEnv({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
      AWS_ENDPOINT_URL_SSM: moto.endpoint,
      AWS_ENDPOINT_URL_STS: moto.endpoint,
    }));
    secretsManager = new SecretsManagerClient({});
    ssm = new SSMClient({});
    const secrets: [string, { SecretString: string } | { SecretBinary: Uint8Array }][] = [
      ['prod/dynamask/plain', { SecretString: PLAIN }],
      ['prod/dynamask/json', { SecretString: JSON.stringify({ salt: IN_JSON, other: NEIGHBOUR, count: 7, nested: { a: NEIGHBOUR } }) }],
      // Not JSON, and short enough that JSON.parse's message would quote it whole.
      ['prod/dynamask/not-json', { SecretString: NOT_JSON }],
      ['prod/dynamask/array', { SecretString: JSON.stringify([IN_JSON]) }],
      ['prod/dynamask/binary', { SecretBinary: BINARY }],
      ['prod/dynamask/rotating', { SecretString: PLAIN }],
    ];
    for (const [Name, value] of secrets) await secretsManager.send(new CreateSecretCommand({ Name, ...value }));
    await ssm.send(new PutParameterCommand({ Name: '/dynamask/salt', Value: SECURE, Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/dynamask/plain', Value: IN_STRING_PARAM, Type: 'String' }));
    resolver = new SecretResolver({ log });
  });

  afterAll(async () => {
    resolver?.destroy();
    secretsManager?.destroy();
    ssm?.destroy();
    await restoreEnv?.();
    await moto?.stop();
  });

  it('reads a whole SecretString', async () => {
    expect(await resolver.resolve({ secretsManager: 'prod/dynamask/plain' })).toBe(PLAIN);
  });

  it('reads one key of a JSON SecretString, by name or by ARN', async () => {
    expect(await resolver.resolve({ secretsManager: 'prod/dynamask/json', key: 'salt' })).toBe(IN_JSON);
    const arn = `arn:aws:secretsmanager:us-east-1:${MOTO_ACCOUNT}:secret:prod/dynamask/json`;
    expect(await resolver.resolve({ secretsManager: arn, key: 'other' })).toBe(NEIGHBOUR);
  });

  it('reads an SSM SecureString, decrypted', async () => {
    expect(await resolver.resolve({ ssm: '/dynamask/salt', region: 'us-east-1' })).toBe(SECURE);
  });

  it('reads through a job connection: its role is assumed with its external id, its region used', async () => {
    const connections = {
      prod: { region: 'us-east-1', roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/dynamask-secrets`, externalId: 'secrets-ext-1' },
    };
    expect(await resolver.resolve({ ssm: '/dynamask/salt', connection: 'prod' }, { connections })).toBe(SECURE);
    const assumed = (await motoState(moto)).sts?.AssumedRole as { role_arn: string; external_id: string; session_name: string }[];
    expect(assumed.map(({ role_arn, external_id, session_name }) => ({ role_arn, external_id, session_name }))).toContainEqual({
      role_arn: connections.prod.roleArn,
      external_id: 'secrets-ext-1',
      session_name: 'dynamask',
    });
  });

  it('keeps a value for the TTL, then reads the rotated one', async () => {
    let now = 1_000_000;
    const cached = new SecretResolver({ ttlMs: 60_000, now: () => now, log });
    try {
      const ref = { secretsManager: 'prod/dynamask/rotating' };
      expect(await cached.resolve(ref)).toBe(PLAIN);
      await secretsManager.send(new PutSecretValueCommand({ SecretId: 'prod/dynamask/rotating', SecretString: ROTATED }));
      now += 59_000;
      expect(await cached.resolve(ref)).toBe(PLAIN);
      now += 2_000;
      expect(await cached.resolve(ref)).toBe(ROTATED);
    } finally {
      cached.destroy();
    }
  });

  it('names the reference and the problem when it cannot read a secret', async () => {
    const cases: [SecretRef, string][] = [
      [{ secretsManager: 'prod/dynamask/missing' }, 'Secrets Manager secret "prod/dynamask/missing": there is no such secret'],
      [{ secretsManager: 'prod/dynamask/json', key: 'pepper' }, 'Secrets Manager secret "prod/dynamask/json" (JSON key "pepper"): its JSON object has no key "pepper"'],
      [{ secretsManager: 'prod/dynamask/json', key: 'count' }, 'Secrets Manager secret "prod/dynamask/json" (JSON key "count"): it holds a number, not a string'],
      [{ secretsManager: 'prod/dynamask/json', key: 'nested' }, 'Secrets Manager secret "prod/dynamask/json" (JSON key "nested"): it holds an object, not a string'],
      [{ secretsManager: 'prod/dynamask/not-json', key: 'salt' }, 'Secrets Manager secret "prod/dynamask/not-json" (JSON key "salt"): its SecretString is not a JSON object, so it has no key "salt"'],
      [{ secretsManager: 'prod/dynamask/array', key: 'salt' }, 'Secrets Manager secret "prod/dynamask/array" (JSON key "salt"): its SecretString is not a JSON object, so it has no key "salt"'],
      [{ secretsManager: 'prod/dynamask/binary' }, 'Secrets Manager secret "prod/dynamask/binary": it holds binary data (SecretBinary), not a string'],
      [{ ssm: '/dynamask/missing' }, 'SSM parameter "/dynamask/missing": there is no such parameter'],
      [{ ssm: '/dynamask/plain' }, 'SSM parameter "/dynamask/plain": it is a String parameter; keep secrets in a SecureString parameter'],
      [{ ssm: '/dynamask/salt', connection: 'nope' }, 'SSM parameter "/dynamask/salt" in connection "nope": the job has no connection "nope"'],
    ];
    for (const [ref, message] of cases) {
      expect((await failure(resolver, ref)).message, JSON.stringify(ref)).toBe(`cannot read the secret from ${message}`);
    }
  });

  it('says a store is unreachable, and where', async () => {
    const port = await freePort();
    const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = `http://127.0.0.1:${port}`;
    const offline = new SecretResolver({ log });
    try {
      const error = await failure(offline, { secretsManager: 'prod/dynamask/plain' });
      expect(error.problem).toEqual({ code: 'unreachable', detail: `ECONNREFUSED 127.0.0.1:${port}` });
      expect(error.message).toBe(`cannot read the secret from Secrets Manager secret "prod/dynamask/plain": cannot reach Secrets Manager (ECONNREFUSED 127.0.0.1:${port})`);
    } finally {
      offline.destroy();
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
    }
  });
});

describe('a store that refuses the credentials (moto with IAM checks on)', () => {
  let moto: MotoServer;
  let restoreEnv: () => Promise<void>;

  beforeAll(async () => {
    // INITIAL_NO_AUTH_ACTION_COUNT=0: moto checks every request against its IAM users, and knows none.
    moto = await startTestMoto({ motoEnv: { INITIAL_NO_AUTH_ACTION_COUNT: '0' } });
    ({ restore: restoreEnv } = await isolateAwsEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint, AWS_ENDPOINT_URL_SSM: moto.endpoint }));
  });
  afterAll(async () => {
    await restoreEnv?.();
    await moto?.stop();
  });

  it('says access was denied and which permission the worker needs', async () => {
    const resolver = new SecretResolver({ log });
    try {
      const error = await failure(resolver, { secretsManager: 'prod/dynamask/plain' });
      expect(error.message).toBe(
        `cannot read the secret from Secrets Manager secret "prod/dynamask/plain": Secrets Manager denied access (HTTP 403); the worker's credentials need secretsmanager:GetSecretValue`,
      );
      // moto answers this JSON API in XML, which the SDK cannot parse: that parser error quotes the body, so it is not kept.
      expect(error.cause).toBeUndefined();
      const ssmError = await failure(resolver, { ssm: '/dynamask/salt' });
      expect(ssmError.message).toBe(
        `cannot read the secret from SSM parameter "/dynamask/salt": SSM denied access (HTTP 403); the worker's credentials need ssm:GetParameter and kms:Decrypt on its key`,
      );
    } finally {
      resolver.destroy();
    }
  });
});

// Last, so that it sees the evidence of every test above.
describe('nothing the resolver says leaks a value', () => {
  it('no value read or planted appears in any message, cause or log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(evidence.length).toBeGreaterThan(0);
    // The search itself finds a value hidden in base64, or this test could not fail.
    expect(findCanaries(canaries, [{ where: 'control', kind: 'control', text: Buffer.from(`x${PLAIN}`).toString('base64') }])).toHaveLength(1);
    const all = [...evidence, ...logLines.map((text, i) => ({ where: `log line ${i}`, kind: 'log', text }))];
    const findings = findCanaries(canaries, all);
    expect(findings, renderFindings(findings)).toEqual([]);
  });
});
