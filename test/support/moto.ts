/**
 * moto for the tests that need STS, Secrets Manager or SSM: started by the
 * test file itself (beforeAll), and pointed at through the AWS SDK's own
 * settings (AWS_ENDPOINT_URL_<SERVICE>), so the code under test takes the
 * same path it takes against AWS. A machine without moto fails these tests
 * with the reason; they never skip.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto, type MotoServer, type StartMotoOptions } from '../../src/local-stack/moto.ts';

/** moto's default account: any role in it can be assumed. */
export const MOTO_ACCOUNT = '123456789012';

export async function startTestMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  try {
    return await startMoto({ log: (line) => console.log(`[moto] ${line}`), ...options });
  } catch (error) {
    throw new Error(
      `these tests need moto (STS, Secrets Manager and SSM on loopback) and it could not be started: ${(error as Error).message}\n` +
        'Install it as .ci/run does (a virtualenv in the dynamask cache folder), or set DYNAMASK_MOTO_SERVER to a moto_server.',
      { cause: error },
    );
  }
}

/**
 * An AWS environment of the test's own: base credentials moto accepts, empty
 * shared config files (the machine's ~/.aws must not decide anything), and
 * the given service endpoints. Returns a function that puts everything back.
 */
export async function isolateAwsEnv(endpoints: Record<string, string>): Promise<{ dir: string; restore: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dynamask-aws-'));
  await writeFile(join(dir, 'config'), '');
  await writeFile(join(dir, 'credentials'), '');
  const values: Record<string, string | undefined> = {
    AWS_ACCESS_KEY_ID: 'AKIADYNAMASKBASE0001',
    AWS_SECRET_ACCESS_KEY: 'dynamask-base-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    ...endpoints,
  };
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  setEnv(values);
  return {
    dir,
    async restore() {
      setEnv(saved);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** moto's in-memory state as its own API dumps it (`/moto-api/data.json`), for asserting what a service was asked. */
export async function motoState(moto: MotoServer): Promise<Record<string, Record<string, unknown[]>>> {
  const response = await fetch(`${moto.endpoint}/moto-api/data.json`);
  if (!response.ok) throw new Error(`moto's data.json answered ${response.status}`);
  return (await response.json()) as Record<string, Record<string, unknown[]>>;
}

/** One request moto recorded (with MOTO_ENABLE_RECORDING=True, after startRecording). */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as text. */
  body: string;
}

export async function startRecording(moto: MotoServer): Promise<void> {
  const response = await fetch(`${moto.endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto's recorder answered ${response.status}: was moto started with MOTO_ENABLE_RECORDING=True?`);
}

export async function recordedRequests(moto: MotoServer): Promise<RecordedRequest[]> {
  const text = await (await fetch(`${moto.endpoint}/moto-api/recorder/download-recording`)).text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const entry = JSON.parse(line) as { method: string; url: string; headers: Record<string, string>; body: string; body_encoded: boolean };
      return { method: entry.method, url: entry.url, headers: entry.headers, body: entry.body_encoded ? Buffer.from(entry.body, 'base64').toString('utf8') : entry.body };
    });
}

/** The access key id a request was signed with, from its SigV4 Authorization header. */
export function signingKeyId(headers: Record<string, string | undefined>): string | undefined {
  const authorization = headers.authorization ?? headers.Authorization ?? '';
  return /Credential=([^/]+)\//.exec(authorization)?.[1];
}
