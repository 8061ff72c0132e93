/**
 * Cursors hold key values (a Scan's LastEvaluatedKey, PartiQL's NextToken),
 * and cursors travel through Temporal: activity results, heartbeats,
 * continueAsNew input. Sealing them with AES-256-GCM under a key only
 * workers hold keeps those values out of Temporal's history while a cursor
 * stays resumable by any worker that has the key.
 *
 * The key comes from DYNAMASK_CURSOR_KEY (any string; set the same one on
 * every worker host), or else from a random key file made once per machine
 * in the cache folder, which suits one host or a laptop.
 *
 * The same worker-held key gives a run whose job names no salt its salt
 * (runSalt): every worker with the key derives the same one for the run,
 * and it never has to travel through Temporal.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { cacheDir } from '../config/cache-dir.ts';

const VERSION = 'c1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CursorSeal {
  readonly #key: Buffer;
  readonly #saltKey: Buffer;

  constructor(secret: string | Buffer) {
    // Hashing accepts a passphrase of any length and gives exactly the 32 bytes AES-256 needs.
    this.#key = createHash('sha256').update('dynamask cursor v1\0').update(secret).digest();
    // A key of its own for salts, so that no output of one use says anything about the other.
    this.#saltKey = createHash('sha256').update('dynamask run salt v1\0').update(secret).digest();
  }

  /** The salt of run `runWorkflowId` when its job has none: consistent within the run, unlinkable across runs, unknown without the key. */
  runSalt(runWorkflowId: string): string {
    return createHmac('sha256', this.#saltKey).update(runWorkflowId).digest('base64url');
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): CursorSeal {
    if (env.DYNAMASK_CURSOR_KEY) return new CursorSeal(env.DYNAMASK_CURSOR_KEY);
    return new CursorSeal(machineKey(join(cacheDir(env), 'cursor.key')));
  }

  seal(cursor: unknown): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(cursor), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** Throws a non-retryable failure for a cursor sealed under another key: retrying on this worker cannot help. */
  open<T>(sealed: string): T {
    const [version, data] = sealed.split('.', 2);
    const bytes = Buffer.from(data ?? '', 'base64url');
    if (version !== VERSION || bytes.length < IV_BYTES + TAG_BYTES) {
      throw ApplicationFailure.nonRetryable('the cursor is not one dynamask sealed', 'BadCursor');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      throw ApplicationFailure.nonRetryable(
        'the cursor was sealed with another key: give every worker the same DYNAMASK_CURSOR_KEY',
        'BadCursor',
      );
    }
  }
}

function machineKey(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    mkdirSync(dirname(file), { recursive: true });
    // 'wx' fails if another worker process won the race; then its key is the one to use.
    try {
      writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFileSync(file);
  }
}
