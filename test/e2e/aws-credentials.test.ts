/**
 * The credentials a job connection names, end to end: createDynamoClient
 * assumes `roleArn` with `externalId` through a real STS (moto, reached by
 * the SDK's standard AWS_ENDPOINT_URL_STS), or reads a `profile` from shared
 * config files, and then talks to DynamoDB Local. DynamoDB Local accepts any
 * credentials, so each test records the access key every DynamoDB request
 * was signed with and checks it against what moto handed out. Last, a whole
 * `dynamask run` whose connections assume roles copies a table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import type { MotoServer } from '../../src/local-stack/moto.ts';
import type { ConnectionConfig } from '../../model/job.ts';
import { runJobFile } from '../../src/cli/run-job.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { temporalTarget } from '../../src/temporal/connection.ts';
import { scanAll } from '../support/stack.ts';
import { isolateAwsEnv, motoState, MOTO_ACCOUNT, recordedRequests, signingKeyId, startRecording, startTestMoto } from '../support/moto.ts';

const PROFILE_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/dynamask-profile-role`;

interface AssumedRole {
  access_key_id: string;
  role_arn: string;
  external_id: string | null;
  session_name: string;
}

interface Signature {
  accessKeyId: string;
  sessionToken: boolean;
}

/** Each distinct value once: an SDK retry under load repeats a request without changing what it proves. */
const distinct = <T>(values: T[]): T[] => [...new Map(values.map((value) => [JSON.stringify(value), value])).values()];

/** The access key (from the SigV4 Authorization header) of every request the client sends, as it goes on the wire. */
function recordSignatures(client: DynamoDBClient): Signature[] {
  const signatures: Signature[] = [];
  type Handler = (args: { request: unknown }) => Promise<unknown>;
  const middleware = (next: Handler): Handler => async (args) => {
    const accessKeyId = signingKeyId((args.request as { headers: Record<string, string> }).headers);
    if (!accessKeyId) throw new Error('a DynamoDB request went out unsigned');
    signatures.push({ accessKeyId, sessionToken: Boolean((args.request as { headers: Record<string, string> }).headers['x-amz-security-token']) });
    return next(args);
  };
  client.middlewareStack.addRelativeTo(middleware as unknown as Parameters<typeof client.middlewareStack.addRelativeTo>[0], {
    relation: 'after',
    toMiddleware: 'awsAuthMiddleware',
    name: 'recordSignature',
  });
  return signatures;
}

describe('connection credentials: assumed roles and profiles (moto STS, DynamoDB Local)', () => {
  let moto: MotoServer;
  let awsDir: string;
  let restoreEnv: () => Promise<void>;
  const clients: DynamoDBClient[] = [];
  const dynamoEndpoint = inject('dynamoEndpoint');

  /** A client for the connection, its signatures recorded, after one request that must succeed. */
  async function connect(connection: ConnectionConfig): Promise<{ client: DynamoDBClient; signatures: Signature[] }> {
    const client = createDynamoClient({ endpoint: dynamoEndpoint, ...connection });
    clients.push(client);
    const signatures = recordSignatures(client);
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return { client, signatures };
  }

  async function assumedRoles(): Promise<AssumedRole[]> {
    return ((await motoState(moto)).sts?.AssumedRole ?? []) as AssumedRole[];
  }

  /** Which access key signed the AssumeRole call for a role: the credentials the role was assumed from. */
  async function assumedWith(roleArn: string): Promise<(string | undefined)[]> {
    const encoded = new URLSearchParams({ RoleArn: roleArn }).toString();
    return (await recordedRequests(moto))
      .filter((request) => request.body.includes('Action=AssumeRole') && request.body.includes(encoded))
      .map((request) => signingKeyId(request.headers));
  }

  beforeAll(async () => {
    moto = await startTestMoto({ motoEnv: { MOTO_ENABLE_RECORDING: 'True' } });
    await startRecording(moto);
    ({ dir: awsDir, restore: restoreEnv } = await isolateAwsEnv({ AWS_ENDPOINT_URL_STS: moto.endpoint }));
    // All profiles before the first client: the SDK reads the shared files once per process.
    await writeFile(
      join(awsDir, 'credentials'),
      ['[staging-keys]', 'aws_access_key_id = AKIASTAGINGPROFILE01', 'aws_secret_access_key = staging-secret', '[base]', 'aws_access_key_id = AKIABASEPROFILE00001', 'aws_secret_access_key = base-secret', ''].join('\n'),
    );
    await writeFile(
      join(awsDir, 'config'),
      ['[profile assumer]', `role_arn = ${PROFILE_ROLE}`, 'source_profile = base', 'external_id = ext-profile', 'role_session_name = dynamask-profile', 'region = us-east-1', ''].join('\n'),
    );
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await restoreEnv?.();
    await moto?.stop();
  });

  it('assumes roleArn with externalId through STS and signs DynamoDB requests with the role session', async () => {
    const roleArn = `arn:aws:iam::${MOTO_ACCOUNT}:role/dynamask-read`;
    const { client, signatures } = await connect({ region: 'us-east-1', roleArn, externalId: 'ext-4711' });

    const credentials = await client.config.credentials();
    expect(distinct(signatures)).toEqual([{ accessKeyId: credentials.accessKeyId, sessionToken: true }]);
    expect(credentials.accessKeyId).not.toBe(process.env.AWS_ACCESS_KEY_ID);
    const session = (await assumedRoles()).find((role) => role.access_key_id === credentials.accessKeyId);
    expect(session).toMatchObject({ role_arn: roleArn, external_id: 'ext-4711', session_name: 'dynamask' });
    // Assumed from the default chain: the environment's keys.
    expect(distinct(await assumedWith(roleArn))).toEqual([process.env.AWS_ACCESS_KEY_ID]);
  });

  it('signs with the keys of a profile from the shared credentials file', async () => {
    const { signatures } = await connect({ region: 'us-east-1', profile: 'staging-keys' });
    expect(distinct(signatures)).toEqual([{ accessKeyId: 'AKIASTAGINGPROFILE01', sessionToken: false }]);
  });

  it("assumes a profile's role_arn with its source_profile and external_id (the profile's STS call goes to moto too)", async () => {
    const roleArn = PROFILE_ROLE;
    const { client, signatures } = await connect({ region: 'us-east-1', profile: 'assumer' });
    const credentials = await client.config.credentials();
    expect(distinct(signatures)).toEqual([{ accessKeyId: credentials.accessKeyId, sessionToken: true }]);
    expect((await assumedRoles()).find((role) => role.access_key_id === credentials.accessKeyId)).toMatchObject({
      role_arn: roleArn,
      external_id: 'ext-profile',
      session_name: 'dynamask-profile',
    });
    expect(distinct(await assumedWith(roleArn))).toEqual(['AKIABASEPROFILE00001']);
  });

  it('assumes roleArn starting from a profile (profile + roleArn on one connection)', async () => {
    const roleArn = `arn:aws:iam::${MOTO_ACCOUNT}:role/dynamask-chained`;
    const { client, signatures } = await connect({ region: 'us-east-1', profile: 'base', roleArn });
    const credentials = await client.config.credentials();
    expect(distinct(signatures)).toEqual([{ accessKeyId: credentials.accessKeyId, sessionToken: true }]);
    expect((await assumedRoles()).find((role) => role.access_key_id === credentials.accessKeyId)).toMatchObject({ role_arn: roleArn, external_id: null });
    expect(distinct(await assumedWith(roleArn))).toEqual(['AKIABASEPROFILE00001']);
  });

  it('runs a job whose connections assume roles with external IDs: the worker assumes them through STS and copies', async () => {
    const readRole = `arn:aws:iam::${MOTO_ACCOUNT}:role/dynamask-run-read`;
    const writeRole = `arn:aws:iam::${MOTO_ACCOUNT}:role/dynamask-run-write`;
    const dynamo = createDynamoClient({ endpoint: dynamoEndpoint });
    clients.push(dynamo);
    const movies = (await loadMovies()).slice(0, 300);
    await seedTable(dynamo, 'RoleMovies', movies);
    await recreateTable(dynamo, 'RoleMoviesCopy');
    const file = join(await mkdtemp(join(tmpdir(), 'dynamask-roles-')), 'roles.yaml');
    await writeFile(
      file,
      [
        'name: assumed-roles',
        'connections:',
        `  prod: { endpoint: "${dynamoEndpoint}", region: us-east-1, roleArn: "${readRole}", externalId: ext-read-1 }`,
        `  staging: { endpoint: "${dynamoEndpoint}", region: us-east-1, roleArn: "${writeRole}", externalId: ext-write-1 }`,
        'source: prod',
        'destination: staging',
        'salt: { env: ROLES_TEST_SALT }',
        'tables:',
        '  - source: RoleMovies',
        '    destination: RoleMoviesCopy',
        '    transformers: { "info.actors[*]": fullName }',
      ].join('\n'),
    );
    process.env.ROLES_TEST_SALT = 'roles-test-salt';
    try {
      const target = temporalTarget({ address: inject('temporalAddress'), namespace: inject('temporalNamespace') });
      process.env.DYNAMASK_TASK_QUEUE = `e2e-assumed-roles-${Date.now()}`;
      const { result } = await runJobFile(file, target, { worker: true }, { write: () => undefined, isTTY: false });
      expect(result.tables).toMatchObject([{ read: 300, written: 300 }]);
    } finally {
      delete process.env.ROLES_TEST_SALT;
      delete process.env.DYNAMASK_TASK_QUEUE;
    }
    expect(await scanAll(dynamo, 'RoleMoviesCopy')).toHaveLength(300);
    const sessions = (await assumedRoles()).map(({ role_arn, external_id, session_name }) => ({ role_arn, external_id, session_name }));
    expect(sessions).toContainEqual({ role_arn: readRole, external_id: 'ext-read-1', session_name: 'dynamask' });
    expect(sessions).toContainEqual({ role_arn: writeRole, external_id: 'ext-write-1', session_name: 'dynamask' });
    // The worker assumed them from its default chain: the environment's keys.
    expect(distinct(await assumedWith(readRole))).toEqual([process.env.AWS_ACCESS_KEY_ID]);
    expect(distinct(await assumedWith(writeRole))).toEqual([process.env.AWS_ACCESS_KEY_ID]);
  });
});
