/**
 * moto in server mode: one local endpoint that answers STS, Secrets Manager
 * and SSM (and the rest of AWS's APIs) the way AWS does, so the assume-role
 * path and the secret stores run for real in tests. State lives in memory,
 * in moto's default account 123456789012; any credentials are accepted.
 *
 * `moto_server` is found in this order: DYNAMASK_MOTO_SERVER, the pinned
 * virtualenv in the dynamask cache folder, `moto_server` on PATH, and last a
 * fresh virtualenv made with `python3 -m venv` and pip (PyPI is reachable
 * where the Temporal CLI's download is not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheDir } from '../config/cache-dir.ts';
import { isExecutable, whichOnPath } from './executables.ts';
import { freePort } from './free-port.ts';
import { withInstallLock, type Log } from './install-lock.ts';

export const MOTO_VERSION = '5.2.5';

export interface MotoChoice {
  path: string;
  /** How it was found, for the progress log. */
  source: 'DYNAMASK_MOTO_SERVER' | 'cache' | 'PATH' | 'pip install';
}

export interface MotoServer {
  /** http://127.0.0.1:<port>: the endpoint of every service moto serves. */
  readonly endpoint: string;
  readonly choice: MotoChoice;
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  port?: number;
  log?: Log;
  env?: NodeJS.ProcessEnv;
  /** Extra environment for moto itself, such as MOTO_ENABLE_RECORDING. */
  motoEnv?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** The virtualenv the pinned moto lives in, and its `moto_server`. */
export function motoVenvDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'moto', MOTO_VERSION);
}

export async function findMotoServer(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<MotoChoice> {
  const explicit = env.DYNAMASK_MOTO_SERVER;
  if (explicit) {
    if (!(await isExecutable(explicit))) throw new Error(`DYNAMASK_MOTO_SERVER=${explicit} is not an executable file`);
    return { path: resolve(explicit), source: 'DYNAMASK_MOTO_SERVER' };
  }
  const venv = motoVenvDir(env);
  if (await isInstalled(venv)) return { path: venvServer(venv), source: 'cache' };
  const onPath = await whichOnPath('moto_server', env);
  if (onPath) return { path: onPath, source: 'PATH' };
  await installMotoVenv(log, env);
  return { path: venvServer(venv), source: 'pip install' };
}

/**
 * `python3 -m venv` and `pip install moto[server]==MOTO_VERSION` into the
 * cache folder, once per machine. A virtualenv cannot be moved once made,
 * so it is built in place and marked complete only at the end.
 */
export async function installMotoVenv(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const venv = motoVenvDir(env);
  await mkdir(join(venv, '..'), { recursive: true });
  await withInstallLock(
    { lockPath: `${venv}.lock`, isDone: () => isInstalled(venv), log, waitingMessage: 'moto: another process is installing it; waiting' },
    async () => {
      const python = env.DYNAMASK_PYTHON || (await whichOnPath('python3', env));
      if (!python) throw new Error('moto needs Python 3 to install: no python3 on PATH (or set DYNAMASK_MOTO_SERVER to a moto_server)');
      const started = Date.now();
      log(`moto: installing moto[server]==${MOTO_VERSION} into ${venv} (first time only; a few minutes)`);
      await rm(venv, { recursive: true, force: true });
      await run(python, ['-m', 'venv', venv], env);
      await run(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`], env);
      if (!(await isExecutable(venvServer(venv)))) throw new Error(`pip installed moto into ${venv} but there is no ${venvServer(venv)}`);
      await writeFile(join(venv, '.installed'), `${MOTO_VERSION}\n`);
      log(`moto: installed in ${Math.round((Date.now() - started) / 1000)}s`);
    },
  );
  return venvServer(venv);
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const log = options.log ?? ((line) => console.error(line));
  const env = options.env ?? process.env;
  const choice = await findMotoServer(log, env);
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  // moto writes files (its request recording) into its working folder: a scratch one, never the repository.
  const workDir = await mkdtemp(join(tmpdir(), 'dynamask-moto-'));
  const child = spawn(choice.path, ['-H', '127.0.0.1', '-p', String(port)], {
    cwd: workDir,
    env: { ...env, ...options.motoEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error) => resolve(new Error(`moto (${choice.path}, from ${choice.source}) failed to start: ${error.message}`)));
    // 'close', not 'exit': it comes after the output is read, so the message holds moto's last words.
    child.once('close', (code, signal) =>
      resolve(new Error(`moto (${choice.path}, from ${choice.source}) exited with ${code ?? signal} before it was ready:\n${output}`)),
    );
  });
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const ready = waitUntilAnswers(endpoint, timeoutMs).then(
    () => undefined,
    (error: Error) => new Error(`moto (${choice.path}, from ${choice.source}): ${error.message}:\n${output}`),
  );
  const outcome = await Promise.race([ready, exited]);
  const cleanUp = () => rm(workDir, { recursive: true, force: true });
  if (outcome instanceof Error) {
    child.kill('SIGKILL');
    await cleanUp();
    throw outcome;
  }
  return { endpoint, choice, stop: () => stopChild(child).then(cleanUp) };
}

function venvServer(venv: string): string {
  return join(venv, 'bin', 'moto_server');
}

async function isInstalled(venv: string): Promise<boolean> {
  const marker = await readFile(join(venv, '.installed'), 'utf8').catch(() => '');
  return marker.trim() === MOTO_VERSION && (await isExecutable(venvServer(venv)));
}

/** Any HTTP answer from moto's own API means the server is up (an open port alone may still be Flask starting). */
async function waitUntilAnswers(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`moto did not answer at ${endpoint} within ${timeoutMs / 1000}s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`))));
  });
}
