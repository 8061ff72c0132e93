/**
 * How far V8 lets a worker's old generation grow past what survived its last
 * full collection before it collects again. V8 picks that factor itself, up
 * to 4×, from how fast it collects against how fast the process allocates; a
 * copying worker allocates fast (every page decoded, mapped and encoded
 * again), so V8 picks near the top and a worker with ~100 MB live grew to
 * ~370 MiB in the copy benchmark. A fixed factor of 1.2 held the same copy
 * to ~280 MiB, for more frequent full collections (README, Performance).
 *
 * Node refuses `--heap-growing-percent` in NODE_OPTIONS, so `dynamask worker`
 * sets it for itself as it starts, before the copy allocates: V8 reads the
 * factor each time it works out the next limit. Only the CLI's worker does
 * this; a process that embeds createWorker keeps its own heap settings.
 */
import { setFlagsFromString } from 'node:v8';

const FLAG = '--heap-growing-percent';

/**
 * Sets V8's heap growing factor to 1 + percent/100 for this process, unless
 * percent is 0 (V8's own choice) or Node was started with the flag, which
 * then wins. Says whether it set it.
 */
export function limitHeapGrowth(percent: number, execArgv: readonly string[] = process.execArgv): boolean {
  if (percent === 0 || execArgv.some(isGrowthFlag)) return false;
  setFlagsFromString(`${FLAG}=${percent}`);
  return true;
}

/** V8 reads `_` and `-` in a flag's name alike: `--heap_growing_percent=50` is the same flag. */
function isGrowthFlag(arg: string): boolean {
  const name = arg.split('=', 1)[0]!.replaceAll('_', '-');
  return name === FLAG;
}
