/**
 * `npm run bench:transformers`: values per second of every built-in on one
 * core, on realistic inputs, plus the whole per-item pipeline (flatten,
 * plan, rebuild) on moviedata, plus JavaScript mappings in their sandbox
 * beside the same function run natively (by the clock, and in CPU time of
 * this process and of the sandbox process), plus identifiers in keys: permuteId
 * on values it has not seen (the loop above cycles 1,000 inputs, which its
 * memo of recent values answers), template key mappings alone, and the
 * single-table dataset through its example job. No I/O (but the sandbox's
 * process). Prints a table and writes bench/results/transformers.json.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { z } from 'zod';
import { builtinRegistry, builtinTransformers } from '../transformers/builtin/index.ts';
import { defineTransformer } from '../transformers/definition.ts';
import { SandboxPool } from '../transformers/js/sandbox-pool.ts';
import { buildPlan, type TransformPlan } from '../transformers/plan.ts';
import { createRegistry } from '../transformers/registry.ts';
import type { RuleSet, TransformerRef } from '../model/job.ts';
import type { Item } from '../model/item.ts';
import { loadMovies } from '../src/local-stack/movie-data.ts';
import { singleTableItems } from '../src/local-stack/single-table-data.ts';
import { loadJobFile } from '../src/job/job-loader.ts';
import { templateRef, templateValueFunction } from '../transformers/templates/index.ts';
import { median } from './support/median.ts';
import { processCpuMicroseconds } from './support/process-cpu.ts';
import { processRoundTripMicroseconds } from './support/process-round-trip.ts';

const N = Number(process.env.BENCH_VALUES ?? 20_000);
/** Values a copyPages page holds: 1 MB, about 2,000 moviedata items (24 pages for 50,000 in bench/partition-spread.ts). */
const COPY_PAGE_SIZE = 2_000;
/** Alternating rounds of each JavaScript measurement, of which the median counts. */
const ROUNDS = 5;

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
// Each definition brings realistic inputs (its sample), and options where it needs some.
for (const { name, sample } of builtinTransformers) {
  const fn = builtinRegistry.instantiate({ type: name, options: sample.options ?? {} }, { salt: 'bench-salt' });
  const inputs = Array.from({ length: 1_000 }, (_, i) => sample.input(i));
  let i = 0;
  const us = measure(() => void fn(inputs[i++ % inputs.length]!, ['bench']), N);
  rows.push({ transformer: name, valuesPerSecond: Math.round(1e6 / us), microsecondsPerValue: Number(us.toFixed(2)) });
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

const keys = await measureKeys();

// JavaScript: a one-line script through the sandbox (one crossing per page)
// beside the same function as a native transformer, through the same plan.
const javascript = await measureJavaScript();

const width = Math.max(...rows.map((r) => r.transformer.length));
console.log(`${'transformer'.padEnd(width)}  values/s  µs/value`);
for (const r of [...rows].sort((a, b) => b.valuesPerSecond - a.valuesPerSecond)) {
  console.log(`${r.transformer.padEnd(width)}  ${String(r.valuesPerSecond).padStart(8)}  ${r.microsecondsPerValue.toFixed(2).padStart(8)}`);
}
console.log(`\nmoviedata per item (flatten, plan, rebuild): passthrough ${pipeline.passthroughMicrosecondsPerItem} µs, demo mapping ${pipeline.demoMicrosecondsPerItem} µs`);
const js = javascript;
console.log(
  `\nJavaScript, pages of ${js.pageSize} items, one value each ({ js: "${js.script}" }; medians of ${js.rounds} alternating rounds):` +
    `\n  sandbox ${js.sandbox.valuesPerSecond} values/s (${js.sandbox.microsecondsPerValue} µs), native ${js.native.valuesPerSecond} values/s (${js.native.microsecondsPerValue} µs) through the same plan: native is ${js.nativeToSandboxRatio}× faster` +
    `\n  pages of ${js.copyPage.pageSize} (a 1 MB copy page): sandbox ${js.copyPage.sandbox.microsecondsPerValue} µs, native ${js.copyPage.native.microsecondsPerValue} µs a value: ${js.copyPage.nativeToSandboxRatio}×` +
    `\n  CPU a value over ${js.copyPage.cpuMicrosecondsPerValue.values} values: the script ${js.copyPage.cpuMicrosecondsPerValue.script.worker} µs in this process + ${js.copyPage.cpuMicrosecondsPerValue.script.sandboxProcess ?? '?'} µs in the sandbox process, native ${js.copyPage.cpuMicrosecondsPerValue.native} µs` +
    `\n  the function alone in Node: ${js.functionAlone.microsecondsPerValue} µs a value` +
    `\n  crossing: ${js.crossing.microsecondsPerPage} µs per page + ${js.crossing.microsecondsPerValue} µs per value (identity script, pages of 1 and ${js.crossing.largePage})` +
    `\n  a bare round trip to a process and back with a page of ${js.processRoundTrip.pageSize} values: ${js.processRoundTrip.microsecondsPerPage} µs (the floor under the crossing)` +
    `\n  helpers: dynamask.fullName(value) ${js.helper.sandboxMicrosecondsPerValue} µs a value, fullName in YAML ${js.helper.yamlMicrosecondsPerValue} µs`,
);

console.log(
  `\nidentifiers in keys (CPU µs a value, values never seen before):` +
    Object.entries(keys.permuteIdFresh)
      .map(([format, us]) => `\n  permuteId ${format}: ${us}`)
      .join('') +
    `\n  permuteId on a value seen recently (memo): ${keys.permuteIdRecent}; uuid (seeded fake): ${keys.uuidFresh}; hash: ${keys.hashFresh}` +
    `\n  template "ACCOUNT#{accountId}" (UUID part): ${keys.templateFresh} fresh, ${keys.templateRecent} recent; ["PROFILE", "ORDER#{date}#{orderId}"] on an order: ${keys.sortKeyTemplateFresh} fresh` +
    `\nsingle-table dataset per item (CPU µs, ${keys.pipeline.items} items, each id seen first): passthrough ${keys.pipeline.passthroughMicrosecondsPerItem} µs, pk + sk templates ${keys.pipeline.keyTemplatesMicrosecondsPerItem} µs, jobs/single-table.yaml ${keys.pipeline.exampleJobMicrosecondsPerItem} µs`,
);

const results = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  valuesPerTransformer: N,
  transformers: rows,
  moviedataPipeline: pipeline,
  keys,
  javascript,
};
const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(new URL('transformers.json', dir), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results/transformers.json');

async function measureJavaScript() {
  const pool = new SandboxPool();
  const script = 'value.toUpperCase()';
  const upper = defineTransformer({
    name: 'upperCase',
    description: 'bench: the one-line script as a native transformer',
    accepts: ['S'],
    produces: 'same',
    options: z.strictObject({}),
    dependsOnSalt: false,
    make: () => (value) => ({ S: value.S!.toUpperCase() }),
  });
  const registry = createRegistry([...builtinTransformers, upper]);
  const js = (code: string): TransformerRef => ({ type: 'js', options: { code } });
  const planOf = (transformers: Record<string, TransformerRef>) =>
    buildPlan({ transformers, defaults: {}, keyAttributes: ['id'], salt: 'bench-salt' }, registry, { sandboxes: pool });
  const pageSize = 100;
  const page = (size: number, offset = 0): Item[] =>
    Array.from({ length: size }, (_, i) => ({ id: { N: String(offset + i) }, name: { S: `Person Number ${offset + i}` } }));
  const pages = Array.from({ length: 10 }, (_, p) => page(pageSize, p * pageSize));

  /** µs per item of transformPage over `pages`, after a warm-up (the first page also starts the sandbox process). */
  const perItem = async (plan: TransformPlan, over: Item[][], values: number): Promise<number> => {
    for (let i = 0; i < 5; i++) await plan.transformPage(over[i % over.length]!);
    let items = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; items < values; i++) {
      const batch = over[i % over.length]!;
      await plan.transformPage(batch);
      items += batch.length;
    }
    return Number(process.hrtime.bigint() - start) / 1e3 / items;
  };

  /**
   * The sandbox beside native, in ROUNDS alternating rounds (each a
   * perItem), on one machine that other work shares: the median µs of each,
   * and the median of the rounds' ratios (a round's two runs see the same load).
   */
  const compare = async (sandboxPlan: TransformPlan, nativePlan: TransformPlan, over: Item[][], values: number) => {
    const sandbox: number[] = [];
    const native: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      sandbox.push(await perItem(sandboxPlan, over, values));
      native.push(await perItem(nativePlan, over, values));
    }
    return { sandboxUs: median(sandbox), nativeUs: median(native), ratio: median(sandbox.map((us, i) => us / native[i]!)) };
  };
  const pagesOf100 = await compare(planOf({ name: js(script) }), planOf({ name: { type: 'upperCase', options: {} } }), pages, N);
  // copyPages crosses into the sandbox once per page it reads.
  const copyPage = [page(COPY_PAGE_SIZE)];
  const pagesOf2000 = await compare(planOf({ name: js(script) }), planOf({ name: { type: 'upperCase', options: {} } }), copyPage, Math.max(N, COPY_PAGE_SIZE * 10));
  // Where the CPU of a copy page goes: this process (the walk, the page's JSON, the answers) and the sandbox process.
  const cpuSplit = async (plan: TransformPlan, values: number) => {
    const pid = pool.pid;
    const sandboxBefore = pid === undefined ? undefined : await processCpuMicroseconds(pid);
    const before = process.cpuUsage();
    let items = 0;
    while (items < values) {
      await plan.transformPage(copyPage[0]!);
      items += COPY_PAGE_SIZE;
    }
    const { user, system } = process.cpuUsage(before);
    const sandboxAfter = pid === undefined ? undefined : await processCpuMicroseconds(pid);
    const sandbox = sandboxBefore === undefined || sandboxAfter === undefined ? undefined : (sandboxAfter - sandboxBefore) / items;
    return { worker: (user + system) / items, sandbox };
  };
  // 400,000 values: at /proc's 10 ms grain, the sandbox's share is read to ~2%.
  const CPU_VALUES = 400_000;
  const sandboxCpu = await cpuSplit(planOf({ name: js(script) }), CPU_VALUES);
  const nativeCpu = await cpuSplit(planOf({ name: { type: 'upperCase', options: {} } }), CPU_VALUES);
  const texts = pages.flat().map((item) => item['name']!.S!);
  let t = 0;
  const aloneUs = measure(() => void texts[t++ % texts.length]!.toUpperCase(), N);

  // Crossing: an identity script, on pages of one item and of many.
  const identity = planOf({ name: js('value') });
  const single = pages.flat().map((item) => [item]);
  const large = 1_000;
  const singles: number[] = [];
  const larges: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    singles.push(await perItem(identity, single, Math.min(N, 2_000)));
    larges.push(await perItem(identity, [page(large)], Math.max(N, large * 5)));
  }
  const perSingle = median(singles);
  const perLarge = median(larges);
  const crossingPerValue = (perSingle * 1 - perLarge * large) / (1 - large);
  const crossingPerPage = perSingle - crossingPerValue;

  // The floor under crossingPerPage: a message with a page of 100 values (JSON and entries) to a process and back, nothing done there.
  const roundTripUs = await processRoundTripMicroseconds({
    page: JSON.stringify({ items: [], paths: [['name']], values: pages[0]!.map((item) => item['name']!.S!) }),
    entries: new Int32Array(pages[0]!.flatMap(() => [0, -1, 0])),
    size: pageSize,
  });

  const helperUs = await perItem(planOf({ name: js('dynamask.fullName(value)') }), pages, Math.min(N, 5_000));
  const yamlUs = await perItem(planOf({ name: { type: 'fullName', options: {} } }), pages, Math.min(N, 5_000));
  pool.close();

  const rate = (us: number) => ({ valuesPerSecond: Math.round(1e6 / us), microsecondsPerValue: Number(us.toFixed(2)) });
  return {
    script,
    pageSize,
    rounds: ROUNDS,
    sandbox: rate(pagesOf100.sandboxUs),
    native: rate(pagesOf100.nativeUs),
    nativeToSandboxRatio: Number(pagesOf100.ratio.toFixed(1)),
    copyPage: {
      pageSize: COPY_PAGE_SIZE,
      sandbox: rate(pagesOf2000.sandboxUs),
      native: rate(pagesOf2000.nativeUs),
      nativeToSandboxRatio: Number(pagesOf2000.ratio.toFixed(2)),
      cpuMicrosecondsPerValue: {
        values: CPU_VALUES,
        script: { worker: Number(sandboxCpu.worker.toFixed(2)), sandboxProcess: sandboxCpu.sandbox === undefined ? null : Number(sandboxCpu.sandbox.toFixed(2)) },
        native: Number(nativeCpu.worker.toFixed(2)),
      },
    },
    functionAlone: rate(aloneUs),
    crossing: { largePage: large, microsecondsPerPage: Number(crossingPerPage.toFixed(1)), microsecondsPerValue: Number(crossingPerValue.toFixed(2)) },
    processRoundTrip: { pageSize, microsecondsPerPage: Number(roundTripUs.toFixed(1)) },
    helper: { sandboxMicrosecondsPerValue: Number(helperUs.toFixed(2)), yamlMicrosecondsPerValue: Number(yamlUs.toFixed(2)) },
  };
}

/**
 * CPU µs a value of identifier transforms, on values never seen before (no
 * memo hit), and the single-table dataset through plans. CPU time of this
 * process rather than the clock: on a shared machine the clock also counts
 * the time other processes had the core.
 */
async function measureKeys() {
  const salt = 'bench-salt';
  const count = Math.max(N, 5_000);
  const round = (us: number) => Number(us.toFixed(2));
  const cpu = (run: () => void): number => {
    const before = process.cpuUsage();
    run();
    const { user, system } = process.cpuUsage(before);
    return user + system;
  };
  const measure = (fn: () => void, iterations: number): number => {
    for (let i = 0; i < Math.min(2_000, iterations); i++) fn();
    return cpu(() => {
      for (let i = 0; i < iterations; i++) fn();
    }) / iterations;
  };
  /** µs per call of `fn` over `count` distinct inputs, each used once, after a warm-up on others. */
  const fresh = (make: () => (input: string) => unknown, input: (i: number) => string): number => {
    const fn = make();
    for (let i = 0; i < 500; i++) fn(input(count + i));
    const inputs = Array.from({ length: count }, (_, i) => input(i));
    return cpu(() => {
      for (const value of inputs) fn(value);
    }) / count;
  };
  const valueOf = (type: string, options: Record<string, unknown> = {}) => {
    const fn = builtinRegistry.instantiate({ type, options }, { salt });
    return () => (input: string) => fn({ S: input }, ['pk']);
  };
  const hex = (i: number, width: number) => (i * 2654435761).toString(16).padStart(width, '0').slice(-width);
  const uuidOf = (i: number) => `${hex(i, 8)}-${hex(i + 7, 4)}-4${hex(i + 3, 3)}-a${hex(i + 5, 3)}-${hex(i, 6)}${hex(i + 11, 6)}`;
  const alnumOf = (i: number) => `Q${String(i).padStart(7, '0')}ZX`;
  const permuteIdFresh = {
    uuid: round(fresh(valueOf('permuteId'), uuidOf)),
    '10 digits': round(fresh(valueOf('permuteId'), (i) => String(i * 7919).padStart(10, '0'))),
    '8 digits': round(fresh(valueOf('permuteId'), (i) => String(i * 7919).padStart(8, '0'))),
    'alphanumeric (10)': round(fresh(valueOf('permuteId'), alnumOf)),
  };
  const recentFn = builtinRegistry.instantiate({ type: 'permuteId', options: {} }, { salt });
  const recentInputs = Array.from({ length: 1_000 }, (_, i) => ({ S: uuidOf(i) }));
  let r = 0;
  const permuteIdRecent = round(measure(() => void recentFn(recentInputs[r++ % recentInputs.length]!, ['pk']), N));

  const parts = { accountId: { type: 'permuteId', options: {} }, orderId: { type: 'permuteId', options: {} }, date: { type: 'passthrough', options: {} } };
  const template = (...templates: string[]) => () => {
    const instances = new Map<string, ReturnType<typeof builtinRegistry.instantiate>>();
    const fn = templateValueFunction(templateRef({ templates, parts, otherwise: 'error' }).options, (ref) => {
      const key = JSON.stringify(ref);
      if (!instances.has(key)) instances.set(key, builtinRegistry.instantiate(ref, { salt }));
      return instances.get(key)!;
    });
    return (input: string) => fn({ S: input }, ['pk']);
  };
  const templateFresh = round(fresh(template('ACCOUNT#{accountId}'), (i) => `ACCOUNT#${uuidOf(i)}`));
  const recentTemplate = template('ACCOUNT#{accountId}')();
  const recentKeys = Array.from({ length: 1_000 }, (_, i) => `ACCOUNT#${uuidOf(i)}`);
  let t = 0;
  const templateRecent = round(measure(() => void recentTemplate(recentKeys[t++ % recentKeys.length]!), N));
  const sortKeyTemplateFresh = round(fresh(template('PROFILE', 'ORDER#{date}#{orderId}'), (i) => `ORDER#2026-03-01#${alnumOf(i)}`));

  // The dataset through plans, one pass each with a fresh plan (so each identifier is new to it, as in a copy).
  const items = singleTableItems({ accounts: 1_000 });
  const job = await loadJobFile(new URL('../jobs/single-table.yaml', import.meta.url).pathname, builtinRegistry, { DYNAMASK_SALT: salt });
  const mappings = job.tables[0]!.transformers;
  const perItem = (transformers: Record<string, TransformerRef>, rules: RuleSet[] = []) => {
    const warm = buildPlan({ transformers, rules, defaults: job.defaults, keyAttributes: ['pk', 'sk'], salt: `${salt}-warm` }, builtinRegistry);
    for (const item of items.slice(0, 500)) warm.transformItem(item);
    const plan = buildPlan({ transformers, rules, defaults: job.defaults, keyAttributes: ['pk', 'sk'], salt }, builtinRegistry);
    return round(
      cpu(() => {
        for (const item of items) plan.transformItem(item);
      }) / items.length,
    );
  };
  return {
    permuteIdFresh,
    permuteIdRecent,
    uuidFresh: round(fresh(valueOf('uuid'), uuidOf)),
    hashFresh: round(fresh(valueOf('hash'), uuidOf)),
    templateFresh,
    templateRecent,
    sortKeyTemplateFresh,
    pipeline: {
      items: items.length,
      passthroughMicrosecondsPerItem: perItem({}),
      keyTemplatesMicrosecondsPerItem: perItem({ pk: mappings['pk']!, sk: mappings['sk']! }),
      exampleJobMicrosecondsPerItem: perItem(mappings, job.tables[0]!.rules),
    },
  };
}
