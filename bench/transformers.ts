/**
 * `npm run bench:transformers`: values per second of every built-in on one
 * core, on realistic inputs, plus the whole per-item pipeline (flatten,
 * plan, rebuild) on moviedata. No I/O. Prints a table and writes
 * bench/results/transformers.json.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { builtinRegistry } from '../transformers/builtin/index.ts';
import { SAMPLE_INPUTS as cases } from '../transformers/builtin/sample-inputs.ts';
import { buildPlan } from '../transformers/plan.ts';
import type { TransformerRef } from '../src/job/job.ts';
import { loadMovies } from '../src/local-stack/movie-data.ts';

const N = Number(process.env.BENCH_VALUES ?? 20_000);

interface Row {
  transformer: string;
  valuesPerSecond: number;
  microsecondsPerValue: number;
}

function measure(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(2_000, iterations); i++) fn(); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
}

const rows: Row[] = [];
const missing = builtinRegistry.definitions.map((d) => d.name).filter((name) => !cases[name]);
if (missing.length > 0) throw new Error(`no bench input for: ${missing.join(', ')}`);
for (const definition of builtinRegistry.definitions) {
  const spec = cases[definition.name]!;
  const fn = builtinRegistry.instantiate({ type: definition.name, options: spec.options ?? {} }, { salt: 'bench-salt' });
  const inputs = Array.from({ length: 1_000 }, (_, i) => spec.input(i));
  let i = 0;
  const us = measure(() => void fn(inputs[i++ % inputs.length]!, ['bench']), N);
  rows.push({ transformer: definition.name, valuesPerSecond: Math.round(1e6 / us), microsecondsPerValue: Number(us.toFixed(2)) });
}

// The whole per-item path on moviedata: the demo's mapping, everything else passed through.
const movies = await loadMovies();
const ref = (type: string): TransformerRef => ({ type, options: {} });
const demoPlan = buildPlan(
  { transformers: { 'info.actors[*]': ref('fullName'), 'info.directors[*]': ref('fullName') }, defaults: {}, keyAttributes: ['year', 'title'], salt: 'bench-salt' },
  builtinRegistry,
);
const identityPlan = buildPlan({ transformers: {}, defaults: {}, keyAttributes: ['year', 'title'], salt: 'bench-salt' }, builtinRegistry);
let m = 0;
const pipeline = {
  passthroughMicrosecondsPerItem: Number(measure(() => void identityPlan.transformItem(movies[m++ % movies.length]!), N).toFixed(2)),
  demoMicrosecondsPerItem: Number(measure(() => void demoPlan.transformItem(movies[m++ % movies.length]!), N).toFixed(2)),
};

const width = Math.max(...rows.map((r) => r.transformer.length));
console.log(`${'transformer'.padEnd(width)}  values/s  µs/value`);
for (const r of [...rows].sort((a, b) => b.valuesPerSecond - a.valuesPerSecond)) {
  console.log(`${r.transformer.padEnd(width)}  ${String(r.valuesPerSecond).padStart(8)}  ${r.microsecondsPerValue.toFixed(2).padStart(8)}`);
}
console.log(`\nmoviedata per item (flatten, plan, rebuild): passthrough ${pipeline.passthroughMicrosecondsPerItem} µs, demo mapping ${pipeline.demoMicrosecondsPerItem} µs`);

const results = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  valuesPerTransformer: N,
  transformers: rows,
  moviedataPipeline: pipeline,
};
const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(new URL('transformers.json', dir), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results/transformers.json');
