#!/usr/bin/env node
/**
 * dynamask's command line. Exit codes: 0 success, 1 the run failed,
 * 2 bad input (job file or usage).
 */
import { Command, CommanderError } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { builtinRegistry } from '../transformers/builtin/index.ts';
import { loadJobFile, JobFileError } from './job/job-loader.ts';
import { connectWorker, describeTarget, temporalTarget, type TemporalTarget } from './temporal-connection.ts';
import { createWorker } from './worker.ts';
import { runJobFile, type RunOptions } from './run-job.ts';
import { runDemo } from './demo.ts';
import { previewJob } from './preview.ts';
import { renderCoverage, sampleCoverage } from './sample-coverage.ts';
import { optionDocs, renderTransformerText } from './docs/transformer-reference.ts';

async function validate(files: string[], options: { sample?: number | true }): Promise<void> {
  let failed = 0;
  for (const file of files) {
    try {
      const job = await loadJobFile(file, builtinRegistry);
      console.log(`${file}: ok (job "${job.name}", ${job.tables.length} table(s))`);
      if (options.sample) {
        const limit = options.sample === true ? 20 : options.sample;
        console.log(renderCoverage(await sampleCoverage(job, builtinRegistry, limit)));
      }
    } catch (error) {
      if (!(error instanceof JobFileError)) throw error;
      failed++;
      console.error(error.message);
    }
  }
  if (failed > 0) process.exitCode = 2;
}

async function runWorker(target: TemporalTarget): Promise<void> {
  const worker = await createWorker({ connection: await connectWorker(target), namespace: target.namespace });
  console.error(`dynamask worker polling task queue "${worker.options.taskQueue}" on ${describeTarget(target)}`);
  await worker.run();
}

function oneLineReason(error: unknown): string {
  if (error instanceof WorkflowFailedError) {
    let cause: unknown = error.cause;
    while (cause instanceof Error && cause.cause instanceof Error && cause.message === '') cause = cause.cause;
    return `run failed: ${cause instanceof Error ? cause.message : error.message}`;
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export async function main(argv: string[]): Promise<number> {
  // The SDK logs every worker lifecycle event at INFO; a CLI user wants warnings only.
  Runtime.install({ logger: new DefaultLogger((process.env.DYNAMASK_LOG_LEVEL as 'WARN') ?? 'WARN') });

  const program = new Command('dynamask')
    .description('Anonymized, optionally subsetted copies of DynamoDB tables, run as Temporal workflows')
    .exitOverride();
  program
    .command('run')
    .description('start a job and wait for its summary')
    .argument('<job>', 'job file (YAML)')
    .option('--worker', 'also run a worker in this process (one-shot use)')
    .option('--json', 'print the final report as JSON')
    .action(async (file: string, options: RunOptions) => runJobFile(file, temporalTarget(), options));
  program
    .command('worker')
    .description('run a worker on the dynamask task queue')
    .action(async () => runWorker(temporalTarget()));
  program
    .command('validate')
    .description('check job files without touching any table')
    .argument('<jobs...>', 'job files')
    .option('--sample [n]', 'also read n items (default 20) of each source and list the values no mapping names', (v) => Number.parseInt(v, 10))
    .action(validate);
  program
    .command('preview')
    .description('print a few items of each table before and after the transformation; writes nothing')
    .argument('<job>', 'job file (YAML)')
    .option('--table <name>', 'only this source table')
    .option('--limit <n>', 'items per table', (v) => Number.parseInt(v, 10), 5)
    .action(async (file: string, options: { table?: string; limit: number }) => {
      const job = await loadJobFile(file, builtinRegistry);
      await previewJob(job, builtinRegistry, { ...options, color: process.stdout.isTTY === true }, (text) => console.log(text));
    });
  program
    .command('transformers')
    .description('list the built-in transformers with their types and options')
    .option('--format <format>', 'text or json', 'text')
    .action((options: { format: string }) => {
      const definitions = builtinRegistry.definitions;
      if (options.format === 'json') {
        const json = definitions.map((d) => ({ name: d.name, description: d.description, accepts: d.accepts, produces: d.produces, options: optionDocs(d) }));
        console.log(JSON.stringify(json, null, 2));
      } else {
        console.log(renderTransformerText(definitions));
      }
    });
  program
    .command('demo')
    .description('start the embedded local stack, seed a movies table and run jobs/movies-demo.yaml')
    .option('--keep-running', 'keep the local stack (and the Temporal UI) up until Ctrl-C')
    .action(async (options: { keepRunning?: boolean }) => runDemo({ keepRunning: options.keepRunning ?? false }));

  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Commander has already printed the usage problem or the help text.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof JobFileError) {
      console.error(error.message);
      return 2;
    }
    console.error(`dynamask: ${oneLineReason(error)}`);
    if (process.env.DYNAMASK_DEBUG) console.error(error);
    return 1;
  }
}

if (import.meta.main) process.exit(await main(process.argv));
