/**
 * `init`, a run of the job it writes, `verify`, and `init --update`, on the
 * real local stack: a table holding personal data under names that do not
 * say so beside look-alikes that are not (test/fixtures/planted-pii.ts),
 * with a single-table key and an index. init and verify run through their
 * command modules as main.ts registers them; the run is `dynamask run
 * --worker`, a child process, as a user starts it.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DeleteTableCommand, ResourceNotFoundException, UpdateItemCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { registerInitCommand } from '../../src/cli/init-command.ts';
import { registerVerifyCommand } from '../../src/cli/verify-command.ts';
import { insertedLines } from '../../src/discovery/job-file-edit.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { loadJobFile } from '../../src/job/job-loader.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/local-stack/dynamodb-local.ts';
import { recreateTable } from '../../src/local-stack/seed.ts';
import { LOOK_ALIKES, MEMOS, NUMBER_LOOK_ALIKES, PLANTED, SUGGESTED_TRANSFORMERS, fixture } from '../fixtures/planted-pii.ts';
import { scanAll } from '../support/stack.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SOURCE = 'InitVerifyCustomers';
const DESTINATION = `${SOURCE}Staging`;
const SALT = 'init-verify-test-salt';

/** What init must leave as passthrough: the look-alikes, a flag and a NULL. */
const LOOK_ALIKE_PATHS = [...Object.keys(LOOK_ALIKES).filter((name) => name !== 'exp'), 'wallet[*].exp', ...Object.keys(NUMBER_LOOK_ALIKES), 'gift', 'note'];
const KEYS = ['pk', 'sk', 'gsi1pk'];

const NEW_EMAILS = Array.from({ length: 6 }, (_, i) => `customer${i}.backup@example.org`);

function sourceItems(): Item[] {
  return fixture().map((item, i) => ({ pk: { S: `CUSTOMER#c${i}` }, sk: { S: 'PROFILE' }, gsi1pk: { S: `TIER#${item.tier!.S}` }, ...item }));
}

/** Every value of the table that a message could leak (JSON's own words and short ones would match by accident). */
function sourceValues(): string[] {
  return [...Object.values(PLANTED), MEMOS, ...Object.values(LOOK_ALIKES), ...Object.values(NUMBER_LOOK_ALIKES), NEW_EMAILS].flat().filter((value) => value.length >= 5 && value !== 'false');
}

interface Outcome {
  code: number;
  out: string;
  err: string;
}

async function command(register: typeof registerInitCommand, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  let out = '';
  let err = '';
  let code: number = 0;
  const program = new Command('dynamask').exitOverride().configureOutput({ writeErr: (text) => (err += text), writeOut: (text) => (out += text) });
  register(program, { print: (text) => (out += `${text}\n`), setExitCode: (exit) => (code = exit), env });
  try {
    await program.parseAsync(['node', 'dynamask', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, out, err };
}

function run(job: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'run', '--worker', job], { env, timeout: 170_000 }, (error, out, err) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

async function dropTable(dynamo: DynamoDBClient, table: string): Promise<void> {
  await dynamo.send(new DeleteTableCommand({ TableName: table })).catch((error: unknown) => {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  });
}

describe('init, run, verify and init --update', () => {
  let dynamo: DynamoDBClient;
  let endpoint: string;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let jobFile: string;

  beforeAll(async () => {
    endpoint = inject('dynamoEndpoint');
    dynamo = createDynamoClient({ endpoint });
    // A task queue of its own: another file's `run --worker` on the default queue could take these runs, without DYNAMASK_SALT.
    env = { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: inject('temporalNamespace'), DYNAMASK_SALT: SALT, DYNAMASK_TASK_QUEUE: `e2e-init-verify-${process.pid}` };
    dir = await mkdtemp(join(tmpdir(), 'dynamask-init-'));
    jobFile = join(dir, 'customers.yaml');
    await dropTable(dynamo, SOURCE);
    await dropTable(dynamo, DESTINATION);
    await dynamo.send(
      new CreateTableCommand({
        TableName: SOURCE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byTier', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
    );
    await waitUntilTableExists({ client: dynamo, maxWaitTime: 30 }, { TableName: SOURCE });
    await writeItems(dynamo, SOURCE, sourceItems());
  });
  afterAll(() => dynamo?.destroy());

  it('init flags every planted path and no look-alike, writes a job that loads, and prints no value', async () => {
    const { code, out, err } = await command(registerInitCommand, ['init', '--endpoint', endpoint, SOURCE, '--out', jobFile], env);
    expect(err).toBe('');
    expect(code).toBe(0);
    const job = await loadJobFile(jobFile, undefined, env);
    expect(job.tables.map((table) => [table.source, table.destination])).toEqual([[SOURCE, DESTINATION]]);
    const mappings = job.tables[0]!.transformers;
    const flagged = Object.fromEntries(Object.entries(mappings).filter(([, ref]) => ref.type !== 'passthrough').map(([path, ref]) => [path, ref.type]));
    // Recall 14 of 14, false positives 0 of 18: exactly the planted paths, with their transformers; the key's identifiers go through a template.
    expect(flagged).toEqual({ ...SUGGESTED_TRANSFORMERS, pk: 'template' });
    for (const path of [...LOOK_ALIKE_PATHS, 'sk', 'gsi1pk']) expect(mappings[path], path).toEqual({ type: 'passthrough', options: {} });
    expect(Object.keys(mappings).sort()).toEqual([...Object.keys(SUGGESTED_TRANSFORMERS), ...LOOK_ALIKE_PATHS, ...KEYS].sort());

    const text = await readFile(jobFile, 'utf8');
    expect(text).toMatch(/^ {6}gsi1pk: passthrough # key: the partition key of index byTier, passed through \(see README "Single-table designs"\)/m);
    expect(text).toMatch(/^ {4}parts:\n {6}customerId: permuteId # .*\n {4}transformers:\n {6}pk: "CUSTOMER#\{customerId\}" # key: the table's partition key; /m);
    expect(text).toContain(`# ${SOURCE}: 12 items sampled (the whole table)`);
    expect(out).toMatch(new RegExp(`^${SOURCE}: 12 items sampled \\(the whole table\\) in [\\d.]+ s, \\d+ read units over \\d+ segments; 35 paths with values, 14 flagged:$`, 'm'));
    for (const value of sourceValues()) {
      expect(text, value).not.toContain(value);
      expect(out, value).not.toContain(value);
    }
  });

  it('verify exits 2 before a run: the destination does not exist', async () => {
    const { code, err, out } = await command(registerVerifyCommand, ['verify', jobFile], env);
    expect(out).toBe('');
    expect(err.trim()).toBe(`table "${DESTINATION}" not found on connection "local"`);
    expect(code).toBe(2);
  });

  it('refuses to overwrite the job without --force', async () => {
    const { code, err } = await command(registerInitCommand, ['init', '--endpoint', endpoint, SOURCE, '--out', jobFile], env);
    expect(code).toBe(2);
    expect(err.trim()).toBe(`${jobFile} exists; --force overwrites it`);
  });

  it('shows sampled values only when asked', async () => {
    const { code, out } = await command(registerInitCommand, ['init', '--endpoint', endpoint, SOURCE, '--out', join(dir, 'shown.yaml'), '--show-values'], env);
    expect(code).toBe(0);
    expect(out).toContain('sampled values (--show-values; never written to the job file):');
    expect(sourceValues().some((value) => out.includes(value))).toBe(true);
    const text = await readFile(join(dir, 'shown.yaml'), 'utf8');
    for (const value of sourceValues()) expect(text, value).not.toContain(value);
  });

  it('runs the job as written, and verify then finds no survivor', async () => {
    const copied = await run(jobFile, env);
    expect(copied.err + copied.out).toMatch(new RegExp(`${SOURCE} -> ${DESTINATION} +12 +12 `));
    expect(copied.code).toBe(0);
    expect(await scanAll(dynamo, DESTINATION)).toHaveLength(12);

    const { code, out } = await command(registerVerifyCommand, ['verify', jobFile], env);
    expect(out).toMatch(new RegExp(`^${SOURCE} -> ${DESTINATION}: all 12 selected item\\(s\\) \\(Scan, 1 segment\\), 12 found in the destination, 0 missing; keys recomputed with the job's key mappings$`, 'm'));
    expect(out).toMatch(/^ {2}contact +email +not guaranteed +12 +0 +0 +-$/m);
    expect(out).toMatch(/^ {2}wallet\[\*\]\.n +creditCard +not guaranteed +12 +0 +0 +-$/m);
    expect(out).toMatch(/^ {2}orderNo +passthrough +- +12 +- +- +0$/m);
    expect(out).toMatch(/^ {2}pk +template +preserved +12 +0 +0 +-$/m);
    expect(out).toMatch(/^ {2}sk +passthrough +- +12 +- +- +0$/m);
    expect(out).toMatch(/^ {2}across items: \d+ source value\(s\) looked for in the kept values of 12 destination item\(s\)/m);
    expect(out).toMatch(/^verify customers: 0 survivor\(s\), 0 changed, 0 missing: ok$/m);
    expect(code).toBe(0);
    for (const value of sourceValues()) expect(out, value).not.toContain(value);

    const json = await command(registerVerifyCommand, ['verify', jobFile, '--json', '--sample', '5'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(report).toMatchObject({ job: 'customers', ok: true, tables: [{ source: SOURCE, destination: DESTINATION, sampled: true, items: 5, missing: 0, survivors: 0, changed: 0 }] });
  });

  it('fails verify naming the path whose mapping was removed', async () => {
    const text = await readFile(jobFile, 'utf8');
    const without = join(dir, 'without-seen.yaml');
    // An epoch time in seconds, a number: with no mapping and no default for N, the run copies it.
    await writeFile(without, text.split('\n').filter((line) => !line.startsWith('      seen: ')).join('\n'));
    const copied = await run(without, env);
    expect(copied.code).toBe(0);

    const { code, out } = await command(registerVerifyCommand, ['verify', without], env);
    expect(out).toMatch(/^ {2}seen +\(none: copied as it is\) +- +12 +- +12 +-$/m);
    expect(out).toContain('  survivor: a value of seen (item keys pk, sk) found at seen: no mapping names it and no default takes its type, so it was copied, 12 times');
    expect(out).toMatch(/^verify customers: 12 survivor\(s\), 0 changed, 0 missing: FAILED$/m);
    expect(code).toBe(1);
    for (const value of sourceValues()) expect(out, value).not.toContain(value);
  });

  it('recomputes the destination keys of a job that transforms a key, as the worker does', async () => {
    const keyed = join(dir, 'keyed.yaml');
    // init's template with a hash part: it never merges keys (a lossy one is refused before the run), and unlike a permutation of 12 short ids its outputs under another salt meet none of these.
    const text = (await readFile(jobFile, 'utf8'))
      .replace(/^ {6}customerId: permuteId .*$/m, '      customerId: hash')
      .replace(`destination: ${DESTINATION}`, `destination: ${DESTINATION}Keyed`);
    expect(text).toContain('      customerId: hash\n');
    await writeFile(keyed, text);
    await dropTable(dynamo, `${DESTINATION}Keyed`);
    const copied = await run(keyed, env);
    expect(copied.code, copied.err + copied.out).toBe(0);
    const destinationKeys = (await scanAll(dynamo, `${DESTINATION}Keyed`)).map((item) => item.pk!.S!);
    const sourceKeys = new Set(sourceItems().map((item) => item.pk!.S!));
    expect(destinationKeys.filter((key) => sourceKeys.has(key) || !key.startsWith('CUSTOMER#'))).toEqual([]);

    const { code, out } = await command(registerVerifyCommand, ['verify', keyed], env);
    expect(out).toMatch(/12 found in the destination, 0 missing; keys recomputed with the job's key mappings$/m);
    expect(out).toMatch(/^ {2}pk +template +preserved +12 +0 +0 +-$/m);
    expect(code).toBe(0);
    // Without the salt the worker used, the keys cannot be found.
    const wrongSalt = await command(registerVerifyCommand, ['verify', keyed], { ...env, DYNAMASK_SALT: 'another-salt' });
    expect(wrongSalt.out).toMatch(/12 selected item\(s\) .*, 0 found in the destination, 12 missing/);
    expect(wrongSalt.code).toBe(1);
  });

  it('init --update lists a new attribute, --write adds it and leaves every other line as it was', async () => {
    for (const [i, email] of NEW_EMAILS.entries()) {
      await dynamo.send(
        new UpdateItemCommand({
          TableName: SOURCE,
          Key: { pk: { S: `CUSTOMER#c${i}` }, sk: { S: 'PROFILE' } },
          UpdateExpression: 'SET #backup = :email',
          ExpressionAttributeNames: { '#backup': 'backup' },
          ExpressionAttributeValues: { ':email': { S: email } },
        }),
      );
    }
    const before = await readFile(jobFile, 'utf8');
    const listed = await command(registerInitCommand, ['init', '--update', jobFile], env);
    expect(listed.code).toBe(1);
    expect(listed.out).toMatch(new RegExp(`^${jobFile.replace(/[.]/g, '\\.')}: ${SOURCE}: 1 path\\(s\\) the job does not name, 1 flagged as personal data \\(12 items sampled`, 'm'));
    expect(listed.out).toMatch(/^ {2}backup +email +email: 100% of 6 sampled values; confidence 0\.95 \| S, in 50% of items$/m);
    expect(await readFile(jobFile, 'utf8')).toBe(before);

    const written = await command(registerInitCommand, ['init', '--update', jobFile, '--write'], env);
    expect(written.code).toBe(1);
    const after = await readFile(jobFile, 'utf8');
    const inserted = insertedLines(before, after);
    expect(inserted).toBeDefined();
    expect(inserted!.filter((line) => line.trim() !== '')).toEqual([
      expect.stringMatching(/^ {6}# added by dynamask init --update on \d{4}-\d\d-\d\d: 1 path\(s\) new in a sample of 12 items$/),
      '      # item type PROFILE (pk CUSTOMER#…, sk PROFILE): 100% of the sample (12 items)',
      '      backup: email # email: 100% of 6 sampled values; confidence 0.95 | S, in 50% of items',
    ]);
    expect((await loadJobFile(jobFile, undefined, env)).tables[0]!.transformers.backup?.type).toBe('email');
    for (const value of sourceValues()) expect(after + written.out, value).not.toContain(value);

    const again = await command(registerInitCommand, ['init', '--update', jobFile], env);
    expect(again.out).toMatch(new RegExp(`: ${SOURCE}: every path of the sample is named`));
    expect(again.code).toBe(0);
  });
});

describe('init over several tables', () => {
  // A DynamoDB Local of its own: --all-tables lists every table, and the suite's shared one holds every other file's tables.
  let local: DynamoDbLocal;
  let dynamo: DynamoDBClient;
  let dir: string;
  const env = { ...process.env, DYNAMASK_SALT: SALT };

  beforeAll(async () => {
    local = await startDynamoDbLocal();
    dynamo = createDynamoClient({ endpoint: local.endpoint });
    dir = await mkdtemp(join(tmpdir(), 'dynamask-init-all-'));
    for (const table of ['Accounts', 'Tickets', 'AccountsStaging']) {
      await recreateTable(dynamo, table, { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] });
    }
    await writeItems(dynamo, 'Accounts', Array.from({ length: 30 }, (_, i) => ({ id: { S: `account${i}@example.com` }, email: { S: `account${i}@example.com` }, plan: { S: 'free' } })));
    await writeItems(dynamo, 'Tickets', Array.from({ length: 30 }, (_, i) => ({ id: { S: `t-${i}` }, ph: { S: `+1 415 555 ${String(2600 + i)}` }, status: { S: 'open' } })));
  }, 120_000);
  afterAll(async () => {
    dynamo?.destroy();
    await local?.stop();
  });

  it('samples every table of the connection with --all-tables, leaving out the ones a run would write, into one job', async () => {
    const out = join(dir, 'all.yaml');
    const { code, out: printed, err } = await command(registerInitCommand, ['init', '--endpoint', local.endpoint, '--all-tables', '--out', out], env);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(printed).toContain('skipping AccountsStaging: destination name(s) of other tables under --destination <table>Staging');
    const job = await loadJobFile(out, undefined, env);
    expect(job.tables.map((table) => [table.source, table.destination])).toEqual([
      ['Accounts', 'AccountsStaging'],
      ['Tickets', 'TicketsStaging'],
    ]);
    expect(job.tables[0]!.transformers.email?.type).toBe('email');
    // A key of emails: no email mapping keeps keys apart, so the job passes it through and init says so.
    expect(job.tables[0]!.transformers.id?.type).toBe('passthrough');
    expect(printed).toMatch(/^ {2}warning: key attribute id looks like email: 100% of 30 sampled values.*; the job passes it through: no mapping of it is sure to keep keys apart \(README "Single-table designs"\)$/m);
    expect(job.tables[1]!.transformers.ph?.type).toBe('phone');
    expect(job.tables[1]!.transformers.status?.type).toBe('passthrough');
    expect(printed).toMatch(/^wrote .*all\.yaml: job "all", 2 table\(s\)\./m);
  });

  it('takes tables by name, and refuses what would copy several into one or name a table twice over', async () => {
    const named = join(dir, 'named.yaml');
    const both = await command(registerInitCommand, ['init', '--endpoint', local.endpoint, 'Accounts', 'Tickets', '--out', named], env);
    expect(both.code).toBe(0);
    expect((await loadJobFile(named, undefined, env)).tables.map((table) => table.source)).toEqual(['Accounts', 'Tickets']);

    const refusals: [string[], string][] = [
      [['Accounts', '--all-tables'], 'give table names or --all-tables, not both'],
      [[], 'name the tables to sample, or give --all-tables'],
      [['Accounts', 'Tickets', '--destination', 'Copy'], '--destination Copy: with several tables it must hold <table>, or every table would be copied into one'],
      [['Accounts', '--destination', '<table>'], '--destination <table> makes table "Accounts" its own destination; dynamask never writes to a source'],
    ];
    for (const [args, message] of refusals) {
      const file = join(dir, `refused-${randomUUID()}.yaml`);
      const refused = await command(registerInitCommand, ['init', '--endpoint', local.endpoint, ...args, '--out', file], env);
      expect(refused.err.trim(), args.join(' ')).toBe(message);
      expect(refused.code, args.join(' ')).toBe(2);
      await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
    }
  });
});
