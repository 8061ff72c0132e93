/**
 * `dynamask verify <job>`: after a run, proves per mapped path that no
 * source value survives in the destination item it became (nor, for the
 * values a run keeps, in any other), and that what the job keeps is equal.
 * Reads only (read-only clients on both sides); exit 0 when nothing
 * survived, 1 on any survivor, changed or missing item, 2 for bad input.
 * It prints paths and key attribute names, never a value.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { SecretSource } from '../../model/secret-ref.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { DynamoClients } from '../dynamo/clients.ts';
import { loadJobFile } from '../job/job-loader.ts';
import { SecretError, SecretResolver } from '../secrets/index.ts';
import { renderVerification, type JobVerification } from '../verify/verify-report.ts';
import { verifyTable, VerifyError, type TableVerification } from '../verify/verify-table.ts';
import type { CommandIo } from './init-command.ts';

/** Transformed values shorter than this are not searched for: they meet their replacement by chance. */
export const DEFAULT_MIN_LENGTH = 4;
/** A sample is held in memory, source and destination items both: 100,000 movies are some 200 MB. */
export const MAX_VERIFY_SAMPLE = 100_000;
/** Source values the cross-item check remembers: 20 to 40 bytes each, so 200 to 400 MB at most. */
export const DEFAULT_CROSS_ITEM_VALUES = 10_000_000;

interface VerifyFlags {
  table?: string;
  sample?: number;
  minLength: number;
  crossItem: boolean;
  crossItemValues: number;
  json?: boolean;
}

export function registerVerifyCommand(program: Command, io: CommandIo = {}): Command {
  const print = io.print ?? ((text: string) => console.log(text));
  const registry = io.registry ?? builtinRegistry;
  const setExitCode = io.setExitCode ?? ((code) => (process.exitCode = code));
  return program
    .command('verify')
    .description('after a run, check that no source value of a mapped path survives in the destination and that kept paths are equal; reads only')
    .argument('<job>', 'job file (YAML)')
    .option('--table <name>', 'only this source table')
    .option('--sample <n>', `check a spread sample of n selected items instead of all (at most ${MAX_VERIFY_SAMPLE})`, wholeNumber('--sample', MAX_VERIFY_SAMPLE))
    .option('--min-length <n>', 'transformed values shorter than this are counted, not searched for', wholeNumber('--min-length', 1_000), DEFAULT_MIN_LENGTH)
    .option('--no-cross-item', 'do not look for source values in other destination items (saves a pass over the destination)')
    .option('--cross-item-values <n>', 'source values the cross-item check remembers at most', wholeNumber('--cross-item-values', 1_000_000_000), DEFAULT_CROSS_ITEM_VALUES)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: VerifyFlags, command: Command) => {
      const job = await loadJobFile(file, registry, io.env ?? process.env);
      const tables = flags.table === undefined ? job.tables : job.tables.filter((table) => table.source === flags.table);
      if (tables.length === 0) command.error(`job "${job.name}" has no table "${flags.table}"; its tables are ${job.tables.map((t) => `"${t.source}"`).join(', ')}`, { exitCode: 2 });
      const clients = new DynamoClients();
      // The salt as a worker resolves it: from this process's environment for { env }, from the store with this process's AWS credentials otherwise.
      const secrets = new SecretResolver({ ttlMs: 0, env: io.env ?? process.env });
      const resolveSalt = async (salt: SecretSource) => {
        try {
          return await secrets.resolve(salt, { connections: job.connections });
        } catch (error) {
          if (error instanceof SecretError) throw new VerifyError(`salt: ${error.message}; verify resolves it as a worker would, here`, { cause: error });
          throw error;
        }
      };
      const results: TableVerification[] = [];
      try {
        for (const table of tables) {
          results.push(
            await verifyTable(clients, job, table, registry, { ...(flags.sample !== undefined ? { sample: flags.sample } : {}), minLength: flags.minLength, crossItemValues: flags.crossItem ? flags.crossItemValues : 0 }, resolveSalt),
          );
        }
      } catch (error) {
        if (error instanceof VerifyError) command.error(error.message, { exitCode: 2 });
        throw error;
      } finally {
        clients.destroy();
        secrets.destroy();
      }
      const ok = results.every((table) => table.survivors === 0 && table.changed === 0 && table.missing === 0);
      const verification: JobVerification = { job: job.name, ok, tables: results };
      print(flags.json ? JSON.stringify(verification, null, 2) : renderVerification(verification));
      setExitCode(ok ? 0 : 1);
    });
}

function wholeNumber(option: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= 1 && n <= max)) throw new InvalidArgumentError(`${option}: expected a whole number from 1 to ${max}, not "${value}"`);
    return n;
  };
}
