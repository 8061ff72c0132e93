/**
 * A salt makes every built-in a pure function of its input, across separate
 * processes (two workers), and a different salt gives different output.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from './builtin/index.ts';

const INDEX = fileURLToPath(new URL('./builtin/index.ts', import.meta.url));
const SAMPLES = fileURLToPath(new URL('./builtin/sample-inputs.ts', import.meta.url));

/** Runs every built-in over 20 sample inputs in a fresh Node process. */
function outputsInChildProcess(salt: string): Promise<Record<string, unknown[]>> {
  const script = `
    const { builtinRegistry } = await import(${JSON.stringify(INDEX)});
    const { SAMPLE_INPUTS } = await import(${JSON.stringify(SAMPLES)});
    const out = {};
    for (const d of builtinRegistry.definitions) {
      const s = SAMPLE_INPUTS[d.name];
      const fn = builtinRegistry.instantiate({ type: d.name, options: s.options ?? {} }, { salt: ${JSON.stringify(salt)} });
      out[d.name] = Array.from({ length: 20 }, (_, i) => { const v = fn(s.input(i), ['x']); return typeof v === 'symbol' ? 'DROP' : v; });
    }
    console.log(JSON.stringify(out));
  `;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as Record<string, unknown[]>),
    ),
  );
}

describe('determinism across processes', () => {
  it('gives the same outputs in two processes with one salt, and others with another salt', async () => {
    const [first, second, other] = await Promise.all([outputsInChildProcess('salt-A'), outputsInChildProcess('salt-A'), outputsInChildProcess('salt-B')]);
    expect(Object.keys(first)).toEqual(builtinRegistry.definitions.map((d) => d.name));
    expect(second).toEqual(first);
    // Fixed-output transformers ignore the salt; every other one must change with it.
    const fixed = new Set(['passthrough', 'null', 'constant', 'drop', 'redact', 'mask']);
    for (const name of Object.keys(first).filter((n) => !fixed.has(n))) {
      const changed = first[name]!.filter((value, i) => JSON.stringify(value) !== JSON.stringify(other[name]![i])).length;
      // categorical picks from three values, so a third of its picks match by chance.
      expect(changed, name).toBeGreaterThanOrEqual(name === 'categorical' ? 6 : 15);
    }
  });
});
