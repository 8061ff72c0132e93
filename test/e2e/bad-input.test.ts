/**
 * Bad input fails early and clearly (issue 7, part 4): one table of job
 * files that must be refused. Each case writes its job to a real file, runs
 * the CLI's `main` in this process with its output captured, and checks the
 * exit code, that the output is one message naming the file, line and field
 * (the loader) or the table and path (a run), that no stack trace shows, and
 * that nothing was written.
 *
 * Run cases use `dynamask run` against one worker shared by the whole table
 * (a worker per case would bundle the workflows every time, 4-11 s). It lives in
 * this process, so its log lines land in the captured output exactly as they
 * do under `run --worker`; one case at the end runs `run --worker` as a child
 * process to show that the two print the same message.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/local-stack/free-port.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { sharedSandboxPool } from '../../transformers/js/sandbox-pool.ts';
import { runExecutions } from '../support/run-history.ts';
import { dynamaskInProcess, type CliOutcome } from '../support/in-process-cli.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

const SOURCE = 'BadInputMovies';
const COPY = 'BadInputCopy';
/** Keyed on `id` alone, unlike the movies' year + title. */
const OTHER_KEYS = 'BadInputOtherKeys';
const ABSENT = 'BadInputNoSuchTable';
const SOURCE_ITEMS = 50;

/** Lines 1-8 of most jobs below; what a case adds starts on line 9. */
function header(name: string, destination = COPY): string {
  return [
    `name: bad-input-${name}`,
    'connections:',
    '  local: { endpoint: "${BAD_INPUT_ENDPOINT}" }',
    'source: local',
    'destination: local',
    'tables:',
    `  - source: ${SOURCE}`,
    `    destination: ${destination}`,
    '',
  ].join('\n');
}

interface Case {
  name: string;
  command: 'validate' | 'run';
  /** The job file's text. */
  text: string;
  exit: 1 | 2;
  /** The one line a user reads, given the job file's path. */
  message: (file: string) => string | RegExp;
  /** The table that must be left absent or empty; the copy unless said. */
  destination?: string;
  /** Environment for this case only; undefined unsets. */
  env?: (dir: string) => Record<string, string | undefined>;
  /** Attempts the failing activity may take: retries that cannot help must not happen, and the rest are bounded. */
  maxAttempts?: number;
}

/** A run's failure as the CLI prints it: the table once, the phase, how far it got (nothing copied, in every case here) and why. */
const runFailed = (table: string, destination: string, phase: 'preparing' | 'copying', reason: string) =>
  `dynamask: run failed: table "${table}" -> "${destination}" failed while ${phase}, after 0 items read and 0 written: ${reason}`;

const cases: Case[] = [
  // Malformed YAML: the parser's own words, at the line.
  {
    name: 'yaml-bad-indentation',
    command: 'validate',
    text: header('yaml-bad-indentation') + '    transformers:\n      title: fullName\n     info.plot: lorem\n',
    exit: 2,
    message: (f) => `${f}:11: invalid YAML: All mapping items must start at the same column`,
  },
  {
    // One mistake, one message: the parser reports this one twice.
    name: 'yaml-over-indented-key',
    command: 'validate',
    text: header('yaml-over-indented-key') + '    transformers:\n      title: fullName\n        info.plot: lorem\n',
    exit: 2,
    message: (f) => `${f}:10: invalid YAML: Nested mappings are not allowed in compact mappings`,
  },
  {
    name: 'yaml-unclosed-quote',
    command: 'validate',
    text: header('yaml-unclosed-quote') + '    where: "year > 2000\n    consistentRead: true\n',
    exit: 2,
    // At the line where the quote opens; the parser only notices at the end of the file.
    message: (f) => `${f}:9: invalid YAML: Missing closing "quote`,
  },
  {
    name: 'yaml-tab-indentation',
    command: 'validate',
    text: header('yaml-tab-indentation') + '    transformers:\n\ttitle: fullName\n',
    exit: 2,
    message: (f) => `${f}:10: invalid YAML: Tabs are not allowed as indentation`,
  },
  {
    name: 'empty-file',
    command: 'validate',
    text: '',
    exit: 2,
    message: (f) => `${f}: the file is empty; a job is a mapping with "name", "connections" and "tables"`,
  },
  {
    name: 'list-at-top',
    command: 'validate',
    text: '- name: bad-input-list\n  tables: []\n',
    exit: 2,
    message: (f) => `${f}:1: expected a mapping with "name", "connections" and "tables" at the top level, got a list`,
  },
  {
    name: 'unknown-field',
    command: 'validate',
    text: header('unknown-field') + 'retries: 3\n',
    exit: 2,
    message: (f) => `${f}:9 retries: unknown field "retries"`,
  },
  {
    name: 'misspelled-field',
    command: 'validate',
    text: header('misspelled-field') + '    transformer:\n      title: fullName\n',
    exit: 2,
    message: (f) => `${f}:9 tables[0].transformer: unknown field "transformer" (did you mean "transformers"?)`,
  },
  {
    name: 'tables-not-a-list',
    command: 'validate',
    text: header('tables-not-a-list').replace(`  - source: ${SOURCE}\n    destination: ${COPY}\n`, `  source: ${SOURCE}\n  destination: ${COPY}\n`),
    exit: 2,
    message: (f) => `${f}:7 tables: expected a list, got a mapping`,
  },
  {
    name: 'consistent-read-yes',
    command: 'validate',
    text: header('consistent-read-yes') + '    consistentRead: "yes"\n',
    exit: 2,
    message: (f) => `${f}:9 tables[0].consistentRead: expected a boolean, got a string`,
  },
  {
    name: 'segments-zero',
    command: 'validate',
    text: header('segments-zero') + '    segments: 0\n',
    exit: 2,
    message: (f) => `${f}:9 tables[0].segments: must be at least 1`,
  },
  {
    name: 'read-rate-limit-negative',
    command: 'validate',
    text: header('read-rate-limit-negative') + '    readRateLimit: -1\n',
    exit: 2,
    message: (f) => `${f}:9 tables[0].readRateLimit: must be greater than 0`,
  },
  {
    name: 'sandbox-timeout-zero',
    command: 'validate',
    text: header('sandbox-timeout-zero') + 'sandbox:\n  timeoutMs: 0\n',
    exit: 2,
    message: (f) => `${f}:10 sandbox.timeoutMs: must be at least 1`,
  },
  {
    name: 'missing-name',
    command: 'validate',
    text: header('missing-name').replace(/^name: .*\n/, ''),
    exit: 2,
    message: (f) => `${f}:1 name: required field is missing`,
  },
  {
    name: 'endpoint-not-a-url',
    command: 'validate',
    text: header('endpoint-not-a-url').replace('"${BAD_INPUT_ENDPOINT}"', 'localhost:8000'),
    exit: 2,
    message: (f) => `${f}:3 connections.local.endpoint: expected an http:// or https:// URL, such as http://localhost:8000`,
  },
  {
    name: 'unknown-transformer',
    command: 'validate',
    text: header('unknown-transformer') + '    transformers:\n      info.directors[*]: fulName\n',
    exit: 2,
    message: (f) => `${f}:10 tables[0].transformers["info.directors[*]"]: unknown transformer "fulName" (did you mean "fullName"?)`,
  },
  {
    name: 'unknown-transformer-option',
    command: 'validate',
    text: header('unknown-transformer-option') + '    transformers:\n      info.plot: { type: mask, keepLsat: 2 }\n',
    exit: 2,
    message: (f) => `${f}:10 tables[0].transformers["info.plot"].keepLsat: unknown option "keepLsat" for transformer "mask" (did you mean "keepLast"?)`,
  },
  {
    name: 'transformer-option-wrong-type',
    command: 'validate',
    text: header('transformer-option-wrong-type') + '    transformers:\n      info.plot: { type: mask, keepLast: "four" }\n',
    exit: 2,
    message: (f) => `${f}:10 tables[0].transformers["info.plot"].keepLast: expected a number, got a string`,
  },
  {
    name: 'transformer-option-out-of-range',
    command: 'validate',
    text: header('transformer-option-out-of-range') + '    transformers:\n      info.plot: { type: hash, length: 4 }\n',
    exit: 2,
    message: (f) => `${f}:10 tables[0].transformers["info.plot"].length: must be at least 8`,
  },
  {
    name: 'bad-path-syntax',
    command: 'validate',
    text: header('bad-path-syntax') + '    transformers:\n      info.actors[x]: fullName\n',
    exit: 2,
    message: (f) => `${f}:10 tables[0].transformers["info.actors[x]"]: bad path: list index must be a number or "*", got "x" at column 12 of path "info.actors[x]"`,
  },
  {
    name: 'duplicate-paths',
    command: 'validate',
    text: header('duplicate-paths') + '    transformers:\n      info.actors[*]: fullName\n      \'"info".actors[*]\': firstName\n',
    exit: 2,
    message: (f) => `${f}:11 tables[0].transformers["\\"info\\".actors[*]"]: duplicate path: the same attribute as info.actors[*] on line 10`,
  },
  {
    name: 'missing-connection',
    command: 'validate',
    text: header('missing-connection') + '    destinationConnection: staging\n',
    exit: 2,
    message: (f) => `${f}:9 tables[0].destinationConnection: unknown connection "staging"; the connections are "local"`,
  },
  {
    name: 'destination-is-source',
    command: 'validate',
    text: header('destination-is-source', SOURCE),
    exit: 2,
    message: (f) => `${f}:8 tables[0].destination: destination is the source table; dynamask never writes to a source`,
    destination: SOURCE,
  },
  {
    name: 'js-syntax-error',
    command: 'validate',
    text: header('js-syntax-error') + '    transformers:\n      info.plot: { js: "return (" }\n',
    exit: 2,
    message: (f) => `${f}:10 tables[0].transformers["info.plot"].js: JavaScript syntax error at line 1 of the script: Unexpected end of input`,
  },
  {
    name: 'unresolved-variable',
    command: 'validate',
    text: header('unresolved-variable') + 'salt: ${BAD_INPUT_UNSET_SALT}\n',
    exit: 2,
    message: (f) => `${f}:9 salt: environment variable BAD_INPUT_UNSET_SALT is not set`,
  },
  {
    name: 'cron-four-fields',
    command: 'validate',
    text: header('cron-four-fields') + 'schedule:\n  cron: "0 3 * *"\n',
    exit: 2,
    message: (f) => `${f}:10 schedule.cron: expected a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 3 * * *"; got 4`,
  },
  {
    name: 'cron-hour-25',
    command: 'validate',
    text: header('cron-hour-25') + 'schedule:\n  cron: "0 25 * * *"\n',
    exit: 2,
    message: (f) => new RegExp(`^${escape(f)}:10 schedule\\.cron: .*hour.*25`),
  },
  // The loader can see a bad WHERE without touching a table, so `validate` must catch it.
  {
    name: 'where-syntax-error',
    command: 'validate',
    text: header('where-syntax-error') + '    where: "year >"\n',
    exit: 2,
    message: (f) => `${f}:9 tables[0].where: column 7, at the end: the condition ends where a value or attribute was expected`,
  },
  {
    name: 'where-second-statement',
    command: 'validate',
    text: header('where-second-statement') + `    where: "year > 2000; DELETE FROM ${SOURCE}"\n`,
    exit: 2,
    message: (f) => `${f}:9 tables[0].where: column 12, ";": a where is a single condition: nothing may follow it, and it cannot end a statement`,
  },
  {
    name: 'where-subquery',
    command: 'validate',
    text: header('where-subquery') + '    where: "year IN (SELECT year FROM BadInputCopy)"\n',
    exit: 2,
    message: (f) =>
      `${f}:9 tables[0].where: column 10, "SELECT": a where holds only a condition, not a statement or query; if SELECT names an attribute, double-quote it: "SELECT"`,
  },
  // `run` refuses what the loader finds in the same words, before a workflow starts.
  {
    name: 'references-template-two-parts',
    command: 'validate',
    text: header('references-template-two-parts') + `    references: { table: ${OTHER_KEYS}, attribute: ownerRef, template: "ORG#{org}#USER#{id}" }\n  - source: ${OTHER_KEYS}\n    destination: BadInputOtherCopy\n`,
    exit: 2,
    message: (f) => `${f}:9 tables[0].references.template: references.template "ORG#{org}#USER#{id}" has 2 parts ({org}, {id}); it holds the referenced key as exactly one part, such as "USER#{id}"`,
  },
  {
    name: 'references-replace-with-limit',
    command: 'validate',
    text: header('references-replace-with-limit') + `    mode: replace\n    references: { table: ${OTHER_KEYS}, attribute: id, limit: 3 }\n  - source: ${OTHER_KEYS}\n    destination: BadInputOtherCopy\n`,
    exit: 2,
    message: (f) => `${f}:9 tables[0].mode: mode replace keeps each item the references select, and with references.limit that depends on the other items of its key; not supported yet: leave out limit, or use mode upsert`,
  },
  {
    name: 'references-ring-without-roots',
    command: 'run',
    text: header('references-ring-without-roots') + `    references: { table: ${SOURCE}, attribute: sequelOf }\n`,
    exit: 2,
    message: (f) => `${f}:9 tables[0].references.table: references lead back to this table itself (${SOURCE} -> ${SOURCE}), and it picks no items by itself, so the walk round it has nothing to start from: give it a where or seeds`,
  },
  {
    name: 'references-union-with-index',
    command: 'run',
    text: header('references-union-with-index') + `    where: "year > 2000"\n    references: { table: ${OTHER_KEYS}, attribute: id, index: ById }\n  - source: ${OTHER_KEYS}\n    destination: BadInputOtherCopy\n`,
    exit: 2,
    message: (f) =>
      `${f}:10 tables[0].references.index: a table with a where or seeds beside references is read by one parallel Scan that keeps both kinds of item once; references.index needs a Query of a GSI per selected key, which cannot also yield the where's items without copying some twice: leave out references.index, or the where and seeds`,
  },
  {
    name: 'run-where-second-statement',
    command: 'run',
    text: header('run-where-second-statement') + `    where: "year > 2000; DELETE FROM ${SOURCE}"\n`,
    exit: 2,
    message: (f) => `${f}:9 tables[0].where: column 12, ";": a where is a single condition: nothing may follow it, and it cannot end a statement`,
  },

  {
    name: 'run-destination-is-source',
    command: 'run',
    text: header('run-destination-is-source', SOURCE),
    exit: 2,
    message: (f) => `${f}:8 tables[0].destination: destination is the source table; dynamask never writes to a source`,
    destination: SOURCE,
  },

  // What only a run can find: tables, endpoints, credentials, scripts at work.
  {
    name: 'missing-source-table',
    command: 'run',
    text: header('missing-source-table').replace(`source: ${SOURCE}`, `source: ${ABSENT}`),
    exit: 1,
    message: () => runFailed(ABSENT, COPY, 'preparing', `table "${ABSENT}" not found on connection "local"`),
  },
  {
    name: 'missing-destination-without-create-table',
    command: 'run',
    text: header('missing-destination-without-create-table', ABSENT),
    exit: 1,
    message: () => runFailed(SOURCE, ABSENT, 'preparing', `table "${ABSENT}" not found on connection "local" (createTable: true would create it)`),
    destination: ABSENT,
  },
  {
    name: 'destination-key-schema',
    command: 'run',
    text: header('destination-key-schema', OTHER_KEYS),
    exit: 1,
    message: () => runFailed(SOURCE, OTHER_KEYS, 'preparing', "the destination's key schema [id (HASH)] differs from the source's [year (HASH), title (RANGE)]"),
    destination: OTHER_KEYS,
  },
  {
    name: 'replace-with-script-key',
    command: 'run',
    text: header('replace-with-script-key') + '    mode: replace\n    allowKeyCollisions: true\n    transformers:\n      title: { js: "return value.toUpperCase()" }\n',
    exit: 1,
    message: () =>
      runFailed(
        SOURCE,
        COPY,
        'preparing',
        'mode replace deletes the destination items that no selected item maps to, finding them by mapping every selected item\'s key again, but the mapping of key attribute title in the table\'s mappings (a js script, which can read the clock) may give another key on another run; map key attributes with built-in transformers or templates of them, or use mode upsert',
      ),
  },
  {
    name: 'unreachable-endpoint',
    command: 'run',
    text: header('unreachable-endpoint')
      .replace('source: local\n', 'source: down\n')
      .replace('connections:\n', 'connections:\n  down: { endpoint: "http://127.0.0.1:${BAD_INPUT_CLOSED_PORT}" }\n'),
    exit: 1,
    // Which table, which connection and where it points; an endpoint may come back, so prepare retries it, a bounded number of times.
    message: () => runFailed(SOURCE, COPY, 'preparing', `connection "down": cannot reach DynamoDB at http://127.0.0.1:${process.env.BAD_INPUT_CLOSED_PORT} (ECONNREFUSED)`),
    maxAttempts: 5,
  },
  {
    name: 'missing-credentials',
    command: 'run',
    text: header('missing-credentials')
      .replace('source: local\n', 'source: aws\n')
      .replace('connections:\n', 'connections:\n  aws: { region: us-east-1 }\n'),
    exit: 1,
    env: (dir) => ({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: 'dynamask-no-such-profile',
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    }),
    // Which connection lacks credentials and which profile it looked for; retrying cannot help, so no retries.
    // The rest is the SDK's own account of where it looked.
    message: () => new RegExp(`^${escape(runFailed(SOURCE, COPY, 'preparing', 'connection "aws": no AWS credentials from the AWS default chain '))}.+`),
    maxAttempts: 1,
  },
  {
    name: 'js-endless-loop',
    command: 'run',
    text: header('js-endless-loop') + '    transformers:\n      info.rating: { js: "while (true) {}" }\n',
    exit: 1,
    message: () => new RegExp(`^${escape(runFailed(SOURCE, COPY, 'copying', 'info.rating of the item with key year, title'))}.*ran longer than sandbox\\.timeoutMs \\(100 ms\\)`),
  },
  {
    name: 'js-unbounded-allocation',
    command: 'run',
    text: header('js-unbounded-allocation') + '    transformers:\n      info.rating: { js: "const all = []; for (;;) all.push(new Array(1e5).fill(1.5));" }\n',
    exit: 1,
    message: () =>
      new RegExp(`^${escape(runFailed(SOURCE, COPY, 'copying', 'info.rating of the item with key year, title'))}.*(ran longer than sandbox\\.timeoutMs|used more than sandbox\\.memoryLimitMb)`),
  },
  {
    name: 'js-require',
    command: 'run',
    text: header('js-require') + '    transformers:\n      info.rating: { js: "require(\'fs\').readFileSync(\'/etc/passwd\')" }\n',
    exit: 1,
    message: () =>
      new RegExp(
        `^${escape(runFailed(SOURCE, COPY, 'copying', 'info.rating of the item with key year, title'))}.*require is not available in the sandbox`,
      ),
  },
];

/** What a run prints on stderr besides its failure: where it started and its progress lines. */
const PROGRESS = [/^started dynamask\//, /^registered search attributes /, /^\S+ -> \S+ {2}(pending|running|failed|completed) /];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}


const dynamask = dynamaskInProcess;

/** The lines a user reads as the outcome: everything but progress. */
function messageLines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !PROGRESS.some((pattern) => pattern.test(line)));
}

/** The expected message is printed, and nothing else but progress: no second message, no log lines, no stack trace. */
function expectOneMessage(output: string, expected: string | RegExp): void {
  const lines = messageLines(output);
  const matches = (line: string) => (typeof expected === 'string' ? line === expected : expected.test(line));
  const at = lines.findIndex(matches);
  // The CLI's own line comes last; compare with it for a readable diff when none matches.
  if (at < 0) {
    if (typeof expected === 'string') expect.soft(lines.at(-1), output).toBe(expected);
    else expect.soft(lines.at(-1), output).toMatch(expected);
  }
  expect.soft(lines.filter((_, i) => i !== (at < 0 ? lines.length - 1 : at)), 'printed besides the message').toEqual([]);
  expect.soft(output, 'a stack trace').not.toMatch(/^\s+at /m);
}

describe('bad input fails early and clearly', () => {
  let stack: TestStack;
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  const timings: { name: string; seconds: number }[] = [];

  const setEnv = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (!(key in saved)) saved[key] = process.env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  const restoreEnv = (keys: Iterable<string>) => {
    for (const key of keys) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  };

  /** The attempts the run's failed activity took, from its history (a retry adds no event: the last ActivityTaskStarted counts them). */
  const failedActivityAttempts = async (output: string): Promise<number> => {
    const workflowId = /^started (\S+) on /m.exec(output)?.[1];
    if (workflowId === undefined) throw new Error(`no run started:\n${output}`);
    const attempts = (await runExecutions(stack.client, stack.taskQueue, workflowId)).flatMap(({ history }) =>
      (history.events ?? []).flatMap((event) => (event.activityTaskStartedEventAttributes?.attempt ? [event.activityTaskStartedEventAttributes.attempt] : [])),
    );
    if (attempts.length === 0) throw new Error(`no activity ran in ${workflowId}`);
    return Math.max(...attempts);
  };

  /** Items in a table, or 'absent'. */
  const contents = async (table: string): Promise<number | 'absent'> => {
    try {
      await stack.dynamo.send(new DescribeTableCommand({ TableName: table }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return 'absent';
      throw error;
    }
    return (await scanAll(stack.dynamo, table)).length;
  };

  beforeAll(async () => {
    stack = await connectTestStack('e2e-bad-input');
    dir = await mkdtemp(join(tmpdir(), 'dynamask-bad-input-'));
    await seedTable(stack.dynamo, SOURCE, (await loadMovies()).slice(0, SOURCE_ITEMS));
    await recreateTable(stack.dynamo, COPY);
    await recreateTable(stack.dynamo, OTHER_KEYS, {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
    });
    setEnv({
      BAD_INPUT_ENDPOINT: stack.dynamoEndpoint,
      BAD_INPUT_CLOSED_PORT: String(await freePort()),
      BAD_INPUT_UNSET_SALT: undefined,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      DYNAMASK_TASK_QUEUE: stack.taskQueue,
    });
  });

  afterAll(async () => {
    restoreEnv(Object.keys(saved));
    if (timings.length > 0) console.log(`seconds to fail:\n${timings.map((t) => `  ${t.name.padEnd(42)} ${t.seconds.toFixed(1)}`).join('\n')}`);
    await stack?.close();
    sharedSandboxPool().close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    // A case that wrongly wrote must not make the next one look guilty.
    if ((await contents(COPY)) !== 0) await recreateTable(stack.dynamo, COPY);
  });

  it('covers at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [`${c.command} ${c.name}`, c] as const))('%s', async (_, testCase) => {
    const file = join(dir, `${testCase.name}.yaml`);
    await writeFile(file, testCase.text);
    const env = testCase.env?.(dir) ?? {};
    setEnv(env);
    let outcome: CliOutcome;
    try {
      outcome = await dynamask(testCase.command === 'run' ? ['run', file] : ['validate', file]);
    } finally {
      restoreEnv(Object.keys(env));
    }
    if (testCase.command === 'run') timings.push({ name: testCase.name, seconds: outcome.seconds });

    const { code, output } = outcome;
    expectOneMessage(output, testCase.message(file));
    expect.soft(code, output).toBe(testCase.exit);
    if (testCase.maxAttempts !== undefined) expect.soft(await failedActivityAttempts(output), 'attempts of the failed activity').toBeLessThanOrEqual(testCase.maxAttempts);
    const left = await contents(testCase.destination ?? COPY);
    const untouched = left === 'absent' || left === 0 || (testCase.destination === SOURCE && left === SOURCE_ITEMS);
    expect.soft(untouched, `${left} item(s) in ${testCase.destination ?? COPY} afterwards`).toBe(true);
  });

  it('`run --worker` in a child process prints the same one message as the run above', async () => {
    const testCase = cases.find((c) => c.name === 'missing-destination-without-create-table')!;
    const file = join(dir, 'child-process.yaml');
    await writeFile(file, testCase.text);
    const env = {
      ...process.env,
      // A queue of its own, so the shared worker does not take the run.
      DYNAMASK_TASK_QUEUE: `${stack.taskQueue}-child`,
    };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'run', '--worker', file], { env, timeout: 120_000 }, (error, out, err) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err });
      });
    });
    const output = stdout + stderr;
    expectOneMessage(output, testCase.message(file));
    expect.soft(code, output).toBe(1);
    expect(await contents(ABSENT)).toBe('absent');
  });

  it('leaves the source as it was', async () => {
    expect(await contents(SOURCE)).toBe(SOURCE_ITEMS);
  });
});
