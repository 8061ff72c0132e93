/**
 * JavaScript mappings through real workflows on one worker: scripts that
 * loop, allocate, reach for Node or throw each fail their run with a clear
 * error naming table, path and key attributes (never values), and the same
 * worker then runs a job with scripts to completion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { sharedSandboxPool } from '../../transformers/js/sandbox-pool.ts';
import { startRun } from '../../src/client/runs.ts';
import type { Item } from '../../model/item.ts';
import { JobFileError, parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { previewJob } from '../../src/cli/preview.ts';
import { sampleCoverage } from '../../src/cli/sample-coverage.ts';
import { ScriptError } from '../../transformers/js/plan-scripts.ts';
import { connectTestStack, movieKey, scanAll, type TestStack } from '../support/stack.ts';

const SOURCE = 'E2eJsMovies';
const DESTINATION = 'E2eJsMoviesCopy';

function jobYaml(endpoint: string, name: string, transformers: string): string {
  return `
name: ${name}
connections:
  local:
    endpoint: ${endpoint}
source: local
destination: local
salt: e2e-js-salt
defaults: { S: passthrough, SS: passthrough }
tables:
  - source: ${SOURCE}
    destination: ${DESTINATION}
    transformers:
${transformers}
`;
}

/** Every message down the cause chain: the workflow's, its child's, the activity's. */
function messages(error: unknown): string {
  const out: string[] = [];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) out.push(cause.message);
  return out.join(' <- ');
}

describe('JavaScript mappings on a worker', () => {
  let stack: TestStack;
  let source: Item[];

  beforeAll(async () => {
    stack = await connectTestStack('e2e-js-sandbox');
    // A page's worth of movies with a rating and actors keeps this quick.
    source = (await loadMovies()).filter((movie) => movie.info?.M?.rating && movie.info.M.actors).slice(0, 150);
    await seedTable(stack.dynamo, SOURCE, source);
  });
  afterAll(async () => {
    await stack?.close();
    sharedSandboxPool().close();
  });

  const place = `table "${SOURCE}" -> "${DESTINATION}" failed while copying, after 0 items read and 0 written: info.rating of the item with key year, title`;
  const unavailable = 'is not available in the sandbox: scripts get no modules, process, console, network, file system or timers';
  const cases: [string, string, RegExp][] = [
    ['an endless loop', 'while (true) {}', /ran longer than sandbox\.timeoutMs \(100 ms\) on one value and was stopped/],
    ['allocation without bound', 'const all = []; for (;;) all.push(new Array(1e5).fill(1.5));', /(ran longer than sandbox\.timeoutMs|used more than sandbox\.memoryLimitMb \(64 MB\))/],
    ['a 1 GB array that V8 cannot interrupt', 'new Array(1e9).fill(0)', /did not stop within sandbox\.timeoutMs \(100 ms\) and could not be interrupted; the sandbox process was killed and restarted/],
    ['a 1 GB buffer', 'new Uint8Array(1024 ** 3)', /threw RangeError at line 1, column 1: Array buffer allocation failed/],
    ['require', "require('fs').readFileSync('/etc/passwd')", new RegExp(`failed: require ${unavailable}`)],
    ['process.exit', 'process.exit(1)', new RegExp(`failed: process ${unavailable}`)],
    ['the Function constructor', "globalThis.constructor.constructor('return process')().exit(1)", new RegExp(`failed: process ${unavailable}`)],
    ['a thrown error', "throw new TypeError('bad rating')", /threw TypeError at line 1, column 7: bad rating/],
  ];

  it.each(cases)('%s fails the run with a clear error', async (name, code, expected) => {
    await recreateTable(stack.dynamo, DESTINATION);
    const jobName = `e2e-js-${name.replace(/[^a-z0-9]+/gi, '-')}`;
    const job = parseJob(jobYaml(stack.dynamoEndpoint, jobName, `      info.rating: { js: ${JSON.stringify(code)} }`), 'e2e-js.yaml', builtinRegistry);
    const handle = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
    const error = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const text = messages(error);
    expect(text).toContain(`${place}`);
    expect(text).toMatch(expected);
    // Names, never values: no title, year or rating of the source shows.
    for (const movie of source) expect(text).not.toContain(movie.title!.S!);
    expect((await scanAll(stack.dynamo, DESTINATION)).length).toBe(0);
  });

  it('refuses a script with a syntax error before any run starts', () => {
    const text = jobYaml(stack.dynamoEndpoint, 'e2e-js-syntax', '      info.rating:\n        js: |\n          const x = value * 2;\n          return x +;');
    expect(() => parseJob(text, 'e2e-js.yaml', builtinRegistry)).toThrow(JobFileError);
    expect(() => parseJob(text, 'e2e-js.yaml', builtinRegistry)).toThrow(
      "e2e-js.yaml:17 tables[0].transformers[\"info.rating\"].js: JavaScript syntax error at line 2, column 11 of the script: Unexpected token ';'",
    );
  });

  it('previews scripts: their output, and a failing script with its message in full', async () => {
    const transformers = ['      info.actors: { js: "value.map((name) => name.toUpperCase())" }', '      info.plot: { js: "JSON.parse(value)" }'].join('\n');
    const job = parseJob(jobYaml(stack.dynamoEndpoint, 'e2e-js-preview', transformers), 'e2e-js.yaml', builtinRegistry);
    const lines: string[] = [];
    await previewJob(job, builtinRegistry, { limit: 2, color: false }, (text) => lines.push(text));
    const text = lines.join('\n');
    // Preview prints values anyway, so the message JSON.parse gave is shown, with the key.
    expect(text).toMatch(/item 1 \(year=\d+, title="[^"]+"\): info\.plot of the item year=\d+, title="[^"]+": the js mapping of "info\.plot" threw SyntaxError at line 1, column 6: .* is not valid JSON/);
    const ok = parseJob(jobYaml(stack.dynamoEndpoint, 'e2e-js-preview', transformers.split('\n')[0]!), 'e2e-js.yaml', builtinRegistry);
    lines.length = 0;
    await previewJob(ok, builtinRegistry, { limit: 1, color: false, width: 200 }, (text) => lines.push(text));
    const row = lines.join('\n').split('\n').find((line) => line.includes('info.actors[0]'))!;
    const [, before, after] = /"([^"]+)"\s+"([^"]+)"/.exec(row)!;
    expect(after).toBe(before!.toUpperCase());
    expect(row.startsWith('*')).toBe(true);
  });

  it('runs scripts over the sample of validate --sample, so a script that fails on real data fails there', async () => {
    const good = parseJob(jobYaml(stack.dynamoEndpoint, 'e2e-js-sample', '      info.actors: { js: "value.map((name) => name.length)" }'), 'e2e-js.yaml', builtinRegistry);
    const [coverage] = await sampleCoverage(good, builtinRegistry, 5);
    expect(coverage).toEqual(expect.objectContaining({ source: SOURCE, sampled: 5 }));
    expect(coverage!.unmapped.map((row) => row.path)).not.toContain('info.actors[*]');
    const bad = parseJob(jobYaml(stack.dynamoEndpoint, 'e2e-js-sample', '      info.plot: { js: "JSON.parse(value)" }'), 'e2e-js.yaml', builtinRegistry);
    const error = await sampleCoverage(bad, builtinRegistry, 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as Error).message).toMatch(/^info\.plot of the item with key year, title: the js mapping of "info\.plot" threw SyntaxError at line 1, column 6 \(its message is not shown/);
  });

  it('then runs a job with scripts to completion on the same worker', async () => {
    await recreateTable(stack.dynamo, DESTINATION);
    const transformers = [
      '      info.actors: { js: "value.map((name) => dynamask.fullName(name))" }',
      '      label: { jsGenerate: "`$${item.title} ($${item.year})`" }',
      '      info.rating: { js: "Math.round(value * 10) / 10 + 1" }',
    ].join('\n');
    const job = parseJob(jobYaml(stack.dynamoEndpoint, 'e2e-js-success', transformers), 'e2e-js.yaml', builtinRegistry);
    const result = await (await startRun(stack.client, job, { taskQueue: stack.taskQueue })).result();
    expect(result.tables).toEqual([expect.objectContaining({ source: SOURCE, read: source.length, written: source.length })]);
    const written = new Map((await scanAll(stack.dynamo, DESTINATION)).map((item) => [movieKey(item), item]));
    expect(written.size).toBe(source.length);
    for (const before of source) {
      const after = written.get(movieKey(before))!;
      expect(after['label']).toEqual({ S: `${before.title!.S} (${before.year!.N})` });
      const names = after.info!.M!.actors!.L!.map((actor) => actor.S);
      expect(names).toHaveLength(before.info!.M!.actors!.L!.length);
      names.forEach((name, i) => expect(name).not.toBe(before.info!.M!.actors!.L![i]!.S));
      expect(Number(after.info!.M!.rating!.N)).toBeCloseTo(Math.round(Number(before.info!.M!.rating!.N) * 10) / 10 + 1, 10);
    }
  });
});
