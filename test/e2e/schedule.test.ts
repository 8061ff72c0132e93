/**
 * Job schedules on the real dev server: apply is idempotent and follows
 * changes, a trigger starts a run that completes, list/pause/unpause/delete
 * work, and bad input stops before anything is written. Every test uses job
 * names of its own, so nothing depends on the order they run in.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Command } from 'commander';
import { Connection, ScheduleNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time.js';
import { JobFileError, parseJob } from '../../src/job/job-loader.ts';
import { recreateTable } from '../../src/local-stack/seed.ts';
import { loadJobsForSchedules } from '../../src/schedule/job-files.ts';
import { applySchedule } from '../../src/schedule/schedule-apply.ts';
import { registerScheduleCommands } from '../../src/schedule/schedule-commands.ts';
import { deleteSchedule, listSchedules, NoScheduleError, pauseSchedule, triggerSchedule, unpauseSchedule } from '../../src/schedule/schedule-operations.ts';
import { DIGEST_MEMO, scheduleIdForJob } from '../../src/schedule/schedule-options.ts';
import { seedMovies } from '../../src/cli/seed-command.ts';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes.ts';
import { temporalTarget } from '../../src/temporal/connection.ts';
import type { RefreshJobInput, RefreshJobResult } from '../../workflows/shared.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from '../../workflows/search-attributes.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const RUN = randomUUID().slice(0, 8);
/** Far from any test run: Jan 1st, 03:00. */
const NEVER_SOON = '0 3 1 1 *';

function jobYaml(name: string, endpoint: string, schedule: string | undefined, table = { source: 'SchedMovies', destination: 'SchedMoviesCopy' }): string {
  return `
name: ${name}
connections:
  local: { endpoint: ${endpoint} }
source: local
destination: local
salt: schedule-test
# A literal salt in a schedule is for tests and demos: schedule apply wants the opt-in.
allowLiteralSalt: true
defaults: { S: passthrough, SS: passthrough }
tables:
  - source: ${table.source}
    destination: ${table.destination}
    transformers:
      info.actors[*]: fullName
${schedule === undefined ? '' : `schedule:\n${schedule.replace(/^/gm, '  ')}\n`}`;
}

describe('schedules from job files', () => {
  let stack: TestStack;
  let dir: string;
  const created = new Set<string>();

  const job = (name: string, schedule: string | undefined, table?: { source: string; destination: string }) =>
    parseJob(jobYaml(name, stack.dynamoEndpoint, schedule, table), `${name}.yaml`);
  const describeSchedule = (name: string) => stack.client.schedule.getHandle(scheduleIdForJob(name)).describe();
  const apply = async (name: string, schedule: string, table?: { source: string; destination: string }) => {
    created.add(name);
    return applySchedule(stack.client, job(name, schedule, table), { taskQueue: stack.taskQueue });
  };

  beforeAll(async () => {
    stack = await connectTestStack('e2e-schedule');
    dir = await mkdtemp(join(tmpdir(), 'dynamask-schedule-'));
  });
  afterAll(async () => {
    if (stack) {
      for (const name of created) await deleteSchedule(stack.client, name).catch(() => undefined);
      await stack.close();
    }
  });

  it('applies a job once: a second apply changes nothing', async () => {
    const name = `apply-twice-${RUN}`;
    const first = await apply(name, `cron: "${NEVER_SOON}"\ntimezone: Europe/Berlin\njitter: 90s\noverlap: bufferOne`);
    expect(first).toEqual({ scheduleId: `dynamask/${name}`, outcome: 'created', specText: `cron "${NEVER_SOON}" Europe/Berlin, jitter 90s, overlap bufferOne` });
    const before = await describeSchedule(name);
    expect(await apply(name, `cron: "${NEVER_SOON}"\ntimezone: Europe/Berlin\njitter: 90s\noverlap: bufferOne`)).toMatchObject({ outcome: 'unchanged' });
    const after = await describeSchedule(name);
    expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);

    // The whole job travels in the schedule, so it never depends on a file.
    expect(after.action.workflowType).toBe('refreshJob');
    expect((after.action.args as RefreshJobInput[])[0]!.job).toEqual(job(name, `cron: "${NEVER_SOON}"\ntimezone: Europe/Berlin\njitter: 90s\noverlap: bufferOne`));
    expect(after.action.taskQueue).toBe(stack.taskQueue);
    expect(after.action.workflowId).toBe(`dynamask/${name}`);
    expect(after.action.staticSummary).toContain('SchedMovies -> SchedMoviesCopy');
    expect(typed(after.action.typedSearchAttributes).get(DYNAMASK_JOB)).toBe(name);
    expect(typed(after.action.typedSearchAttributes).get(DYNAMASK_TABLE)).toEqual(['SchedMovies']);
    expect(after.typedSearchAttributes.get(DYNAMASK_JOB)).toBe(name);
    expect(after.spec.timezone).toBe('Europe/Berlin');
    expect(after.spec.jitter).toBe(90_000);
    expect(after.policies.overlap).toBe('BUFFER_ONE');
    expect(after.state.paused).toBe(false);

    await expect.poll(async () => (await listSchedules(stack.client)).filter((s) => s.scheduleId === `dynamask/${name}`).length, { timeout: 15_000 }).toBe(1);
  });

  it('updates the schedule when the cron or the job changes', async () => {
    const name = `apply-change-${RUN}`;
    expect((await apply(name, 'cron: "0 3 1 1 *"')).outcome).toBe('created');
    const digest = (await describeSchedule(name)).action.memo?.[DIGEST_MEMO];

    expect(await apply(name, 'cron: "30 4 1 1 *"')).toMatchObject({ outcome: 'updated', specText: 'cron "30 4 1 1 *" UTC, overlap skip' });
    const updated = await describeSchedule(name);
    expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(updated.action.memo?.[DIGEST_MEMO]).not.toBe(digest);
    expect((await apply(name, 'cron: "30 4 1 1 *"')).outcome).toBe('unchanged');

    // The same cron with another job (a table renamed) is a change too.
    expect((await apply(name, 'cron: "30 4 1 1 *"', { source: 'SchedMovies', destination: 'SchedMoviesOther' })).outcome).toBe('updated');
    expect(((await describeSchedule(name)).action.args as RefreshJobInput[])[0]!.job.tables[0]!.destination).toBe('SchedMoviesOther');

    // An interval instead of a cron.
    expect((await apply(name, 'every: 6h')).outcome).toBe('updated');
    expect((await describeSchedule(name)).spec.intervals).toMatchObject([{ every: 6 * 3_600_000 }]);
  });

  it('pauses and unpauses with a note; an unchanged re-apply keeps the pause, a job asking for it creates it paused', async () => {
    const name = `pause-${RUN}`;
    await apply(name, `cron: "${NEVER_SOON}"`);
    await pauseSchedule(stack.client, name, 'staging is being migrated');
    expect((await describeSchedule(name)).state).toMatchObject({ paused: true, note: 'staging is being migrated' });
    expect((await apply(name, `cron: "${NEVER_SOON}"`)).outcome).toBe('unchanged');
    expect((await describeSchedule(name)).state.paused).toBe(true);
    await unpauseSchedule(stack.client, name);
    expect((await describeSchedule(name)).state.paused).toBe(false);

    const pausedByJob = `paused-by-job-${RUN}`;
    await apply(pausedByJob, `cron: "${NEVER_SOON}"\npaused: true`);
    expect((await describeSchedule(pausedByJob)).state).toMatchObject({ paused: true, note: 'paused in the job file' });
  });

  it('triggers a run that completes, and lists its status', async () => {
    const name = `trigger-${RUN}`;
    const table = { source: `SchedTrigger${RUN}`, destination: `SchedTriggerCopy${RUN}` };
    expect(await seedMovies({ endpoint: stack.dynamoEndpoint, table: table.source, limit: 40 })).toBe(40);
    await recreateTable(stack.dynamo, table.destination);
    await apply(name, `cron: "${NEVER_SOON}"`, table);

    const triggered = await triggerSchedule(stack.client, name);
    expect(triggered.alreadyRunning).toBeUndefined();
    expect(triggered.started?.workflowId).toMatch(new RegExp(`^dynamask/${name}-`));
    const handle = stack.client.workflow.getHandle(triggered.started!.workflowId, undefined, { firstExecutionRunId: triggered.started!.runId });
    const result = (await handle.result()) as RefreshJobResult;
    expect(result.tables).toEqual([expect.objectContaining({ source: table.source, destination: table.destination, read: 40, written: 40 })]);
    expect(await scanAll(stack.dynamo, table.destination)).toHaveLength(40);
    expect((await handle.describe()).typedSearchAttributes.get(DYNAMASK_JOB)).toBe(name);

    const entry = (await listSchedules(stack.client)).find((s) => s.jobName === name);
    expect(entry?.lastRun).toMatchObject({ workflowId: triggered.started!.workflowId, status: 'COMPLETED' });
  });

  it('lists and deletes; a missing schedule is named in the error', async () => {
    const a = `list-a-${RUN}`;
    const b = `list-b-${RUN}`;
    await apply(a, `cron: "${NEVER_SOON}"`);
    await apply(b, 'every: 12h\njitter: 1m');
    await expect
      .poll(async () => (await listSchedules(stack.client)).filter((s) => s.jobName === a || s.jobName === b).map((s) => [s.scheduleId, s.spec, s.paused]), { timeout: 15_000 })
      .toEqual([
        [`dynamask/${a}`, `cron "${NEVER_SOON}" UTC, overlap skip`, false],
        [`dynamask/${b}`, 'every 12h UTC, jitter 1m, overlap skip', false],
      ]);
    const listed = (await listSchedules(stack.client)).find((s) => s.jobName === b)!;
    expect(listed.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect(listed.lastRun).toBeUndefined();

    expect(await deleteSchedule(stack.client, a)).toBe(`dynamask/${a}`);
    await expect(describeSchedule(a)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const missing = `no schedule "dynamask/${a}" in namespace "${inject('temporalNamespace')}"`;
    await expect(deleteSchedule(stack.client, a)).rejects.toThrow(missing);
    await expect(triggerSchedule(stack.client, a)).rejects.toBeInstanceOf(NoScheduleError);
    await expect(pauseSchedule(stack.client, a)).rejects.toThrow(missing);
    await expect.poll(async () => (await listSchedules(stack.client)).some((s) => s.jobName === a), { timeout: 15_000 }).toBe(false);
  });

  it('refuses bad input before writing anything', async () => {
    const good = `bad-input-good-${RUN}`;
    const folder = join(dir, 'bad-input');
    await mkdir(folder);
    await writeFile(join(folder, 'a-good.yaml'), jobYaml(good, stack.dynamoEndpoint, `cron: "${NEVER_SOON}"`));
    await writeFile(join(folder, 'b-zone.yaml'), jobYaml(`bad-input-zone-${RUN}`, stack.dynamoEndpoint, `cron: "${NEVER_SOON}"\ntimezone: Mars/Olympus_Mons`));
    await writeFile(join(folder, 'c-twin.yaml'), jobYaml(good, stack.dynamoEndpoint, 'every: 1h'));
    const error = await loadJobsForSchedules([folder]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFileError);
    expect((error as JobFileError).message.split('\n')).toEqual([
      `${join(folder, 'b-zone.yaml')} schedule.timezone: unknown time zone "Mars/Olympus_Mons"; expected an IANA name such as UTC or Europe/Berlin`,
      `${join(folder, 'c-twin.yaml')} name: job "${good}" is also defined in ${join(folder, 'a-good.yaml')}; one schedule per job name`,
    ]);

    const cli = cliRunner(() => ({ address: inject('temporalAddress'), namespace: inject('temporalNamespace') }));
    await expect(cli.run('schedule', 'apply', folder)).rejects.toBeInstanceOf(JobFileError);
    await expect(describeSchedule(good)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(cli.lines).toEqual([]);

    // A cron field out of range is caught by the loader, at its line, before Temporal is asked.
    const outOfRange = join(dir, 'out-of-range.yaml');
    await writeFile(outOfRange, jobYaml(`bad-input-cron-${RUN}`, stack.dynamoEndpoint, 'cron: "61 * * * *"'));
    const refused = await cli.run('schedule', 'apply', outOfRange).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JobFileError);
    expect((refused as JobFileError).message).toBe(`${outOfRange}:17 schedule.cron: minute 61 is out of range 0-59`);
    await expect(describeSchedule(`bad-input-cron-${RUN}`)).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('works through the command line: apply a folder, list, pause, delete', async () => {
    const name = `cli-${RUN}`;
    created.add(name);
    const folder = join(dir, 'cli');
    await mkdir(folder);
    const scheduledFile = join(folder, 'scheduled.yaml');
    await writeFile(scheduledFile, jobYaml(name, stack.dynamoEndpoint, `cron: "${NEVER_SOON}"`));
    await writeFile(join(folder, 'once.yml'), jobYaml(`cli-once-${RUN}`, stack.dynamoEndpoint, undefined));
    await writeFile(join(folder, 'notes.txt'), 'not a job');
    const cli = cliRunner(() => ({ address: inject('temporalAddress'), namespace: inject('temporalNamespace') }));

    await cli.run('schedule', 'apply', folder);
    expect(cli.take()).toEqual([
      `${join(folder, 'once.yml')}: skipped, job "cli-once-${RUN}" has no schedule`,
      `dynamask/${name}: created (cron "${NEVER_SOON}" UTC, overlap skip, task queue ${stack.taskQueue})`,
    ]);
    await cli.run('schedule', 'apply', scheduledFile);
    expect(cli.take()).toEqual([`dynamask/${name}: unchanged`]);

    await expect
      .poll(
        async () => {
          await cli.run('schedule', 'list');
          return cli.take().join('\n');
        },
        { timeout: 15_000 },
      )
      .toMatch(new RegExp(`^SCHEDULE +SPEC +PAUSED +NEXT RUN +LAST RUN\n(.*\n)*dynamask/${name} +${escapeRegExp(`cron "${NEVER_SOON}" UTC, overlap skip`)} +no +\\d{4}-01-01T03:00:00\\.000Z +-$`, 'm'));

    await cli.run('schedule', 'pause', scheduledFile, '--note', 'quiet week');
    expect(cli.take()).toEqual([`dynamask/${name}: paused`]);
    expect((await describeSchedule(name)).state).toMatchObject({ paused: true, note: 'quiet week' });
    await cli.run('schedule', 'unpause', name);
    expect(cli.take()).toEqual([`dynamask/${name}: unpaused`]);

    await cli.run('schedule', 'delete', scheduledFile);
    expect(cli.take()).toEqual([`dynamask/${name}: deleted`]);
    await expect(cli.run('schedule', 'delete', name)).rejects.toThrow(`no schedule "dynamask/${name}"`);
    await expect(cli.run('schedule', 'trigger', 'not a job name!')).rejects.toThrow('neither a job file nor a job name');
    await expect(cli.run('schedule', 'trigger', join(folder, 'missing.yaml'))).rejects.toBeInstanceOf(JobFileError);
  });

  it('says where it tried when Temporal is unreachable', async () => {
    const port = await closedPort();
    const cli = cliRunner(() => ({ address: `127.0.0.1:${port}`, namespace: 'default' }));
    await expect(cli.run('schedule', 'list')).rejects.toThrow(`cannot reach Temporal at 127.0.0.1:${port} (namespace default)`);
  });

  it('registers the search attributes on a namespace that lacks them', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      expect(await ensureSearchAttributes(connection, inject('temporalNamespace'))).toEqual({ added: [] });
      const namespace = `dynamask-sa-${RUN}`;
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
      // A new namespace reaches every service of the dev server after its cache refreshes.
      await expect.poll(() => ensureSearchAttributes(connection, namespace).catch((e: unknown) => String(e)), { timeout: 30_000, interval: 500 }).toEqual({
        added: ['DynamaskJob', 'DynamaskTable'],
      });
      const listed = await connection.operatorService.listSearchAttributes({ namespace });
      expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(['DynamaskJob', 'DynamaskTable']));
      expect(await ensureSearchAttributes(connection, namespace)).toEqual({ added: [] });
    } finally {
      await connection.close();
    }
  });

  it('applies the example job jobs/nightly-staging.yaml', async () => {
    const file = fileURLToPath(new URL('../../jobs/nightly-staging.yaml', import.meta.url));
    const env = { PROD_DYNAMODB_ENDPOINT: 'http://prod.invalid:8000', STAGING_DYNAMODB_ENDPOINT: 'http://staging.invalid:8000', DYNAMASK_SALT: 'x' };
    const { scheduled } = await loadJobsForSchedules([file], env);
    const nightly = scheduled[0]!.job;
    created.add(nightly.name);
    expect(await applySchedule(stack.client, nightly, { taskQueue: stack.taskQueue })).toMatchObject({ scheduleId: 'dynamask/nightly-staging', outcome: 'created' });
    const description = await describeSchedule(nightly.name);
    expect(description.spec).toMatchObject({ timezone: 'Europe/Berlin', jitter: 300_000 });
    expect(description.policies.overlap).toBe('SKIP');
    expect((description.action.args as RefreshJobInput[])[0]!.job.connections).toMatchObject({
      prod: { endpoint: 'http://prod.invalid:8000' },
      staging: { endpoint: 'http://staging.invalid:8000' },
    });
    // The schedule keeps where the workers read the salt, not the salt: DYNAMASK_SALT of this environment is not read.
    expect((description.action.args as RefreshJobInput[])[0]!.job.salt).toEqual({ env: 'DYNAMASK_SALT' });
  });

  /** A fresh commander program per call, as the dynamask binary makes one per process. */
  function cliRunner(target: () => { address: string; namespace: string }) {
    const lines: string[] = [];
    return {
      lines,
      take: () => lines.splice(0),
      async run(...args: string[]) {
        const program = new Command('dynamask').exitOverride();
        registerScheduleCommands(program, {
          target: () => temporalTarget(target()),
          env: { ...process.env, DYNAMASK_TASK_QUEUE: stack.taskQueue },
          print: (line) => lines.push(...line.split('\n')),
          printError: (line) => lines.push(`stderr: ${line}`),
        });
        await program.parseAsync(args, { from: 'user' });
      },
    };
  }
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function typed(attributes: SearchAttributePair[] | TypedSearchAttributes | undefined): TypedSearchAttributes {
  return attributes instanceof TypedSearchAttributes ? attributes : new TypedSearchAttributes(attributes ?? []);
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
