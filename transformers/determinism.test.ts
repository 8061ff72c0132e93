/**
 * A salt makes every built-in a pure function of its input, across separate
 * processes (two workers), and a different salt gives different output to
 * every built-in whose definition says its output depends on the salt (and
 * the same output to the others).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinTransformers } from './builtin/index.ts';

const INDEX = fileURLToPath(new URL('./builtin/index.ts', import.meta.url));

/** Runs every built-in over 20 of its sample inputs in a fresh Node process. */
function outputsInChildProcess(salt: string): Promise<Record<string, unknown[]>> {
  const script = `
    const { builtinRegistry, builtinTransformers } = await import(${JSON.stringify(INDEX)});
    const out = {};
    for (const { name, sample } of builtinTransformers) {
      const fn = builtinRegistry.instantiate({ type: name, options: sample.options ?? {} }, { salt: ${JSON.stringify(salt)} });
      out[name] = Array.from({ length: 20 }, (_, i) => { const v = fn(sample.input(i), ['x']); return typeof v === 'symbol' ? 'DROP' : v; });
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
  // Three Node processes that each load faker: seconds on a loaded machine, so more than the default 5 s.
  it('gives the same outputs in two processes with one salt, and others with another salt', { timeout: 60_000 }, async () => {
    const [first, second, other] = await Promise.all([outputsInChildProcess('salt-A'), outputsInChildProcess('salt-A'), outputsInChildProcess('salt-B')]);
    expect(Object.keys(first)).toEqual(builtinTransformers.map((d) => d.name));
    expect(second).toEqual(first);
    for (const { name, dependsOnSalt = true } of builtinTransformers) {
      if (!dependsOnSalt) {
        expect(other[name], `${name} says its output does not depend on the salt`).toEqual(first[name]);
        continue;
      }
      const changed = first[name]!.filter((value, i) => JSON.stringify(value) !== JSON.stringify(other[name]![i])).length;
      // categorical picks from three values, so a third of its picks match by chance.
      expect(changed, name).toBeGreaterThanOrEqual(name === 'categorical' ? 6 : 15);
    }
  });
});
