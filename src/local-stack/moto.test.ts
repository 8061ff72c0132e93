import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto } from './moto.ts';

/** How startMoto fails when moto cannot run: with the reason, never silently. */
describe('starting moto', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dynamask-moto-test-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('refuses a DYNAMASK_MOTO_SERVER that is not an executable', async () => {
    const path = join(dir, 'missing');
    await expect(startMoto({ env: { DYNAMASK_MOTO_SERVER: path }, log: () => {} })).rejects.toThrow(`DYNAMASK_MOTO_SERVER=${path} is not an executable file`);
  });

  it('says so, with its output, when moto exits before it answers', async () => {
    const path = join(dir, 'broken-moto');
    await writeFile(path, '#!/bin/sh\necho "ModuleNotFoundError: No module named flask" >&2\nexit 3\n');
    await chmod(path, 0o755);
    await expect(startMoto({ env: { DYNAMASK_MOTO_SERVER: path }, log: () => {} })).rejects.toThrow(
      new RegExp(`moto \\(${path}, from DYNAMASK_MOTO_SERVER\\) exited with 3 before it was ready:\\nModuleNotFoundError: No module named flask`),
    );
  });
});
