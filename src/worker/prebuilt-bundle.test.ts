import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFailures, bundleHeader, chooseBundle } from './prebuilt-bundle.ts';

describe('prebuilt workflow bundles', () => {
  it('say in their first line which failure converter they hold, read from a file without reading it all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-bundle-'));
    const encoded = join(dir, 'encoded.js');
    await writeFile(encoded, `${bundleHeader('encoded')}${'x'.repeat(1_000_000)}`);
    expect(bundleFailures({ codePath: encoded })).toBe('encoded');
    expect(bundleFailures({ code: `${bundleHeader('default')}var a;` })).toBe('default');
    // Made before bundles said so, or by bundleWorkflowCode directly: Temporal's default converter.
    expect(bundleFailures({ code: 'var workflows = {};' })).toBe('default');
    expect(bundleFailures({ code: `var a;\n${bundleHeader('encoded')}` })).toBe('default');
  });

  it('are run by a worker that encodes failures as they do; an encrypting worker given a plain one bundles for itself', () => {
    expect(chooseBundle('encoded', true, 'b.js')).toEqual({ use: true });
    expect(chooseBundle('default', false, 'b.js')).toEqual({ use: true });
    expect(chooseBundle('default', true, 'b.js')).toEqual({ use: false, warning: expect.stringContaining('dynamask bundle --encrypted') });
    expect(() => chooseBundle('encoded', false, 'b.js')).toThrow('the workflow bundle b.js encodes failures for codec keys this worker does not have');
  });
});
