/**
 * `dynamask init`: reads a bounded sample of each table (read-only
 * clients), finds every attribute path with its types and presence, weighs
 * each for personal data, and writes a job that maps every path: flagged
 * paths to the suggested transformer, the rest to explicit passthrough,
 * keys passed through, each with a comment that gives the evidence.
 *
 * `dynamask init --update <job>` samples the job's tables again and lists
 * the paths the job does not name (exit 1 when there are some, for CI);
 * `--write` adds them to the file without touching its other lines.
 *
 * Neither prints nor writes a sampled value, unless `--show-values` asks
 * for a few per path on this terminal (never in the file).
 */
import { constants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ListTablesCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError, type Command } from 'commander';
import type { ConnectionConfig, Job } from '../../model/job.ts';
import type { SecretSource } from '../../model/secret-ref.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { tableDrift, type TableDrift } from '../discovery/drift.ts';
import { addMappings, JobFileEditError } from '../discovery/job-file-edit.ts';
import { writeJob, type DraftTable } from '../discovery/job-writer.ts';
import { matchText } from '../discovery/path-notes.ts';
import { DEFAULT_READ_UNITS, DEFAULT_SAMPLE_ITEMS, discoverTable, type SampleBudget, type TableDiscovery } from '../discovery/table-discovery.ts';
import { tableMappings, type MappingEntry, type MappingGroup } from '../discovery/table-mappings.ts';
import { DynamoClients } from '../dynamo/clients.ts';
import { connectionFailure } from '../dynamo/connection-errors.ts';
import { JobFileError, loadJobFile, parseJob } from '../job/job-loader.ts';

export type ExitCode = 0 | 1 | 2;

export interface CommandIo {
  print?: (text: string) => void;
  registry?: TransformerRegistry;
  /** Where the command's exit code goes; main.ts returns it. Default: process.exitCode. */
  setExitCode?: (code: ExitCode) => void;
  env?: NodeJS.ProcessEnv;
}

export interface InitFlags {
  connection?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  allTables?: boolean;
  destination: string;
  destinationConnection?: string;
  destinationEndpoint?: string;
  destinationRegion?: string;
  destinationProfile?: string;
  name?: string;
  out?: string;
  force?: boolean;
  sample: number;
  readUnits: number;
  segments?: number;
  createTable: boolean;
  showValues?: boolean;
  update?: string;
  write?: boolean;
}

/** The variable `init` names for the salt: the worker reads it from its own environment. */
export const SALT_VARIABLE = 'DYNAMASK_SALT';
const TABLE_PLACEHOLDER = '<table>';
const SHOWN_VALUES = 3;
const SHOWN_CHARS = 60;

class InitUsageError extends Error {
  override name = 'InitUsageError';
}

export function registerInitCommand(program: Command, io: CommandIo = {}): Command {
  const print = io.print ?? ((text: string) => console.log(text));
  const registry = io.registry ?? builtinRegistry;
  const setExitCode = io.setExitCode ?? ((code: ExitCode) => (process.exitCode = code));
  return program
    .command('init')
    .description('sample tables (reads only) and write a job that maps every attribute path, personal data flagged; --update lists paths a job does not name')
    .argument('[tables...]', 'source tables')
    .option('--connection <name>', 'name of the source connection in the job (default: local with --endpoint, else source)')
    .option('--endpoint <url>', 'DynamoDB endpoint of the source (DynamoDB Local, say)')
    .option('--region <region>', 'AWS region of the source')
    .option('--profile <name>', 'AWS profile for the source')
    .option('--all-tables', 'every table of the source connection (ListTables)')
    .option('--destination <pattern>', `destination table names, ${TABLE_PLACEHOLDER} standing for the source's`, `${TABLE_PLACEHOLDER}Staging`)
    .option('--destination-connection <name>', 'name of the destination connection; default: the source connection')
    .option('--destination-endpoint <url>', 'DynamoDB endpoint of the destination')
    .option('--destination-region <region>', 'AWS region of the destination')
    .option('--destination-profile <name>', 'AWS profile for the destination')
    .option('--name <job>', 'job name; default: the file name of --out')
    .option('--out <file>', 'job file to write (refused if it exists, unless --force)')
    .option('--force', 'overwrite --out')
    .option('--sample <items>', 'items to sample per table, at most', wholeNumber('--sample', 10_000_000), DEFAULT_SAMPLE_ITEMS)
    .option('--read-units <units>', 'read capacity units to spend per table, at most (eventually consistent: 8 KB a unit)', positiveNumber('--read-units'), DEFAULT_READ_UNITS)
    .option('--segments <n>', 'Scan segments to spread the sample over (default: from --sample)', wholeNumber('--segments', 1_000_000))
    .option('--no-create-table', 'do not write createTable: true (the destination tables must exist)')
    .option('--show-values', 'also print a few sampled values per path, on this terminal only (never written to the file)')
    .option('--update <job>', 'sample the tables of this job and list the paths it does not name (exit 1 when there are some)')
    .option('--write', 'with --update: add those paths to the job file, leaving its other lines as they are')
    .action(async (tables: string[], flags: InitFlags, command: Command) => {
      try {
        const budget: SampleBudget = { items: flags.sample, readUnits: flags.readUnits, ...(flags.segments !== undefined ? { segments: flags.segments } : {}) };
        if (flags.update !== undefined) {
          if (tables.length > 0 || flags.allTables) throw new InitUsageError('--update takes its tables from the job file: give no table names and no --all-tables');
          setExitCode(await updateJob(flags.update, flags, budget, { print, registry, env: io.env ?? process.env }));
        } else {
          if (flags.write) throw new InitUsageError('--write goes with --update <job>');
          await initJob(tables, flags, budget, { print, registry, env: io.env ?? process.env });
          setExitCode(0);
        }
      } catch (error) {
        // main.ts prints a JobFileError's problems and exits 2.
        if (error instanceof InitUsageError || error instanceof JobFileEditError) command.error(error.message, { exitCode: 2 });
        throw error;
      }
    });
}

interface Context {
  print: (text: string) => void;
  registry: TransformerRegistry;
  env: NodeJS.ProcessEnv;
}

async function initJob(names: string[], flags: InitFlags, budget: SampleBudget, ctx: Context): Promise<void> {
  if (flags.out === undefined) throw new InitUsageError('--out <file>: where to write the job');
  if (!flags.force && (await exists(flags.out))) throw new InitUsageError(`${flags.out} exists; --force overwrites it`);
  if (names.length > 0 && flags.allTables) throw new InitUsageError('give table names or --all-tables, not both');
  if (names.length === 0 && !flags.allTables) throw new InitUsageError('name the tables to sample, or give --all-tables');
  if (!flags.destination.includes(TABLE_PLACEHOLDER) && names.length + (flags.allTables ? 2 : 0) > 1) {
    throw new InitUsageError(`--destination ${flags.destination}: with several tables it must hold ${TABLE_PLACEHOLDER}, or every table would be copied into one`);
  }
  const sourceName = flags.connection ?? (flags.endpoint !== undefined ? 'local' : 'source');
  const source = { name: sourceName, connection: connectionOf(flags.endpoint, flags.region, flags.profile) };
  const separate = flags.destinationConnection !== undefined && flags.destinationConnection !== sourceName;
  const destination = separate
    ? { name: flags.destinationConnection!, connection: connectionOf(flags.destinationEndpoint, flags.destinationRegion, flags.destinationProfile) }
    : { name: sourceName, connection: source.connection };
  if (!separate && (flags.destinationEndpoint ?? flags.destinationRegion ?? flags.destinationProfile) !== undefined) {
    throw new InitUsageError('--destination-endpoint, --destination-region and --destination-profile need --destination-connection <name>');
  }
  const name = flags.name ?? jobNameOf(flags.out);

  const clients = new DynamoClients();
  try {
    const client = clients.source(source.name, source.connection);
    let tables = names;
    if (flags.allTables) {
      const all = await call(() => listTables(client), source);
      const chosen = separate ? { tables: all, skipped: [] } : sourceTables(all, flags.destination);
      const { skipped } = chosen;
      tables = chosen.tables;
      if (skipped.length > 0) ctx.print(`skipping ${skipped.join(', ')}: destination name(s) of other tables under --destination ${flags.destination}`);
      if (tables.length === 0) throw new InitUsageError(`connection "${source.name}" has no tables to sample`);
    }
    const drafts: DraftTable[] = [];
    for (const table of tables) {
      const target = destinationName(flags.destination, table);
      if (!separate && target === table) throw new InitUsageError(`--destination ${flags.destination} makes table "${table}" its own destination; dynamask never writes to a source`);
      const found = await call(() => discoverTable(client, table, budget), source, table);
      const mappings = tableMappings(found, ctx.registry);
      drafts.push({ source: table, destination: target, read: found.read, itemCount: found.description.ItemCount, discovery: found.discovery, mappings });
      ctx.print(renderTableSummary(found, mappings.groups, flags.showValues === true));
    }
    const salt = saltChoice(ctx.registry);
    const text = writeJob({ name, source, destination, salt, createTable: flags.createTable, tables: drafts });
    // A job init writes must load as written; a problem here is a bug of init's, not bad input.
    try {
      parseJob(text, flags.out, ctx.registry, { ...ctx.env, [SALT_VARIABLE]: ctx.env[SALT_VARIABLE] ?? 'probe' });
    } catch (error) {
      if (error instanceof JobFileError) throw new Error(`the job init wrote does not load, so it was not written:\n${error.message}`, { cause: error });
      throw error;
    }
    await writeFile(flags.out, text, { flag: flags.force ? 'w' : 'wx' });
    ctx.print(`wrote ${flags.out}: job "${name}", ${drafts.length} table(s). Set ${SALT_VARIABLE} on the workers (a long random secret), then review the file and \`dynamask validate ${flags.out}\`.`);
  } finally {
    clients.destroy();
  }
}

async function updateJob(file: string, flags: InitFlags, budget: SampleBudget, ctx: Context): Promise<ExitCode> {
  const job: Job = await loadJobFile(file, ctx.registry, ctx.env);
  const clients = new DynamoClients();
  const drifts: { index: number; table: string; drift: TableDrift; items: number }[] = [];
  try {
    for (const [index, table] of job.tables.entries()) {
      const connection = { name: table.sourceConnection, connection: job.connections[table.sourceConnection]! };
      const client = clients.source(connection.name, connection.connection);
      const found = await call(() => discoverTable(client, table.source, budget), connection, table.source);
      // A path a rule set names is named: the sample is not split by item type, so which items it covers is the rule set's business.
      const named = Object.assign({}, table.transformers, ...(table.rules ?? []).map((rule) => rule.transformers));
      const drift = tableDrift(named, found, ctx.registry);
      drifts.push({ index, table: table.source, drift, items: found.discovery.items });
      ctx.print(renderDrift(file, table.source, found, drift, flags.showValues === true));
    }
  } finally {
    clients.destroy();
  }
  const unnamed = drifts.reduce((sum, { drift }) => sum + drift.unnamed.length, 0);
  if (unnamed === 0) return 0;
  if (flags.write) {
    const text = await readFile(file, 'utf8');
    const today = new Date().toISOString().slice(0, 10);
    const result = addMappings(
      text,
      drifts
        .filter(({ drift }) => drift.unnamed.length > 0)
        .map(({ index, drift, items }) => ({ table: index, header: [`added by dynamask init --update on ${today}: ${drift.unnamed.length} path(s) new in a sample of ${items} items`], groups: drift.groups })),
    );
    await writeFile(file, result.text);
    ctx.print(`added ${unnamed} mapping(s) to ${file} (${result.addedLines} lines, every other line as it was)`);
  }
  return 1;
}

function saltChoice(registry: TransformerRegistry): { value: SecretSource; comment: string } {
  const reference = { env: SALT_VARIABLE };
  if (loaderTakesSaltReferences(registry)) {
    return {
      value: reference,
      comment: [
        ' The key of deterministic transformers, read by each worker from its own',
        ` environment: set ${SALT_VARIABLE} on every worker (a long random secret). Only`,
        ' this reference travels to Temporal, never the value.',
      ].join('\n'),
    };
  }
  // Until this dynamask's loader takes secret references, the variable is read where the job is loaded.
  return {
    value: `\${${SALT_VARIABLE}}`,
    comment: [
      ` The key of deterministic transformers: set ${SALT_VARIABLE} (a long random secret)`,
      ' where runs are started. Once your dynamask takes secret references, write',
      ` { env: ${SALT_VARIABLE} } instead, so that workers read it and Temporal never sees it.`,
    ].join('\n'),
  };
}

/** Whether the job loader of this build takes `salt: { env: ... }`. */
export function loaderTakesSaltReferences(registry: TransformerRegistry): boolean {
  const probe = ['name: probe', 'connections: { c: { region: us-east-1 } }', 'source: c', 'destination: c', `salt: { env: ${SALT_VARIABLE} }`, 'tables: [{ source: probeA, destination: probeB }]', ''].join('\n');
  try {
    parseJob(probe, '<probe>', registry, { [SALT_VARIABLE]: 'probe' });
    return true;
  } catch (error) {
    if (error instanceof JobFileError) return !error.problems.some((problem) => problem.path === 'salt');
    throw error;
  }
}

function renderTableSummary(found: TableDiscovery, groups: readonly MappingGroup[], showValues: boolean): string {
  const entries = groups.flatMap((group) => group.entries);
  const flagged = entries.filter((entry) => entry.kind === 'flagged');
  const lines = [`${found.table}: ${readLine(found)}; ${entries.length} paths with values, ${flagged.length} flagged:`];
  lines.push(...entryLines(flagged));
  const flaggedKeys = found.keys.keys.filter((key) => found.verdicts.find((verdict) => verdict.path === key.name)?.flagged === true);
  for (const key of flaggedKeys) {
    const verdict = found.verdicts.find((v) => v.path === key.name)!;
    lines.push(`  warning: key attribute ${key.name} looks like ${matchText(verdict.matches[0]!, verdict.sampled)}; ${keyHandling(entries.find((entry) => entry.path === key.name))} (README "Single-table designs")`);
  }
  if (showValues) lines.push(...valueLines(found, entries));
  return lines.join('\n');
}

/** What the written job does with a key flagged as personal data: a key can take only mappings that keep keys apart. */
function keyHandling(entry: MappingEntry | undefined): string {
  if (entry === undefined || entry.transformer.type === 'passthrough') return 'the job passes it through: no mapping of it is sure to keep keys apart';
  if (entry.templates) return `the job rewrites it part by part (${entry.templates.templates.map((t) => JSON.stringify(t)).join(', ')})`;
  return `the job maps it with ${entry.transformer.type}`;
}

function renderDrift(file: string, table: string, found: TableDiscovery, drift: TableDrift, showValues: boolean): string {
  if (drift.unnamed.length === 0) return `${file}: ${table}: every path of the sample is named (${readLine(found)})`;
  const entries = drift.groups.flatMap((group) => group.entries);
  const lines = [`${file}: ${table}: ${drift.unnamed.length} path(s) the job does not name, ${drift.flagged} flagged as personal data (${readLine(found)}):`, ...entryLines(entries)];
  if (showValues) lines.push(...valueLines(found, entries));
  return lines.join('\n');
}

function readLine(found: TableDiscovery): string {
  const { read, discovery } = found;
  return `${discovery.items} items sampled${read.complete ? ' (the whole table)' : ''} in ${read.seconds.toFixed(1)} s, ${Math.round(read.readUnits)} read units over ${read.segments} segments`;
}

function entryLines(entries: readonly MappingEntry[]): string[] {
  const width = Math.max(0, ...entries.map((entry) => entry.path.length));
  const typeWidth = Math.max(0, ...entries.map((entry) => entry.transformer.type.length));
  return entries.map((entry) => `  ${entry.path.padEnd(width)}  ${entry.transformer.type.padEnd(typeWidth)}  ${entry.comment}`);
}

/** Only with --show-values: a few of the sampled values of each path, clipped, for the user's own eyes. */
function valueLines(found: TableDiscovery, entries: readonly MappingEntry[]): string[] {
  const lines = ['  sampled values (--show-values; never written to the job file):'];
  for (const entry of entries) {
    const path = found.discovery.paths.find((candidate) => candidate.stats.path === entry.path);
    const values = (path?.sample ?? []).slice(0, SHOWN_VALUES).map((value) => JSON.stringify(value.text.length > SHOWN_CHARS ? `${value.text.slice(0, SHOWN_CHARS)}…` : value.text));
    if (values.length > 0) lines.push(`    ${entry.path}: ${values.join(', ')}`);
  }
  return lines;
}

function connectionOf(endpoint: string | undefined, region: string | undefined, profile: string | undefined): ConnectionConfig {
  // DynamoDB Local signs with any region; one is needed all the same.
  const localRegion = endpoint !== undefined && region === undefined ? 'us-east-1' : region;
  return { ...(localRegion !== undefined ? { region: localRegion } : {}), ...(endpoint !== undefined ? { endpoint } : {}), ...(profile !== undefined ? { profile } : {}) };
}

/**
 * The tables of a connection to copy when the destinations are on it too:
 * not the ones a run of this job would write (`UsersStaging` beside `Users`),
 * or the job would copy a copy.
 */
export function sourceTables(all: readonly string[], pattern: string): { tables: string[]; skipped: string[] } {
  const destinations = new Set(all.map((table) => destinationName(pattern, table)));
  const skipped = all.filter((table) => destinations.has(table) && destinationName(pattern, table) !== table);
  return { tables: all.filter((table) => !skipped.includes(table)), skipped };
}

export function destinationName(pattern: string, table: string): string {
  return pattern.split(TABLE_PLACEHOLDER).join(table);
}

function jobNameOf(file: string): string {
  const name = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return name === '' ? 'dynamask-job' : name;
}

async function listTables(client: DynamoDBClient): Promise<string[]> {
  const tables: string[] = [];
  let ExclusiveStartTableName: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName }));
    tables.push(...(page.TableNames ?? []));
    ExclusiveStartTableName = page.LastEvaluatedTableName;
  } while (ExclusiveStartTableName);
  return tables;
}

/** Connection problems and missing tables are bad input, with the connection's name. */
async function call<T>(work: () => Promise<T>, connection: { name: string; connection: ConnectionConfig }, table?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ResourceNotFoundException && table !== undefined) throw new InitUsageError(`table "${table}" not found on connection "${connection.name}"`);
    const failure = connectionFailure(error, connection.name, connection.connection);
    if (failure) throw new Error(failure.message, { cause: error });
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function positiveNumber(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`${option}: expected a positive number, not "${value}"`);
    return n;
  };
}

function wholeNumber(option: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= 1 && n <= max)) throw new InvalidArgumentError(`${option}: expected a whole number from 1 to ${max}, not "${value}"`);
    return n;
  };
}
