/**
 * The CLI as a user runs it: a child process, exit codes, what it prints,
 * and what it leaves in the tables.
 */
import { execFile } from 'node:child_process';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { ORDERS_SPEC, seedUsersOrders, USERS_SPEC } from '../../src/local-stack/users-orders-data.ts';
import { scanAll } from '../support/stack.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const DEMO_JOB = fileURLToPath(new URL('../../jobs/movies-demo.yaml', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function dynamask(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('dynamask CLI', () => {
  let dynamo: DynamoDBClient;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    const endpoint = inject('dynamoEndpoint');
    dynamo = createDynamoClient({ endpoint });
    // The suite's bundle, as `dynamask bundle` writes one: each `run --worker` loads it instead of bundling (other files' children still bundle at start).
    // A task queue of its own: another file's `run --worker` on the default queue would take this file's runs (and lack their environment).
    env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      DYNAMASK_LOCAL_ENDPOINT: endpoint,
      DYNAMASK_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      DYNAMASK_TASK_QUEUE: `e2e-cli-${process.pid}`,
      // The demo job names its salt by reference; its workers read it here.
      DYNAMASK_SALT: 'cli-test-salt',
    };
    dir = await mkdtemp(join(tmpdir(), 'dynamask-cli-'));
    await seedTable(dynamo, 'Movies', await loadMovies());
  });
  afterAll(() => dynamo?.destroy());

  it('runs the demo job with an in-process worker and prints per-table counts', async () => {
    await recreateTable(dynamo, 'MoviesAnonymized');
    const { code, stdout, stderr } = await dynamask(['run', '--worker', DEMO_JOB], env);
    expect(stderr).toMatch(/started dynamask\/movies-demo\//);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^movies-demo: 1 table\(s\) copied in [\d.]+s$/m);
    expect(stdout).toMatch(/^table +read +written +deleted +type mismatches +seconds +items\/s +read plan$/m);
    // An upsert deletes nothing: a dash, not a 0.
    expect(stdout).toMatch(/^Movies -> MoviesAnonymized +1504 +1504 +- +0 +[\d.]+ +\d+  \S.*$/m);
    expect(await scanAll(dynamo, 'MoviesAnonymized')).toHaveLength(1504);
  });

  it('logs plain progress lines on stderr when it is not a terminal', async () => {
    await recreateTable(dynamo, 'MoviesAnonymized');
    const { code, stderr } = await dynamask(['run', '--worker', DEMO_JOB], env);
    expect(code).toBe(0);
    expect(stderr).not.toContain('\x1b');
    const lines = stderr.split('\n').filter((line) => line.startsWith('Movies -> MoviesAnonymized'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(/^Movies -> MoviesAnonymized  (pending|running|completed) +\d+ read +\d+ written +(\d+|-) items\/s +((\d+m)?\d+s|-)/);
    // A line when the status changes, and while it runs one at most every 5 s: not one per poll (every second).
    const statuses = lines.map((line) => line.split(/ {2,}/)[1]!);
    const order = ['pending', 'running', 'completed'];
    expect(statuses.map((status) => order.indexOf(status))).toEqual(statuses.map((status) => order.indexOf(status)).sort((a, b) => a - b));
    expect(lines.at(-1)).toMatch(/^Movies -> MoviesAnonymized  completed  1504 read  1504 written +\d+ items\/s +\d+s  \S/);
    const [, minutes, seconds] = /  (?:(\d+)m)?(\d+)s  /.exec(lines.at(-1)!)!;
    const elapsedSeconds = Number(minutes ?? 0) * 60 + Number(seconds);
    expect(statuses.filter((status) => status === 'running').length, stderr).toBeLessThanOrEqual(1 + Math.floor(elapsedSeconds / 5));
  });

  it('prints the final report as JSON with --json', async () => {
    await recreateTable(dynamo, 'MoviesAnonymized');
    // At DEBUG the SDK's native core logs plenty: on stderr, never in the JSON.
    const { code, stdout, stderr } = await dynamask(['run', '--worker', '--json', DEMO_JOB], { ...env, DYNAMASK_LOG_LEVEL: 'DEBUG' });
    expect(stderr).toMatch(/^\[(DEBUG|INFO|WARN)\] \[core\] /m);
    expect(code).toBe(0);
    // stdout is for the report alone, so scripts can pipe it to jq.
    expect(() => JSON.parse(stdout), stdout).not.toThrow();
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      job: 'movies-demo',
      workflowId: expect.stringMatching(/^dynamask\/movies-demo\//),
      durationMs: expect.any(Number),
      tables: [{ source: 'Movies', destination: 'MoviesAnonymized', mode: 'upsert', read: 1504, written: 1504, deleted: 0, typeMismatches: 0, readPlan: expect.any(String) }],
    });
    expect(report.tables[0].itemsPerSecond).toBe(Math.round((1504 * 1000) / report.tables[0].durationMs));
  });

  it('exits 2 with file, line and field for a bad job, and touches no table', async () => {
    await recreateTable(dynamo, 'MoviesAnonymized');
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      ['name: bad', 'connections:', '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }', 'source: local', 'destination: local', 'tables:', '  - source: Movies', '    destination: MoviesAnonymized', '    transformers:', '      info.actors[*]: fulName', ''].join('\n'),
    );
    for (const command of ['validate', 'run']) {
      const { code, stderr } = await dynamask(command === 'run' ? ['run', '--worker', bad] : ['validate', bad], env);
      expect(code, command).toBe(2);
      expect(stderr.trim(), command).toBe(`${bad}:10 tables[0].transformers["info.actors[*]"]: unknown transformer "fulName" (did you mean "fullName"?)`);
    }
    expect(await scanAll(dynamo, 'MoviesAnonymized')).toHaveLength(0);
  });

  it('previews five items before and after, changed paths marked, and writes nothing', async () => {
    await recreateTable(dynamo, 'MoviesAnonymized');
    const { code, stdout } = await dynamask(['preview', DEMO_JOB, '--limit', '5'], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Movies -> MoviesAnonymized: 5 item\(s\) where "year" >= 2010$/m);
    expect(stdout.match(/^item \d \(year=\d+, title=".*"\)$/gm)).toHaveLength(5);
    const actorRows = stdout.split('\n').filter((line) => /^. info\.actors\[\d\]/.test(line));
    expect(actorRows.length).toBeGreaterThan(5);
    for (const row of actorRows) expect(row.startsWith('*'), row).toBe(true);
    expect(stdout).toMatch(/^  info\.rating +\d/m);
    expect(await scanAll(dynamo, 'MoviesAnonymized')).toHaveLength(0);
  });

  it('lists the values a sample of the source leaves unmapped with validate --sample', async () => {
    const { code, stdout } = await dynamask(['validate', '--sample', '10', DEMO_JOB], env);
    expect(code).toBe(0);
    expect(stdout).toContain('Movies: 10 sampled item(s); values no mapping names:');
    expect(stdout).toMatch(/^ +info\.plot +S +-> passthrough \(defaults\.S\)$/m);
    expect(stdout).toMatch(/^ +info\.genres\[\*\] +S +-> passthrough \(defaults\.S\)$/m);
    expect(stdout).toMatch(/^ +info\.rating +N +copied as it is \(no default for this type\)$/m);
    expect(stdout).not.toMatch(/info\.actors|^ +title |^ +year /m);
  });

  it('exits 2 on malformed YAML with its line', async () => {
    const bad = join(dir, 'malformed.yaml');
    await writeFile(bad, 'name: x\ntables:\n  - source: [unclosed\n');
    const { code, stderr } = await dynamask(['validate', bad], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:\\d+: invalid YAML: `));
  });

  it('takes seeds from the command line with --seed, and names a bad one by its place', async () => {
    const { users, orders } = await seedUsersOrders(dynamo, { users: 'CliSeedUsers', orders: 'CliSeedOrders' }, { users: 30 });
    await recreateTable(dynamo, 'CliSeedUsersCopy', USERS_SPEC);
    await recreateTable(dynamo, 'CliSeedOrdersCopy', ORDERS_SPEC);
    const job = join(dir, 'seeds.yaml');
    await writeFile(
      job,
      [
        'name: cli-seeds',
        'connections:',
        '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }',
        'source: local',
        'destination: local',
        'defaults: { S: passthrough }',
        'tables:',
        '  - source: CliSeedUsers',
        '    destination: CliSeedUsersCopy',
        '    seeds: ["nobody"]',
        '  - source: CliSeedOrders',
        '    destination: CliSeedOrdersCopy',
        '    references: { table: CliSeedUsers, attribute: customerId }',
        '',
      ].join('\n'),
    );
    const [a, b] = users.map((u) => u['userId']!.S!).filter((id) => orders.some((o) => o['customerId']!.S === id));
    const { code, stderr } = await dynamask(['run', '--worker', job, '--seed', `CliSeedUsers=${a}`, '--seed', `CliSeedUsers=${b}`], env);
    expect(stderr).not.toContain(a!);
    expect(code).toBe(0);
    expect((await scanAll(dynamo, 'CliSeedUsersCopy')).map((u) => u['userId']!.S).sort()).toEqual([a, b].sort());
    const expected = orders.filter((o) => o['customerId']!.S === a || o['customerId']!.S === b).map((o) => o['orderId']!.S).sort();
    expect((await scanAll(dynamo, 'CliSeedOrdersCopy')).map((o) => o['orderId']!.S).sort()).toEqual(expected);

    const bad = await dynamask(['run', '--worker', job, '--seed', 'Accounts=A1'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${job} --seed #1: no table of the job reads "Accounts" (it reads "CliSeedUsers", "CliSeedOrders")`);
  });

  it('exits 1 with a one-line reason naming the table when a run fails', async () => {
    const job = join(dir, 'missing-table.yaml');
    await writeFile(
      job,
      ['name: missing-table', 'connections:', '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }', 'source: local', 'destination: local', 'tables:', '  - source: Movies', '    destination: NoSuchTable', ''].join('\n'),
    );
    const { code, stderr } = await dynamask(['run', '--worker', job], env);
    expect(code).toBe(1);
    const last = stderr.trim().split('\n').at(-1);
    expect(last).toBe(
      'dynamask: run failed: table "Movies" -> "NoSuchTable" failed while preparing, after 0 items read and 0 written: table "NoSuchTable" not found on connection "local" (createTable: true would create it)',
    );
  });

  it('says each failed table once when two tables of three fail', async () => {
    await recreateTable(dynamo, 'CliThirdTableCopy');
    const job = join(dir, 'two-of-three.yaml');
    await writeFile(
      job,
      [
        'name: two-of-three',
        'connections:',
        '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }',
        'source: local',
        'destination: local',
        'tables:',
        '  - source: Movies',
        '    destination: NoSuchTable',
        '  - source: CliNoSuchSource',
        '    destination: CliUnusedCopy',
        '  - source: Movies',
        '    destination: CliThirdTableCopy',
        '    where: "year = 2013"',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await dynamask(['run', '--worker', job], env);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines.slice(lines.findIndex((line) => line.startsWith('dynamask: ')))).toEqual([
      'dynamask: run failed: 2 of 3 tables failed:',
      '  table "Movies" -> "NoSuchTable" failed while preparing, after 0 items read and 0 written: table "NoSuchTable" not found on connection "local" (createTable: true would create it)',
      '  table "CliNoSuchSource" -> "CliUnusedCopy" failed while preparing, after 0 items read and 0 written: table "CliNoSuchSource" not found on connection "local"',
    ]);
    // The third table was copied: its progress line says so, and its items are there.
    expect(stderr).toMatch(/^Movies -> CliThirdTableCopy +completed /m);
    expect((await scanAll(dynamo, 'CliThirdTableCopy')).length).toBeGreaterThan(0);
  });
});
