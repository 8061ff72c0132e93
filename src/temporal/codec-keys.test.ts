import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecKeysFromEnv, parseCodecKeys } from './codec-keys.ts';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('codec keys', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dynamask-keys-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads a key file: the first key encrypts, comments and blank lines are skipped', async () => {
    const path = join(dir, 'keys');
    await writeFile(path, `# newest first\n2026-07=${k2}\n\n2026-01 = ${k1}  # the old one\n`);
    const keys = await codecKeysFromEnv({ DYNAMASK_CODEC_KEY_PATH: path });
    expect(keys?.map((key) => key.id)).toEqual(['2026-07', '2026-01']);
    expect(Buffer.from(keys![0]!.key).toString('base64')).toBe(k2);
  });

  it('reads the same entries inline, separated by commas or newlines', async () => {
    expect((await codecKeysFromEnv({ DYNAMASK_CODEC_KEY_DATA: `b=${k2},a=${k1}` }))?.map((key) => key.id)).toEqual(['b', 'a']);
    expect((await codecKeysFromEnv({ DYNAMASK_CODEC_KEY_DATA: `b=${k2}\na=${k1}` }))?.map((key) => key.id)).toEqual(['b', 'a']);
  });

  it('configures nothing when neither setting is there', async () => {
    expect(await codecKeysFromEnv({})).toBeUndefined();
  });

  it('names the setting, the line and the key id when a key is wrong, never the key', async () => {
    const short = randomBytes(16).toString('base64');
    const cases: [string, string][] = [
      [`a=${k1}\nb=${short}`, `KEYS, line 2: key "b" is 16 bytes; AES-256 needs 32 (make one with: openssl rand -base64 32)`],
      [`a=${k1}\na=${k2}`, 'KEYS, line 2: key id "a" appears twice'],
      [`a ${k1}`, 'KEYS, line 1: expected <key id>=<base64 key>'],
      [`a/b=${k1}`, 'KEYS, line 1: a key id is 1 to 64 letters, digits, ".", "_" or "-"'],
      ['a=not base64!', 'KEYS, line 1: key "a" is not base64'],
      ['# nothing\n', 'KEYS: no keys; expected lines of <key id>=<base64 key>'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseCodecKeys(text, 'KEYS'), text).toThrow(message);
      try {
        parseCodecKeys(text, 'KEYS');
      } catch (error) {
        expect((error as Error).message).not.toContain(k1);
        expect((error as Error).message).not.toContain(short);
      }
    }
  });

  it('refuses both settings at once, and a key file it cannot read', async () => {
    await expect(codecKeysFromEnv({ DYNAMASK_CODEC_KEY_PATH: '/x', DYNAMASK_CODEC_KEY_DATA: `a=${k1}` })).rejects.toThrow(
      'set DYNAMASK_CODEC_KEY_PATH or DYNAMASK_CODEC_KEY_DATA, not both',
    );
    const missing = join(dir, 'missing');
    await expect(codecKeysFromEnv({ DYNAMASK_CODEC_KEY_PATH: missing })).rejects.toThrow(
      `DYNAMASK_CODEC_KEY_PATH=${missing}: cannot read the key file (ENOENT)`,
    );
  });
});
