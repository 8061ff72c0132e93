/**
 * `npm run bench`: the transformers alone, then the copy benchmark on the
 * local stack, then mode incremental against a full copy (bench/incremental.ts,
 * with its defaults). Flags are the copy benchmark's (see bench/copy.ts).
 */
import { parseCopyBenchArgs, runCopyBench } from './copy.ts';
import { runIncrementalBench } from './incremental.ts';

// Parse first: a bad flag should fail before minutes of measuring.
const options = parseCopyBenchArgs(process.argv.slice(2));
// bench/transformers.ts measures and writes its results as it loads.
await import('./transformers.ts');
console.log('');
await runCopyBench(options);
console.log('');
await runIncrementalBench([]);
