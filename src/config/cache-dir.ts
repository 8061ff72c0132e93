import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where dynamask keeps builds it makes once per machine (outside any repo). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DYNAMASK_CACHE_DIR) return env.DYNAMASK_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dynamask');
}
