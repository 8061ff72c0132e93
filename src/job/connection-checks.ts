/**
 * Which connections each table reads from and writes to, and the rule that
 * makes the source read-only at the job level: no table writes into a table
 * the job reads.
 */
import { databaseOf, type DatabaseSettings } from '../../model/database-identity.ts';
import { didYouMean, renderPath, type DocPath, type PathIssue } from '../../model/problems.ts';
import { asRecord } from './raw-values.ts';

/** Where a table reads and writes, as far as the raw document says; undefined parts were reported elsewhere. */
export interface TableEnds {
  path: DocPath;
  sourceConnection?: string;
  destinationConnection?: string;
  source?: string;
  destination?: string;
  explicitDestination: boolean;
}

/** Each table's connections: its own, else the top-level default; every name must be a connection. */
export function resolveConnections(raw: Record<string, unknown>, tables: readonly unknown[], issues: PathIssue[]): TableEnds[] {
  const names = Object.keys(asRecord(raw.connections) ?? {});
  const checkName = (name: unknown, path: DocPath): string | undefined => {
    // Nothing to check against when `connections` itself is missing or broken: that is reported already.
    if (typeof name !== 'string' || name === '' || names.length === 0) return undefined;
    if (names.includes(name)) return name;
    const suggestion = didYouMean(name, names);
    const hint = suggestion !== '' ? suggestion : `; the connections are ${names.map((known) => `"${known}"`).join(', ')}`;
    issues.push({ path, message: `unknown connection "${name}"${hint}` });
    return undefined;
  };
  const fallback = { source: checkName(raw.source, ['source']), destination: checkName(raw.destination, ['destination']) };
  const lacking = { source: [] as string[], destination: [] as string[] };

  const ends: TableEnds[] = [];
  tables.forEach((value, index) => {
    const table = asRecord(value);
    if (table === undefined) return;
    const path: DocPath = ['tables', index];
    const connection = (end: 'source' | 'destination'): string | undefined => {
      const field = `${end}Connection`;
      if (table[field] !== undefined) return checkName(table[field], [...path, field]);
      if (raw[end] === undefined) lacking[end].push(renderPath(path));
      return fallback[end];
    };
    const source = typeof table.source === 'string' ? table.source : undefined;
    ends.push({
      path,
      sourceConnection: connection('source'),
      destinationConnection: connection('destination'),
      source,
      destination: table.destination === undefined ? source : typeof table.destination === 'string' ? table.destination : undefined,
      explicitDestination: table.destination !== undefined,
    });
  });

  // One problem for the top-level default rather than one per table.
  for (const end of ['source', 'destination'] as const) {
    const tableNames = lacking[end];
    if (tableNames.length === 0) continue;
    const field = `${end}Connection`;
    const which =
      tableNames.length === 1
        ? `${tableNames[0]} has no "${field}" of its own`
        : `${tableNames.slice(0, -1).join(', ')} and ${tableNames.at(-1)} have no "${field}" of their own`;
    issues.push({ path: [end], message: `required field is missing: ${which}` });
  }
  return ends;
}

/**
 * The source is only ever read: no table may write into a table this job
 * reads, its own or another's. Two connections to the same database
 * (model/database-identity.ts: the same endpoint, or with none the same
 * region) reach the same tables, whatever their names and credentials.
 */
export function checkNeverWritesToSource(ends: readonly TableEnds[], connections: Record<string, unknown>, issues: PathIssue[]): void {
  const database = (name: string): string => databaseOf(databaseSettings(connections[name]));
  const sameConnection = (a: string, b: string): boolean => a === b || database(a) === database(b);
  for (const writer of ends) {
    const { destination, destinationConnection } = writer;
    if (destination === undefined || destinationConnection === undefined) continue;
    const reads = (reader: TableEnds): boolean =>
      reader.sourceConnection !== undefined && reader.source === destination && sameConnection(reader.sourceConnection, destinationConnection);
    // Its own source first: that is the likelier slip, and the clearer message.
    const reader = reads(writer) ? writer : ends.find(reads);
    if (reader === undefined) continue;
    const whose = reader === writer ? 'the source table' : `the source table of ${renderPath(reader.path)}`;
    const notes: string[] = [];
    if (reader.sourceConnection !== destinationConnection) {
      notes.push(`connections "${reader.sourceConnection}" and "${destinationConnection}" both reach ${database(destinationConnection)}`);
    }
    if (!writer.explicitDestination) notes.push('the destination table name defaults to the source name');
    issues.push({
      path: writer.explicitDestination ? [...writer.path, 'destination'] : writer.path,
      message: `destination is ${whose}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}; dynamask never writes to a source`,
    });
  }
}

function databaseSettings(connection: unknown): DatabaseSettings {
  const settings = asRecord(connection) ?? {};
  // A malformed value was reported by the schema; it identifies nothing here.
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const endpoint = text(settings.endpoint);
  const region = text(settings.region);
  return { ...(endpoint !== undefined && { endpoint }), ...(region !== undefined && { region }) };
}
