/**
 * The other half of "the source is only read": a destination client refuses
 * any request that names a table the job reads on the same database, so
 * that neither a slip in a write path nor a job that got past the loader
 * (a second connection to the same endpoint, an old schedule, a start by
 * hand) can write into a source. The loader refuses such jobs first
 * (src/job/connection-checks.ts); this holds on the worker, with the
 * region a connection without one really resolves to.
 *
 * Destination code never needs a source table (sources are read through
 * their own read-only clients), so reads are refused too: the rule is about
 * names, not commands, and a command that names no table passes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConnectionConfig } from '../../model/job.ts';
import { databaseOf } from '../../model/database-identity.ts';
import { SourceWriteRefused } from './read-only-guard.ts';

/** A table the job reads, and the connection it reads it through. */
export interface GuardedTable {
  table: string;
  connection: ConnectionConfig;
}

/** Named like the read-only guard's refusal: both are a write that would reach a source. */
export class DestinationIsSourceRefused extends SourceWriteRefused {}

export interface DestinationGuardOptions {
  /** The region of a connection that names none; default: what the AWS SDK's default chain gives a client. */
  defaultRegion?: () => Promise<string | undefined>;
}

export function guardDestination(
  client: DynamoDBClient,
  connection: ConnectionConfig,
  guarded: readonly GuardedTable[],
  options: DestinationGuardOptions = {},
): DynamoDBClient {
  const defaultRegion = options.defaultRegion ?? sdkDefaultRegion;
  let onThisDatabase: Promise<{ database: string; tables: Set<string> }> | undefined;
  const resolve = async () => {
    const needsDefault = [connection, ...guarded.map((g) => g.connection)].some((c) => !c.endpoint && !c.region);
    const region = needsDefault ? await defaultRegion() : undefined;
    const database = databaseOf(connection, region);
    return { database, tables: new Set(guarded.filter((g) => databaseOf(g.connection, region) === database).map((g) => g.table)) };
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const named = namedIn(args.input);
      if (named.tables.length > 0 || named.statements.length > 0) {
        const { database, tables } = await (onThisDatabase ??= resolve());
        const hit = named.tables.find((table) => tables.has(table)) ?? [...tables].find((table) => named.statements.some((s) => mentions(s, table)));
        if (hit !== undefined) {
          throw new DestinationIsSourceRefused(
            `${context.commandName ?? 'the command'} refused: table "${hit}" is a source of this job on the same database (${database}); dynamask never writes to a source`,
          );
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'dynamaskDestinationGuard' },
  );
  return client;
}

/** Table names a request names (TableName, RequestItems, TransactItems, ARNs) and the PartiQL it carries. */
function namedIn(input: unknown): { tables: string[]; statements: string[] } {
  const tables: string[] = [];
  const statements: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 3 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const element of value) visit(element, depth + 1);
      return;
    }
    for (const [key, field] of Object.entries(value)) {
      if (typeof field === 'string') {
        if (/TableName$|TableArn$|^ResourceArn$/.test(key)) tables.push(tableOf(field));
        else if (key === 'Statement') statements.push(field);
      } else if (key === 'RequestItems' && typeof field === 'object' && field !== null) {
        tables.push(...Object.keys(field).map(tableOf));
      } else if (key === 'TransactItems' || key === 'Statements' || key === 'TransactStatements' || /^(Put|Update|Delete|ConditionCheck|Get)$/.test(key)) {
        visit(field, depth + 1);
      }
    }
  };
  visit(input, 0);
  return { tables, statements };
}

/** DynamoDB takes a table's ARN wherever it takes its name: arn:aws:dynamodb:<region>:<account>:table/<name>[/index/…]. */
function tableOf(nameOrArn: string): string {
  const match = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(nameOrArn);
  return match ? match[1]! : nameOrArn;
}

/** A PartiQL statement that names the table, quoted or bare. */
function mentions(statement: string, table: string): boolean {
  const escaped = table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`"${escaped}"|(^|[^A-Za-z0-9_.-])${escaped}($|[^A-Za-z0-9_.-])`).test(statement);
}

let defaultRegionOnce: Promise<string | undefined> | undefined;

/** The region a client given none resolves to (AWS_REGION, the profile's region): asked once per process. */
function sdkDefaultRegion(): Promise<string | undefined> {
  defaultRegionOnce ??= (async () => {
    const probe = new DynamoDBClient({});
    try {
      return await probe.config.region();
    } catch {
      return undefined;
    } finally {
      probe.destroy();
    }
  })();
  return defaultRegionOnce;
}
