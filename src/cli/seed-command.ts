/**
 * `dynamask seed`: loads a sample into a table of a DynamoDB Local, for demo
 * stacks such as compose/: AWS's public movie sample (the default), or the
 * seeded single-table dataset (`--dataset single-table`: accounts, orders
 * and support tickets in one table with a GSI, see
 * src/local-stack/single-table-data.ts). It drops and recreates the table,
 * so it refuses AWS endpoints; dynamask itself never does this.
 */
import type { Command } from 'commander';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadMovies, MOVIEDATA_PATH } from '../local-stack/movie-data.ts';
import { seedTable } from '../local-stack/seed.ts';
import { seedSingleTable, SINGLE_TABLE_NAME } from '../local-stack/single-table-data.ts';

export const DATASETS = ['movies', 'single-table'] as const;
export type Dataset = (typeof DATASETS)[number];

export interface SeedMoviesOptions {
  endpoint: string;
  /** Default: Movies, or SingleTable for the single-table dataset. */
  table?: string;
  dataset?: Dataset;
  file?: string;
  region?: string;
  /** Only the first n items of the file. */
  limit?: number;
}

export class SeedUsageError extends Error {
  override name = 'SeedUsageError';
}

export function checkLocalEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SeedUsageError(`--endpoint ${endpoint} is not a URL; expected one such as http://localhost:8000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SeedUsageError(`--endpoint ${endpoint}: expected an http:// or https:// URL`);
  if (url.hostname.endsWith('.amazonaws.com') || url.hostname.endsWith('.amazonaws.com.cn')) {
    throw new SeedUsageError(`--endpoint ${endpoint} is an AWS endpoint; seed drops and recreates its table, so it only runs against DynamoDB Local`);
  }
}

export function seedTableName(options: Pick<SeedMoviesOptions, 'table' | 'dataset'>): string {
  return options.table ?? (options.dataset === 'single-table' ? SINGLE_TABLE_NAME : 'Movies');
}

/** Returns how many items were written. */
export async function seedMovies(options: SeedMoviesOptions): Promise<number> {
  checkLocalEndpoint(options.endpoint);
  // DynamoDB Local accepts any key; fixed ones keep seeding independent of the AWS environment.
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'dynamasklocal', secretAccessKey: 'dynamasklocal' },
    maxAttempts: 8,
  });
  try {
    const table = seedTableName(options);
    if (options.dataset === 'single-table') return (await seedSingleTable(client, table)).length;
    const movies = await loadMovies(options.file ?? MOVIEDATA_PATH);
    const items = options.limit === undefined ? movies : movies.slice(0, options.limit);
    await seedTable(client, table, items);
    return items.length;
  } finally {
    client.destroy();
  }
}

export function registerSeedCommand(program: Command, options: { print?: (line: string) => void } = {}): Command {
  const print = options.print ?? ((line: string) => console.log(line));
  return program
    .command('seed')
    .description("load AWS's movie sample, or a single-table dataset, into a DynamoDB Local table (drops and recreates it; demo stacks only)")
    .requiredOption('--endpoint <url>', 'DynamoDB Local endpoint, such as http://localhost:8000')
    .option('--dataset <name>', `what to load: ${DATASETS.join(' or ')}`, 'movies')
    .option('--table <name>', 'table to recreate and fill (default: Movies, or SingleTable for --dataset single-table)')
    .option('--file <path>', 'movie sample (JSON array)', MOVIEDATA_PATH)
    .option('--region <region>', 'region to sign requests with', 'us-east-1')
    .option('--limit <n>', 'only the first n items', (v) => Number.parseInt(v, 10))
    .action(async (flags: SeedMoviesOptions, command: Command) => {
      if (flags.limit !== undefined && !(flags.limit >= 0)) command.error('--limit: expected a whole number', { exitCode: 2 });
      if (!(DATASETS as readonly string[]).includes(flags.dataset ?? 'movies')) command.error(`--dataset: expected ${DATASETS.join(' or ')}, got "${flags.dataset}"`, { exitCode: 2 });
      if (flags.dataset === 'single-table' && (flags.limit !== undefined || flags.file !== MOVIEDATA_PATH)) {
        command.error('--limit and --file are for the movie sample; the single-table dataset is generated', { exitCode: 2 });
      }
      try {
        checkLocalEndpoint(flags.endpoint);
      } catch (error) {
        if (error instanceof SeedUsageError) command.error(error.message, { exitCode: 2 });
        throw error;
      }
      const count = await seedMovies(flags);
      print(`seeded ${seedTableName(flags)} with ${count} items at ${flags.endpoint}`);
    });
}
