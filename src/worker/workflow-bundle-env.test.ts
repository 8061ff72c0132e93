import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowBundleFromEnv } from './worker.ts';

describe('DYNAMASK_WORKFLOW_BUNDLE', () => {
  it('names a bundle the worker loads, or none (bundle at start), and a missing file is refused saying how to make it', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'dynamask-bundle-')), 'workflow-bundle.js');
    await writeFile(file, '// bundle');
    expect(workflowBundleFromEnv({ DYNAMASK_WORKFLOW_BUNDLE: file })).toEqual({ codePath: file });
    expect(workflowBundleFromEnv({})).toBeUndefined();
    expect(workflowBundleFromEnv({ DYNAMASK_WORKFLOW_BUNDLE: '' })).toBeUndefined();
    expect(() => workflowBundleFromEnv({ DYNAMASK_WORKFLOW_BUNDLE: `${file}.gone` })).toThrow(
      `DYNAMASK_WORKFLOW_BUNDLE names no file: ${file}.gone (write one with \`dynamask bundle ${file}.gone\`, or unset it to bundle at start)`,
    );
  });
});
