/**
 * The keys of the payload codec, from the environment. The settings take
 * the shape of Temporal's own: codec settings live under CODEC
 * (TEMPORAL_CODEC_ENDPOINT, TEMPORAL_CODEC_AUTH), and a setting that can be
 * a file or the content itself comes as a _PATH / _DATA pair
 * (TEMPORAL_TLS_CLIENT_KEY_PATH / _DATA). The prefix is ours: TEMPORAL_ is
 * the namespace of Temporal's tools, and TEMPORAL_CODEC_* already means the
 * remote codec server the CLI calls.
 *
 *   DYNAMASK_CODEC_KEY_PATH  a key file
 *   DYNAMASK_CODEC_KEY_DATA  the same content inline (entries separated by
 *                            newlines or commas), for secret stores that
 *                            inject environment variables
 *
 * A key file lists one key per line as `<key id>=<32 bytes in base64>`; the
 * first key encrypts, every key decrypts, `#` starts a comment:
 *
 *   # the newest key first: it encrypts from now on
 *   2026-07=q0T3…base64…=
 *   2026-01=Zx8…base64…=
 *
 * A new key: `printf '%s=%s\n' 2026-07 "$(openssl rand -base64 32)"`,
 * written at the top. Messages about keys name the setting, the line and the
 * key id, never key material.
 */
import { readFile } from 'node:fs/promises';

export const CODEC_KEY_PATH_ENV = 'DYNAMASK_CODEC_KEY_PATH';
export const CODEC_KEY_DATA_ENV = 'DYNAMASK_CODEC_KEY_DATA';

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface CodecKey {
  /** Written into each payload's metadata, so a decoder knows which key to use; not secret. */
  readonly id: string;
  readonly key: Uint8Array;
}

export class CodecKeyError extends Error {
  override name = 'CodecKeyError';
}

/** The keys the environment configures, the encrypting one first; undefined when none is configured. */
export async function codecKeysFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<CodecKey[] | undefined> {
  const path = env[CODEC_KEY_PATH_ENV];
  const data = env[CODEC_KEY_DATA_ENV];
  if (path && data) throw new CodecKeyError(`set ${CODEC_KEY_PATH_ENV} or ${CODEC_KEY_DATA_ENV}, not both`);
  if (path) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new CodecKeyError(`${CODEC_KEY_PATH_ENV}=${path}: cannot read the key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return parseCodecKeys(text, `${CODEC_KEY_PATH_ENV}=${path}`);
  }
  if (data) return parseCodecKeys(data.replaceAll(',', '\n'), CODEC_KEY_DATA_ENV);
  return undefined;
}

/** Parses a key file's text; `source` names it in messages. */
export function parseCodecKeys(text: string, source: string): CodecKey[] {
  const keys: CodecKey[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const where = `${source}, line ${index + 1}`;
    const equals = line.indexOf('=');
    const id = line.slice(0, Math.max(equals, 0)).trim();
    if (equals < 0 || /\s/.test(id)) throw new CodecKeyError(`${where}: expected <key id>=<base64 key>`);
    const encoded = line.slice(equals + 1).trim();
    if (!KEY_ID.test(id)) throw new CodecKeyError(`${where}: a key id is 1 to 64 letters, digits, ".", "_" or "-"`);
    if (keys.some((key) => key.id === id)) throw new CodecKeyError(`${where}: key id "${id}" appears twice`);
    if (!BASE64.test(encoded)) throw new CodecKeyError(`${where}: key "${id}" is not base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new CodecKeyError(`${where}: key "${id}" is ${key.length} bytes; AES-256 needs ${KEY_BYTES} (make one with: openssl rand -base64 32)`);
    }
    keys.push({ id, key: new Uint8Array(key) });
  }
  if (keys.length === 0) throw new CodecKeyError(`${source}: no keys; expected lines of <key id>=<base64 key>`);
  return keys;
}
