/**
 * Finds a `temporal` CLI to run the dev server, in this order:
 * TEMPORAL_CLI_PATH, `temporal` on PATH, a build cached by an earlier run,
 * a fresh `go install` into the cache (machines without internet but with
 * the Go module proxy), and last the SDK's own download.
 */
import { spawn } from 'node:child_process';
import { access, constants, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { cacheDir } from '../config/cache-dir.ts';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export type Log = (line: string) => void;

export interface TemporalCliChoice {
  executable: EphemeralServerExecutable;
  /** How it was found, for the progress log. */
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install' | 'SDK download';
}

export async function findTemporalCli(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<TemporalCliChoice> {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!(await isExecutable(explicit))) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return existing(explicit, 'TEMPORAL_CLI_PATH');
  }
  const onPath = await whichOnPath('temporal', env);
  if (onPath) return existing(onPath, 'PATH');

  const dir = join(cacheDir(env), 'temporal-cli', TEMPORAL_CLI_VERSION);
  const cached = join(dir, 'temporal');
  if (await isExecutable(cached)) return existing(cached, 'cache');

  const go = await whichOnPath('go', env);
  if (go) {
    await buildWithGo(go, dir, log);
    return existing(cached, 'go install');
  }
  log('Temporal CLI: not found and no Go toolchain; letting the Temporal SDK download its dev server');
  return { executable: { type: 'cached-download', downloadDir: join(cacheDir(env), 'temporal-download') }, source: 'SDK download' };
}

function existing(path: string, source: TemporalCliChoice['source']): TemporalCliChoice {
  return { executable: { type: 'existing-path', path }, source };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function whichOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/**
 * `go install` into a temporary GOBIN, then an atomic rename, under a lock
 * file so that parallel test processes build once and the others wait.
 */
async function buildWithGo(go: string, dir: string, log: Log): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lockPath = join(dir, '.build.lock');
  const lock = await acquireLock(lockPath, join(dir, 'temporal'), log);
  if (lock === 'built-by-other') return;
  const staging = join(dir, `.staging-${process.pid}`);
  try {
    log(`Temporal CLI: building ${MODULE} with Go into ${dir} (first time only; this takes a few minutes)`);
    const started = Date.now();
    const ticker = setInterval(() => log(`Temporal CLI: still building… ${Math.round((Date.now() - started) / 1000)}s`), 20_000);
    try {
      await run(go, ['install', MODULE], { ...process.env, GOBIN: staging, CGO_ENABLED: '0' });
    } finally {
      clearInterval(ticker);
    }
    await rename(join(staging, 'temporal'), join(dir, 'temporal'));
    log(`Temporal CLI: built in ${Math.round((Date.now() - started) / 1000)}s`);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(lockPath, { force: true });
  }
}

async function acquireLock(lockPath: string, target: string, log: Log): Promise<'acquired' | 'built-by-other'> {
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return 'acquired';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isExecutable(target)) return 'built-by-other';
    // A lock older than the longest plausible build belongs to a crashed process.
    const age = Date.now() - (await stat(lockPath).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > 20 * 60_000) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (!announced) log('Temporal CLI: another process is building it; waiting');
    announced = true;
    await sleep(2_000);
    if (await isExecutable(target)) return 'built-by-other';
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`)),
    );
  });
}
