/**
 * Items per second of discovery plus detection over the movies sample,
 * repeated to 100,000 items by default (`init` samples 20,000 unless told
 * otherwise; bench/init.ts measures it with its reads):
 * `node bench/discovery.ts [items]`. A measurement to read,
 * not a test: nothing here asserts a speed.
 */
import { loadMovies } from '../src/local-stack/movie-data.ts';
import { detectPaths } from '../src/discovery/detect.ts';
import { PathDiscovery } from '../src/discovery/discover.ts';

const movies = await loadMovies();
const target = Number(process.argv[2] ?? 100_000);

function run(count: number): { discoverMs: number; detectMs: number; cpuMs: number; paths: number; flagged: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const discovery = new PathDiscovery({ keys: { partitionKey: 'year', sortKey: 'title' } });
  for (let i = 0; i < count; i++) discovery.add(movies[i % movies.length]!);
  const result = discovery.finish();
  const discovered = performance.now();
  const verdicts = detectPaths(result.paths);
  const detected = performance.now();
  const { user, system } = process.cpuUsage(cpu);
  return {
    discoverMs: discovered - started,
    detectMs: detected - discovered,
    cpuMs: (user + system) / 1000,
    paths: result.paths.length,
    flagged: verdicts.filter((v) => v.flagged).length,
  };
}

run(movies.length); // warm-up: JIT and the dictionaries
for (let round = 0; round < 3; round++) {
  const { discoverMs, detectMs, cpuMs, paths, flagged } = run(target);
  const seconds = (discoverMs + detectMs) / 1000;
  // CPU time too: on a shared machine the wall clock also counts time spent waiting for a core.
  console.log(
    `${target} items, ${paths} paths, ${flagged} flagged: discovery ${discoverMs.toFixed(0)} ms, detection ${detectMs.toFixed(0)} ms, ` +
      `${Math.round(target / seconds)} items/s (${Math.round(target / (cpuMs / 1000))} per CPU second), ` +
      `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
  );
}
