/**
 * The structural half of "the source is only read": a client made for
 * reading carries this middleware, which refuses every command that is not
 * a read before it leaves the process. Code paths that write use a separate
 * destination client, so a slip in them cannot reach a source table.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/**
 * Commands that only read. ExecuteStatement and BatchExecuteStatement are
 * checked statement by statement. The Streams four read the source's
 * stream (mode incremental); UpdateTable, which enables or changes a
 * stream, is refused like every other write: dynamask never touches a
 * source's stream settings.
 */
const READ_COMMANDS = new Set([
  'ListStreamsCommand',
  'DescribeStreamCommand',
  'GetShardIteratorCommand',
  'GetRecordsCommand',
  'DescribeTableCommand',
  'ListTablesCommand',
  'ScanCommand',
  'QueryCommand',
  'GetItemCommand',
  'BatchGetItemCommand',
  'ExecuteStatementCommand',
  'BatchExecuteStatementCommand',
]);

export class SourceWriteRefused extends Error {
  override name = 'SourceWriteRefused';
}

/** PartiQL statements the guard lets through: one SELECT, nothing after it. */
export function isSelectStatement(statement: string): boolean {
  return /^\s*select\s/i.test(statement) && !hasStatementSeparator(statement);
}

/** A `;` outside quotes ends a statement; a read never needs one. */
function hasStatementSeparator(statement: string): boolean {
  let quote: string | undefined;
  for (const char of statement) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === ';') {
      return true;
    }
  }
  return false;
}

export interface ReadOnlyGuardOptions {
  /** Told of every command the client sends, by name (tests record them). */
  onCommand?: (commandName: string) => void;
}

/** Guards a DynamoDB or a DynamoDB Streams client (both have the same middleware stack). */
export function guardReadOnly<C extends DynamoDBClient | DynamoDBStreamsClient>(client: C, options: ReadOnlyGuardOptions = {}): C {
  (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown command';
      const input = args.input as { Statement?: string; Statements?: { Statement?: string }[] };
      const refused =
        !READ_COMMANDS.has(command) ||
        (command === 'ExecuteStatementCommand' && !isSelectStatement(input.Statement ?? '')) ||
        (command === 'BatchExecuteStatementCommand' && !(input.Statements ?? []).every((s) => isSelectStatement(s.Statement ?? '')));
      if (refused) throw new SourceWriteRefused(`${command} refused: dynamask only reads from a source connection`);
      options.onCommand?.(command);
      return next(args);
    },
    { step: 'initialize', name: 'dynamaskReadOnlyGuard' },
  );
  return client;
}
