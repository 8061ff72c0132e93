/**
 * `dynamask schedule ...`: the commander group that turns job files into
 * Temporal Schedules and manages them. Errors are thrown for src/cli/main.ts to
 * render: JobFileError (bad job files, specs Temporal refuses, bad `<job>`
 * arguments) exits 2, anything else (Temporal unreachable, no such
 * schedule) exits 1.
 */
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { Env } from '../job/interpolate.ts';
import { JobFileError } from '../job/job-loader.ts';
import { ensureSearchAttributes } from '../temporal/search-attributes.ts';
import { connectClient, describeTarget, taskQueueFromEnv, temporalTarget, type TemporalTarget } from '../temporal/connection.ts';
import { loadJobsForSchedules, resolveJobName } from './job-files.ts';
import { applySchedule } from './schedule-apply.ts';
import { deleteSchedule, listSchedules, pauseSchedule, triggerSchedule, unpauseSchedule, type ScheduleListEntry } from './schedule-operations.ts';

export interface ScheduleCommandOptions {
  /** Where Temporal is; default: Temporal's environment configuration. */
  target?: () => TemporalTarget;
  /** Job interpolation and DYNAMASK_TASK_QUEUE; default: process.env. */
  env?: Env;
  print?: (line: string) => void;
  printError?: (line: string) => void;
}

export function registerScheduleCommands(program: Command, options: ScheduleCommandOptions = {}): Command {
  const target = options.target ?? (() => temporalTarget());
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => console.log(line));
  const printError = options.printError ?? ((line: string) => console.error(line));

  async function withClient<T>(use: (client: Client, where: TemporalTarget) => Promise<T>): Promise<T> {
    const where = target();
    const client = await connectClient(where);
    try {
      return await use(client, where);
    } finally {
      await client.connection.close();
    }
  }

  const schedule = program
    .command('schedule')
    .description('run jobs on Temporal Schedules: one schedule per job with a `schedule:`, ID dynamask/<job>');

  schedule
    .command('apply')
    .description('create or update the schedules of job files; a folder stands for its .yaml files')
    .argument('<jobs...>', 'job files or folders')
    .action(async (paths: string[]) => {
      // Every file is loaded and checked before Temporal is touched.
      const { scheduled, unscheduled } = await loadJobsForSchedules(paths, env);
      for (const { file, job } of unscheduled) print(`${file}: skipped, job "${job.name}" has no schedule`);
      if (scheduled.length === 0) return;
      await withClient(async (client, where) => {
        const attributes = await ensureSearchAttributes(client.connection, where.namespace);
        if (attributes.added.length > 0) printError(`registered search attributes ${attributes.added.join(', ')} on namespace ${where.namespace}`);
        if (attributes.unchecked) printError(`warning: ${attributes.unchecked}; the schedules need DynamaskJob and DynamaskTable registered`);
        const taskQueue = taskQueueFromEnv(env as NodeJS.ProcessEnv);
        for (const { file, job } of scheduled) {
          const result = await applySchedule(client, job, { taskQueue }).catch((error: unknown) => {
            // The SDK's word for a spec the server (or its own encoder) refuses, such as a cron field out of range.
            if (error instanceof TypeError) {
              throw new JobFileError(file, [{ file, path: 'schedule', message: `Temporal refused the schedule: ${error.message}` }], { cause: error });
            }
            throw new Error(`${file}: cannot apply the schedule of job "${job.name}" on ${describeTarget(where)}`, { cause: error });
          });
          print(`${result.scheduleId}: ${result.outcome}${result.outcome === 'unchanged' ? '' : ` (${result.specText}, task queue ${taskQueue})`}`);
        }
      });
    });

  schedule
    .command('list')
    .description("list dynamask's schedules: spec, paused, next run, last run")
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const entries = await withClient((client) => listSchedules(client));
      if (flags.json) print(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) print('no dynamask schedules');
      else print(renderScheduleList(entries));
    });

  schedule
    .command('trigger')
    .description('start a run of the job now, under the schedule\'s overlap policy')
    .argument('<job>', 'job name or job file')
    .action(async (ref: string) => {
      const jobName = await resolveJobName(ref);
      const result = await withClient((client) => triggerSchedule(client, jobName));
      if (result.alreadyRunning) print(`${result.scheduleId}: ${result.alreadyRunning.workflowId} is still running; overlap policy ${result.alreadyRunning.overlap} applies`);
      if (result.started) print(`${result.scheduleId}: triggered, started ${result.started.workflowId}`);
      else if (!result.alreadyRunning) print(`${result.scheduleId}: triggered`);
    });

  schedule
    .command('delete')
    .description('delete the job\'s schedule (runs already started go on)')
    .argument('<job>', 'job name or job file')
    .action(async (ref: string) => {
      const jobName = await resolveJobName(ref);
      print(`${await withClient((client) => deleteSchedule(client, jobName))}: deleted`);
    });

  for (const [name, act] of [
    ['pause', pauseSchedule],
    ['unpause', unpauseSchedule],
  ] as const) {
    schedule
      .command(name)
      .description(name === 'pause' ? 'stop starting runs until unpaused' : 'start runs on the schedule again')
      .argument('<job>', 'job name or job file')
      .option('--note <text>', 'why, shown in the Temporal UI and by schedule list')
      .action(async (ref: string, flags: { note?: string }) => {
        const jobName = await resolveJobName(ref);
        print(`${await withClient((client) => act(client, jobName, flags.note))}: ${name}d`);
      });
  }
  return schedule;
}

export function renderScheduleList(entries: readonly ScheduleListEntry[]): string {
  const rows = [
    ['SCHEDULE', 'SPEC', 'PAUSED', 'NEXT RUN', 'LAST RUN'],
    ...entries.map((e) => [
      e.scheduleId,
      e.spec,
      e.paused ? `yes${e.note ? ` (${e.note})` : ''}` : 'no',
      e.paused || !e.nextRunAt ? '-' : e.nextRunAt.toISOString(),
      e.lastRun ? `${e.lastRun.status} ${e.lastRun.startedAt.toISOString()}` : '-',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}
