/**
 * Items per second of discovery plus detection over the movies sample,
 * repeated to the size `init` samples (100,000 items by default):
 * `node src/discovery/measure-throughput.ts [items]`. A measurement to read,
 * not a test: nothing here asserts a speed.
 */
import { loadMovies } from '../local-stack/movie-data.ts';
import { detectPaths } from './detect.ts';
import { PathDiscovery } from './discover.ts';

const movies = await loadMovies();
const target = Number(process.argv[2] ?? 100_000);

function run(count: number): { discoverMs: number; detectMs: number; paths: number; flagged: number } {
  const started = performance.now();
  const discovery = new PathDiscovery({ keys: { partitionKey: 'year', sortKey: 'title' } });
  for (let i = 0; i < count; i++) discovery.add(movies[i % movies.length]!);
  const result = discovery.finish();
  const discovered = performance.now();
  const verdicts = detectPaths(result.paths);
  const detected = performance.now();
  return { discoverMs: discovered - started, detectMs: detected - discovered, paths: result.paths.length, flagged: verdicts.filter((v) => v.flagged).length };
}

run(movies.length); // warm-up: JIT and the dictionaries
for (let round = 0; round < 3; round++) {
  const { discoverMs, detectMs, paths, flagged } = run(target);
  const seconds = (discoverMs + detectMs) / 1000;
  console.log(
    `${target} items, ${paths} paths, ${flagged} flagged: discovery ${discoverMs.toFixed(0)} ms, detection ${detectMs.toFixed(0)} ms, ` +
      `${Math.round(target / seconds)} items/s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
  );
}
