/**
 * `node bench/privacy-report.ts`: what counting the privacy report's rows
 * costs per item, and what strict mode's check of a page costs. The movies
 * through jobs/movies-demo.yaml's mappings and the single-table dataset
 * through jobs/single-table.yaml (rule sets), each transformed with and
 * without the rows counted (PlanCounts.paths, as copyPages counts them).
 * CPU time of this process, best of BENCH_ROUNDS after a warm-up; no I/O.
 */
import type { Item } from '../model/item.ts';
import { loadJobFile } from '../src/job/job-loader.ts';
import { loadMovies } from '../src/local-stack/movie-data.ts';
import { singleTableItems } from '../src/local-stack/single-table-data.ts';
import { builtinRegistry } from '../transformers/builtin/index.ts';
import { buildPlan, type PlanCounts } from '../transformers/plan.ts';
import { tableKnownNames, unnamedPaths } from '../transformers/unnamed-paths.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const salt = 'bench-salt';
const cpu = (run: () => void): number => {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return user + system;
};
/** Pages of 100 items, as copyPages transforms them, each with counts of its own. */
const PAGE = 100;
const perItem = (items: readonly Item[], each: (page: readonly Item[]) => void): number => {
  const pages = Array.from({ length: Math.ceil(items.length / PAGE) }, (_, i) => items.slice(i * PAGE, (i + 1) * PAGE));
  pages.forEach(each);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) best = Math.min(best, cpu(() => pages.forEach(each)) / items.length);
  return best;
};

async function measure(name: string, file: string, items: Item[], keyAttributes: string[]) {
  const job = await loadJobFile(new URL(`../jobs/${file}`, import.meta.url).pathname, builtinRegistry, { DYNAMASK_SALT: salt, DYNAMASK_LOCAL_ENDPOINT: 'http://localhost:8000' });
  const table = job.tables[0]!;
  const plan = buildPlan({ transformers: table.transformers, ...(table.rules && { rules: table.rules }), defaults: job.defaults, keyAttributes, salt, onTypeMismatch: table.onTypeMismatch }, builtinRegistry);
  // Alternated, so that a machine whose load changes does not favour either.
  let plain = Number.POSITIVE_INFINITY;
  let rows = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    plain = Math.min(plain, perItem(items, (page) => {
      const counts: PlanCounts = { typeMismatches: 0 };
      for (const item of page) plan.transformItem(item, counts);
    }));
    rows = Math.min(rows, perItem(items, (page) => {
      const counts: PlanCounts = { typeMismatches: 0, paths: new Map() };
      for (const item of page) plan.transformItem(item, counts);
    }));
  }
  const known = tableKnownNames(table);
  // Strict: the unmapped paths of each page, then the check.
  const strict = perItem(items, (page) => {
    const counts: PlanCounts = { typeMismatches: 0, unmapped: new Map(), paths: new Map() };
    for (const item of page) plan.transformItem(item, counts);
    unnamedPaths(counts.unmapped, known);
  });
  const us = (n: number) => Number(n.toFixed(2));
  console.log(JSON.stringify({ dataset: name, items: items.length, usPerItem: { plain: us(plain), withRows: us(rows), withRowsAndStrictCheck: us(strict) }, rowsOverheadPercent: Math.round(((rows - plain) / plain) * 100) }));
}

await measure('movies', 'movies-demo.yaml', await loadMovies(), ['year', 'title']);
await measure('single-table', 'single-table.yaml', singleTableItems({ accounts: 1_000 }), ['pk', 'sk']);
