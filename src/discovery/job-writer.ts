/**
 * The job file `init` writes: connections, source and destination, the salt
 * as a reference the worker resolves, and per table every mapping of
 * table-mappings.ts with its comment. Built with the yaml package's
 * Document API, so names and paths are quoted as YAML needs and the file
 * reads back as written.
 *
 * Everything in it comes from names, statistics and verdicts; no sampled
 * value is passed in, so none can come out.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { ConnectionConfig, TransformerRef } from '../../model/job.ts';
import type { SecretSource } from '../../model/secret-ref.ts';
import type { SampleRead } from './table-discovery.ts';
import { itemTypeHeader, type MappingEntry, type MappingGroup, type TableMappings } from './table-mappings.ts';
import type { Discovery } from './discover.ts';

export interface DraftConnection {
  readonly name: string;
  readonly connection: ConnectionConfig;
}

export interface DraftTable {
  readonly source: string;
  readonly destination: string;
  readonly read: SampleRead;
  /** DescribeTable's ItemCount, refreshed by DynamoDB about every six hours. */
  readonly itemCount: number | undefined;
  readonly discovery: Discovery;
  readonly mappings: TableMappings;
}

export interface JobDraft {
  readonly name: string;
  readonly source: DraftConnection;
  /** The same name as the source's when both are one connection. */
  readonly destination: DraftConnection;
  readonly salt: { readonly value: SecretSource; readonly comment: string };
  readonly createTable: boolean;
  readonly tables: readonly DraftTable[];
}

export function writeJob(draft: JobDraft): string {
  const doc = new Document({});
  doc.commentBefore = [
    ' Written by `dynamask init` from a sample of each table. Review it before the',
    ' first run: each mapping says why it is there. Paths marked passthrough are',
    ' copied as they are; a path this file does not name (an attribute added',
    ' later) gets the built-in defaults (strings scrambled, other types copied).',
    ' `dynamask init --update <this file>` lists such paths; `dynamask verify`',
    ' checks a finished run.',
  ].join('\n');
  const root = doc.contents as YAMLMap;
  root.set('name', draft.name);
  const connections: Record<string, ConnectionConfig> = { [draft.source.name]: draft.source.connection };
  if (draft.destination.name !== draft.source.name) connections[draft.destination.name] = draft.destination.connection;
  root.set('connections', doc.createNode(connections));
  root.set('source', draft.source.name);
  root.set('destination', draft.destination.name);
  const saltKey = new Scalar('salt');
  saltKey.commentBefore = draft.salt.comment;
  root.items.push(new Pair(saltKey, doc.createNode(draft.salt.value, { flow: true })));
  if (draft.createTable) {
    const key = new Scalar('createTable');
    key.commentBefore = ' A missing destination is created from the source description (keys, indexes; on demand).';
    root.items.push(new Pair(key, doc.createNode(true)));
  }
  const tables = new YAMLSeq();
  for (const table of draft.tables) tables.items.push(tableNode(doc, table));
  root.set('tables', tables);
  return doc.toString({ lineWidth: 0 });
}

function tableNode(doc: Document, table: DraftTable): YAMLMap {
  const node = new YAMLMap();
  node.commentBefore = tableHeader(table)
    .map((line) => ` ${line}`)
    .join('\n');
  node.set('source', table.source);
  node.set('destination', table.destination);
  if (table.mappings.mismatches.length > 0) {
    const key = new Scalar('onTypeMismatch');
    key.commentBefore = [
      ' Some flagged paths also hold types their transformer does not take:',
      ...table.mappings.mismatches.map((m) => `   ${m.path}: ${m.types.join(', ')} (not taken by ${m.transformer})`),
      ' Those values become NULL rather than fail the run or be copied.',
    ].join('\n');
    node.items.push(new Pair(key, doc.createNode('null')));
  }
  node.set('transformers', mappingsNode(doc, table.mappings.groups));
  return node;
}

/** The mappings of some groups as one YAML map, each group's header above its first mapping. */
export function mappingsNode(doc: Document, groups: readonly MappingGroup[]): YAMLMap {
  const map = new YAMLMap();
  groups.forEach((group, index) => {
    group.entries.forEach((entry, i) => {
      const key = new Scalar(entry.path);
      if (i === 0) {
        if (index > 0) key.spaceBefore = true;
        if (group.header.length > 0) key.commentBefore = group.header.map((line) => ` ${line}`).join('\n');
      }
      const value = transformerNode(doc, entry);
      value.comment = ` ${entry.comment}`;
      map.items.push(new Pair(key, value));
    });
  });
  return map;
}

function transformerNode(doc: Document, entry: MappingEntry): Scalar | YAMLMap {
  const ref: TransformerRef = entry.transformer;
  if (Object.keys(ref.options).length === 0) return new Scalar(ref.type);
  return doc.createNode({ type: ref.type, ...ref.options }, { flow: true }) as Node as YAMLMap;
}

function tableHeader(table: DraftTable): string[] {
  const { read, discovery } = table;
  const withValues = table.mappings.groups.flatMap((group) => group.entries);
  const flagged = withValues.filter((entry) => entry.kind === 'flagged').length;
  const of = read.complete ? ' (the whole table)' : table.itemCount !== undefined && table.itemCount > 0 ? ` of ~${table.itemCount.toLocaleString('en-US')} (DescribeTable)` : '';
  const lines = [
    `${table.source}: ${discovery.items.toLocaleString('en-US')} items sampled${of}, ${Math.round(read.readUnits).toLocaleString('en-US')} read units, spread over ${read.segments} Scan segments;`,
    `${withValues.length} paths with values, ${flagged} flagged as personal data.`,
  ];
  if (discovery.itemTypes.length > 0) {
    lines.push('Item types by key prefix:');
    for (const type of discovery.itemTypes) lines.push(`  ${itemTypeHeader(type)}`);
  }
  if (discovery.itemTypesDropped) lines.push('Its keys carry prefixes, but too many or on too few items to be item types.');
  if (discovery.truncated) lines.push('The sample held more paths than discovery tracks: some paths are missing here; `init --update` lists them.');
  if (table.mappings.emptyContainers.length > 0) {
    lines.push(`Only ever empty in the sample, so nothing to map yet: ${table.mappings.emptyContainers.join(', ')}.`);
  }
  if (!read.complete && discovery.items > 0) lines.push(`An attribute on fewer than about 1 in ${discovery.items.toLocaleString('en-US')} items may be missing from the sample.`);
  return lines;
}
