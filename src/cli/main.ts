#!/usr/bin/env node
/**
 * dynamask's command line. Exit codes: 0 success, 1 the run failed,
 * 2 bad input (job file, usage or a worker setting).
 */
import { writeFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import { installWorkerLogger } from '../worker/worker-logger.ts';
import { WorkflowFailedError } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { loadJobFile, loadJobFileWithWarnings, JobFileError, renderProblem } from '../job/job-loader.ts';
import { connectClient, connectWorker, describeTarget, temporalTarget, type TemporalTarget } from '../temporal/connection.ts';
import { bundleWorkflows, createWorker } from '../worker/worker.ts';
import { bundleHeader } from '../worker/prebuilt-bundle.ts';
import { limitHeapGrowth } from '../worker/heap-growth.ts';
import { workerSettingsFromEnv, WorkerSettingsError } from '../worker/worker-settings.ts';
import { FAILURE_CONVERTER_PATH } from '../temporal/data-converter.ts';
import { runJobFile, type RunOptions } from './run-job.ts';
import { formatStatus, NotARunError, runFailure, runStatus, runStatusJson } from './status.ts';
import { registerScheduleCommands } from '../schedule/schedule-commands.ts';
import { registerCodecServerCommand } from './codec-server-command.ts';
import { registerInitCommand } from './init-command.ts';
import { registerPlanCommand } from './plan-command.ts';
import { registerSeedCommand } from './seed-command.ts';
import { registerStopCommand } from './stop-command.ts';
import { registerVerifyCommand } from './verify-command.ts';
import { runDemo } from './demo.ts';
import { previewJob } from './preview.ts';
import { renderCoverage, sampleCoverage, strictlyFailing } from './sample-coverage.ts';
import { renderTransformerText, transformerListing } from '../docs/transformer-reference.ts';

/** Exit code an action asks for; main's own, not process.exitCode, so main can run more than once in a process (tests). */
type ExitCode = 0 | 1 | 2;

async function validate(files: string[], options: { sample?: number | true }): Promise<ExitCode> {
  let failed = 0;
  // Files whose strict tables meet paths no mapping names: the job is valid, but its run would stop.
  let unnamed = 0;
  for (const file of files) {
    try {
      const { job, warnings } = await loadJobFileWithWarnings(file, builtinRegistry);
      console.log(`${file}: ok (job "${job.name}", ${job.tables.length} table(s))`);
      // Warnings do not fail validation: a demo job may keep its literal salt.
      for (const warning of warnings) console.error(`warning: ${renderProblem(warning)}`);
      if (options.sample) {
        const limit = options.sample === true ? 20 : options.sample;
        const coverage = await sampleCoverage(job, builtinRegistry, limit, file);
        console.log(renderCoverage(coverage));
        if (strictlyFailing(coverage) > 0) unnamed++;
      }
    } catch (error) {
      if (!(error instanceof JobFileError)) throw error;
      failed++;
      console.error(error.message);
    }
  }
  return failed > 0 ? 2 : unnamed > 0 ? 1 : 0;
}

async function runWorker(target: TemporalTarget): Promise<void> {
  limitHeapGrowth(workerSettingsFromEnv().heapGrowingPercent);
  const worker = await createWorker({ connection: await connectWorker(target), namespace: target.namespace });
  console.error(`dynamask worker polling task queue "${worker.options.taskQueue}" on ${describeTarget(target)}`);
  await worker.run();
}

async function status(workflowId: string, options: { json?: boolean }): Promise<ExitCode> {
  const client = await connectClient(temporalTarget());
  try {
    const run = await runStatus(client, workflowId);
    console.log(options.json ? JSON.stringify(runStatusJson(run), null, 2) : formatStatus(run));
    return run.state === 'running' || run.state === 'completed' ? 0 : 1;
  } finally {
    await client.connection.close();
  }
}

/** One line; when several of a run's tables failed, a line more for each. */
function failureReason(error: unknown): string {
  if (error instanceof WorkflowFailedError) return `run failed: ${runFailure(error).text}`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export async function main(argv: string[]): Promise<number> {
  // A long-running worker reports warnings; a one-shot command prints its own outcome, so only errors.
  const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
  installWorkerLogger((process.env.DYNAMASK_LOG_LEVEL as LogLevel | undefined) ?? (command === 'worker' ? 'WARN' : 'ERROR'));
  let code: ExitCode = 0;

  const program = new Command('dynamask')
    .description('Anonymized, optionally subsetted copies of DynamoDB tables, run as Temporal workflows')
    .exitOverride();
  program
    .command('run')
    .description('start a job and wait for its summary')
    .argument('<job>', 'job file (YAML)')
    .option('--worker', 'also run a worker in this process (one-shot use)')
    .option('--json', 'print the final report as JSON')
    .option('--seed <table=value>', 'a partition key value of source table <table> to start its subset from (repeatable; replaces the seeds the job gives it)', (value: string, all: string[] = []) => [...all, value])
    .action(async (file: string, options: RunOptions) => {
      await runJobFile(file, temporalTarget(), options);
    });
  program
    .command('follow')
    .description("start a job whose incremental tables follow their streams until stopped, and show its progress (changes applied, lag)")
    .argument('<job>', 'job file (YAML) with at least one table in mode: incremental')
    .option('--worker', 'also run a worker in this process; Ctrl-C then stops the follower (without it, Ctrl-C detaches)')
    .option('--json', 'print the final report as JSON once stopped')
    .action(async (file: string, options: RunOptions) => {
      // Ctrl-C: detach (or with --worker, stop); a second one kills the process as usual.
      const interrupt = new AbortController();
      const onInterrupt = () => interrupt.abort();
      process.once('SIGINT', onInterrupt);
      try {
        await runJobFile(file, temporalTarget(), { ...options, follow: true, interrupt: interrupt.signal });
      } finally {
        process.off('SIGINT', onInterrupt);
      }
    });
  registerStopCommand(program, { setExitCode: (c) => (code = c) });
  program
    .command('status')
    .description("show a run's progress (running) or its report (closed)")
    .argument('<workflow-id>', 'the run\'s workflow ID, as `dynamask run` printed it (dynamask/<job>/<start time>)')
    .option('--json', 'print it as JSON')
    .action(async (workflowId: string, options: { json?: boolean }) => {
      code = await status(workflowId, options);
    });
  program
    .command('worker')
    .description('run a worker on the dynamask task queue')
    .action(async () => runWorker(temporalTarget()));
  program
    .command('bundle')
    .description('write the workflow code, bundled, to a file that workers load (DYNAMASK_WORKFLOW_BUNDLE) instead of bundling it as they start')
    .argument('<file>', 'where to write the bundle')
    .option('--encrypted', 'for workers with codec keys: bundle the failure converter that encodes failure messages and stacks')
    .action(async (file: string, options: { encrypted?: boolean }) => {
      const encrypted = options.encrypted === true;
      const { code } = await bundleWorkflows({ logger: new DefaultLogger('WARN'), ...(encrypted && { failureConverterPath: FAILURE_CONVERTER_PATH }) });
      const bundle = bundleHeader(encrypted ? 'encoded' : 'default') + code;
      await writeFile(file, bundle);
      const who = encrypted ? 'the encrypting workers' : 'the workers without codec keys';
      console.error(`wrote the workflow bundle to ${file} (${Math.round(Buffer.byteLength(bundle) / 1024)} KB); set DYNAMASK_WORKFLOW_BUNDLE=${file} for ${who} of these sources`);
    });
  program
    .command('validate')
    .description('check job files without touching any table')
    .argument('<jobs...>', 'job files')
    .option('--sample [n]', 'also read n items (default 20) of each source and list the values no mapping names', (v) => Number.parseInt(v, 10))
    .action(async (files: string[], options: { sample?: number | true }) => {
      code = await validate(files, options);
    });
  program
    .command('preview')
    .description('print a few items of each table before and after the transformation; writes nothing')
    .argument('<job>', 'job file (YAML)')
    .option('--table <name>', 'only this source table')
    .option('--limit <n>', 'items per table', (v) => Number.parseInt(v, 10), 5)
    .action(async (file: string, options: { table?: string; limit: number }) => {
      const job = await loadJobFile(file, builtinRegistry);
      await previewJob(job, builtinRegistry, { ...options, color: process.stdout.isTTY === true }, (text) => console.log(text), file);
    });
  program
    .command('transformers')
    .description('list the built-in transformers with their types and options')
    .option('--format <format>', 'text or json', 'text')
    .action((options: { format: string }) => {
      const definitions = builtinRegistry.definitions;
      if (options.format === 'json') {
        console.log(JSON.stringify(transformerListing(definitions), null, 2));
      } else {
        console.log(renderTransformerText(definitions));
      }
    });
  registerScheduleCommands(program);
  registerInitCommand(program, { setExitCode: (c) => (code = c) });
  registerVerifyCommand(program, { setExitCode: (c) => (code = c) });
  registerPlanCommand(program);
  registerCodecServerCommand(program);
  registerSeedCommand(program);
  program
    .command('demo')
    .description('start the embedded local stack, seed a movies table and run jobs/movies-demo.yaml')
    .option('--keep-running', 'keep the local stack (and the Temporal UI) up until Ctrl-C')
    .action(async (options: { keepRunning?: boolean }) => runDemo({ keepRunning: options.keepRunning ?? false }));

  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    // Commander has already printed the usage problem or the help text.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof JobFileError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof NotARunError || error instanceof WorkerSettingsError) {
      console.error(`dynamask: ${error.message}`);
      return 2;
    }

    console.error(`dynamask: ${failureReason(error)}`);
    if (process.env.DYNAMASK_DEBUG) console.error(error);
    return 1;
  }
}

if (import.meta.main) process.exit(await main(process.argv));
