/**
 * A lock file around a once-per-machine install into the cache folder, so
 * that parallel test processes install once and the others wait for the
 * first to finish (the same scheme temporal-cli.ts uses for its Go build).
 */
import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export type Log = (line: string) => void;

export interface InstallLockOptions {
  lockPath: string;
  /** True once the install is complete, by whichever process made it. */
  isDone: () => Promise<boolean>;
  log: Log;
  /** What the waiting processes are told. */
  waitingMessage: string;
  /** A lock older than this belongs to a crashed process. */
  staleAfterMs?: number;
}

/** Runs `install` unless another process has done it or does it meanwhile. */
export async function withInstallLock(options: InstallLockOptions, install: () => Promise<void>): Promise<void> {
  if ((await acquire(options)) === 'done-by-other') return;
  try {
    await install();
  } finally {
    await rm(options.lockPath, { force: true });
  }
}

async function acquire(options: InstallLockOptions): Promise<'acquired' | 'done-by-other'> {
  const staleAfterMs = options.staleAfterMs ?? 20 * 60_000;
  let announced = false;
  for (;;) {
    if (await options.isDone()) return 'done-by-other';
    try {
      const handle = await open(options.lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      // Another process may have finished between our check and the lock.
      if (await options.isDone()) {
        await rm(options.lockPath, { force: true });
        return 'done-by-other';
      }
      return 'acquired';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = Date.now() - (await stat(options.lockPath).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > staleAfterMs) {
      await rm(options.lockPath, { force: true });
      continue;
    }
    if (!announced) options.log(options.waitingMessage);
    announced = true;
    await sleep(1_000);
  }
}
