/**
 * `dynamask plan <job>`: what a run of the job will read, write, cost and
 * take, per table, before it runs. Reads DescribeTable and a small sample
 * of each source (read-only clients); starts no workflow and writes nothing.
 * A command of its own rather than `validate --estimate`: validate touches
 * no table, while this reads every source and takes options of its own.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { loadJobFile } from '../job/job-loader.ts';
import { DEFAULT_PRICES } from '../sizing/cost.ts';
import { renderJobEstimate } from '../sizing/render-estimate.ts';
import { DEFAULT_SAMPLE_SIZE, MAX_SAMPLE_SIZE } from '../sizing/sample-table.ts';
import { sizeJob } from '../sizing/size-job.ts';

/**
 * Items per second one worker copies. The README's benchmark measured 4,531
 * (passthrough) and 3,780 (a realistic mix of transformers with JavaScript)
 * for one worker on DynamoDB Local, 2 cores; real DynamoDB answers each
 * request more slowly, but a worker keeps several requests in flight, so its
 * CPU stays the likely limit. A round figure between the two; measure yours.
 */
export const DEFAULT_ITEMS_PER_SECOND_PER_WORKER = 4_000;

export interface PlanCommandFlags {
  table?: string;
  sample: number;
  workers: number;
  itemsPerSecondPerWorker: number;
  readPrice: number;
  writePrice: number;
  json?: boolean;
}

export function registerPlanCommand(program: Command, options: { print?: (text: string) => void; registry?: TransformerRegistry } = {}): Command {
  const print = options.print ?? ((text: string) => console.log(text));
  const registry = options.registry ?? builtinRegistry;
  return program
    .command('plan')
    .description("estimate a job's reads, writes, on-demand cost and duration per table from DescribeTable and a small sample; writes nothing")
    .argument('<job>', 'job file (YAML)')
    .option('--table <name>', 'only this source table')
    .option('--sample <n>', `items sampled per table (at most ${MAX_SAMPLE_SIZE})`, wholeNumber('--sample', MAX_SAMPLE_SIZE), DEFAULT_SAMPLE_SIZE)
    .option('--workers <n>', 'workers polling the task queue during the run', wholeNumber('--workers'), 1)
    .option('--items-per-second-per-worker <n>', 'items one worker copies per second', positiveNumber('--items-per-second-per-worker'), DEFAULT_ITEMS_PER_SECOND_PER_WORKER)
    .option('--read-price <usd>', `USD per million read request units (default: us-east-1 on-demand, ${DEFAULT_PRICES.readPerMillion})`, positiveNumber('--read-price'), DEFAULT_PRICES.readPerMillion)
    .option('--write-price <usd>', `USD per million write request units (default: us-east-1 on-demand, ${DEFAULT_PRICES.writePerMillion})`, positiveNumber('--write-price'), DEFAULT_PRICES.writePerMillion)
    .option('--json', 'print the estimate as JSON')
    .action(async (file: string, flags: PlanCommandFlags) => {
      const job = await loadJobFile(file, registry);
      const pricesSet = flags.readPrice !== DEFAULT_PRICES.readPerMillion || flags.writePrice !== DEFAULT_PRICES.writePerMillion;
      const estimate = await sizeJob(job, registry, {
        ...(flags.table !== undefined ? { table: flags.table } : {}),
        sampleSize: flags.sample,
        workers: flags.workers,
        itemsPerSecondPerWorker: flags.itemsPerSecondPerWorker,
        prices: { readPerMillion: flags.readPrice, writePerMillion: flags.writePrice, source: pricesSet ? 'as given' : DEFAULT_PRICES.source },
      });
      print(flags.json ? JSON.stringify(estimate, null, 2) : renderJobEstimate(estimate));
    });
}

function positiveNumber(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`${option}: expected a positive number, not "${value}"`);
    return n;
  };
}

function wholeNumber(option: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= 1 && n <= max)) throw new InvalidArgumentError(`${option}: expected a whole number from 1 to ${max}, not "${value}"`);
    return n;
  };
}
