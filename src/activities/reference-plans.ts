/**
 * The read plans of tables whose subset is, or includes, what another
 * table's selection points at (references), and the plain selection plans
 * they start from, each refusal non-retryable and before any write:
 *
 * - a table that only follows: the referenced table's plan for its
 *   selection (down the chain, when it follows references in turn, or the
 *   walk round the ring it stands on), and this table's GSI on the
 *   attribute (the one named, or the first whose partition key it is) with
 *   every attribute projected, since the copy writes what the index
 *   returns; without one, a parallel Scan. A limit needs the index: newest
 *   first is its sort key's order;
 * - a table with a where or seeds beside its reference (a union): always
 *   the parallel Scan, which keeps what the where picks and what refers to
 *   a selected key, each item once; a GSI Query per key could not yield
 *   the where's items (the loader refuses index and limit there);
 * - a table on a cycle of references: a ring plan (the walk round the
 *   ring, reading a member with a GSI on its attribute by a Query per newly
 *   selected key, then a parallel Scan of this table).
 *
 * Only the table copied counts dangling references: the chain above it is
 * read for its keys alone.
 */
import type { GlobalSecondaryIndexDescription, TableDescription } from '@aws-sdk/client-dynamodb';
import { SelectionError, tableReadPlan, type ReadSelection, type RootsSelection } from '../dynamo/table-read-plan.ts';
import { defaultSegments, readInfo, type TableReadInfo } from '../dynamo/table-info.ts';
import { seedsProblem, subsetWhere, type ReadPlan, type ReferencesPlan, type RingMemberPlan, type RingPlan, type RootsPlan } from '../dynamo/where/index.ts';
import type { RingEntry, TableJob, TableReference } from '../../model/job.ts';
import { refusal } from './failures.ts';

type Describe = (name: string) => Promise<TableDescription>;

/** tableReadPlan, with seeds of the wrong type refused as a bad where is. */
export function selectionPlan(table: RootsSelection, description: TableDescription, context?: string): { plan: RootsPlan; reading: TableReadInfo };
export function selectionPlan(table: ReadSelection, description: TableDescription, context?: string): { plan: ReadPlan; reading: TableReadInfo };
export function selectionPlan(table: ReadSelection, description: TableDescription, context = ''): { plan: ReadPlan; reading: TableReadInfo } {
  try {
    return tableReadPlan(table, description);
  } catch (error) {
    if (error instanceof SelectionError) throw refusal('BadWhere', `${context}${error.message}`);
    throw error;
  }
}

type Follower = Pick<TableJob, 'source' | 'where' | 'seeds' | 'consistentRead' | 'segments'> & { references: TableReference };

/** The plan of a table with references: on a ring, the ring's; else what it follows, with its own where beside. */
export async function followerPlan(table: Follower, description: TableDescription, describe: Describe): Promise<ReferencesPlan | RingPlan> {
  const ring = table.references.selection.ring;
  if (ring !== undefined && ring.at(-1)?.source === table.source) {
    const self: RingEntry = {
      source: table.source,
      ...(table.where !== undefined ? { where: table.where } : {}),
      ...(table.seeds !== undefined ? { seeds: table.seeds } : {}),
      consistentRead: table.consistentRead,
      attribute: table.references.attribute,
      ...(table.references.template !== undefined ? { template: table.references.template } : {}),
      segments: table.segments,
    };
    return ringPlan([self, ...ring.slice(0, -1)], describe, true, new Map([[table.source, description]]));
  }
  return referencesPlan(table, description, describe, true);
}

async function referencesPlan(table: Follower, description: TableDescription, describe: Describe, copied: boolean): Promise<ReferencesPlan> {
  const reference = table.references;
  const target = await describe(reference.table);
  const { selection } = reference;
  const parent: RootsPlan | ReferencesPlan | RingPlan =
    selection.ring !== undefined
      ? await ringPlan(selection.ring, describe, false)
      : selection.references !== undefined
        ? await referencesPlan({ source: reference.table, ...pickOf(selection), consistentRead: selection.consistentRead, segments: table.segments, references: selection.references }, target, describe, false)
        : selectionPlan({ source: reference.table, ...pickOf(selection), consistentRead: selection.consistentRead, segments: table.segments }, target, `the selection of "${reference.table}": `).plan;
  const own = readInfo(description, table.source);
  const where = ownWhere(table, own, '');
  const indexes = where !== undefined ? [] : (description.GlobalSecondaryIndexes ?? []);
  const index = reference.index !== undefined ? indexes.find((i) => i.IndexName === reference.index) : indexes.find((i) => hashOf(i) === reference.attribute && i.Projection?.ProjectionType === 'ALL');
  if (reference.index !== undefined) {
    if (index === undefined) throw refusal('BadJob', `references.index: table "${table.source}" has no GSI "${reference.index}"`);
    if (hashOf(index) !== reference.attribute) throw refusal('BadJob', `references.index: the partition key of GSI "${reference.index}" is ${hashOf(index)}, not ${reference.attribute}`);
    if (index.Projection?.ProjectionType !== 'ALL') throw refusal('BadJob', `references.index: GSI "${reference.index}" does not project every attribute (ProjectionType ALL), and the copy writes what it returns`);
  }
  if (index === undefined && reference.limit !== undefined) {
    throw refusal('BadJob', `references.limit keeps the newest items by a GSI's sort key, and table "${table.source}" has no GSI on ${reference.attribute} that projects every attribute`);
  }
  const targetKeys = readInfo(target, reference.table).keys;
  const parentKey = targetKeys.hash;
  templateFits(reference.template, parentKey, reference.table);
  const via = index !== undefined
    ? { kind: 'index' as const, index: index.IndexName!, ...(reference.limit !== undefined ? { limit: reference.limit } : {}) }
    : { kind: 'scan' as const, segments: segmentsOf(table.segments, own) };
  return {
    kind: 'references',
    table: table.source,
    consistentRead: table.consistentRead,
    attribute: reference.attribute,
    ...(reference.template !== undefined ? { template: reference.template } : {}),
    ...(where !== undefined ? { where } : {}),
    parent,
    parentKey: parentKey.name,
    via,
    // The Scan reads every item anyway: the ones that name no selected key are looked up, by key when the referenced table has only a partition key.
    ...(copied && via.kind === 'scan' ? { dangling: danglingLookup(targetKeys) } : {}),
  };
}

/** The walk round a ring from entries[0], which refers to entries[1], and the last to the first. */
async function ringPlan(entries: readonly RingEntry[], describe: Describe, copied: boolean, known = new Map<string, TableDescription>()): Promise<RingPlan> {
  const infos: TableReadInfo[] = [];
  const descriptions: TableDescription[] = [];
  for (const entry of entries) {
    const description = known.get(entry.source) ?? (await describe(entry.source));
    known.set(entry.source, description);
    descriptions.push(description);
    infos.push(readInfo(description, entry.source));
  }
  const indexes = entries.map((entry, i) => {
    // What the walk would ask the GSI for: the next entry's key, or the template's text; a key of another type holds none of them.
    const type = entry.template !== undefined ? 'S' : infos[(i + 1) % entries.length]!.keys.hash.type;
    const description = descriptions[i]!;
    const typeOf = (name: string) => description.AttributeDefinitions?.find((definition) => definition.AttributeName === name)?.AttributeType;
    // Any projection holds the base table's keys, all the walk asks of the items it finds; a GSI is never strongly consistent.
    if (entry.consistentRead || typeOf(entry.attribute) !== type) return undefined;
    return description.GlobalSecondaryIndexes?.find((index) => hashOf(index) === entry.attribute)?.IndexName;
  });
  const members = entries.map((entry, i): RingMemberPlan => {
    const info = infos[i]!;
    const next = entries[(i + 1) % entries.length]!;
    const where = ownWhere(entry, info, i > 0 || !copied ? `the selection of "${entry.source}": ` : '');
    templateFits(entry.template, infos[(i + 1) % entries.length]!.keys.hash, next.source);
    return {
      table: entry.source,
      consistentRead: entry.consistentRead,
      hashKey: info.keys.hash.name,
      ...(where !== undefined ? { where } : {}),
      attribute: entry.attribute,
      ...(entry.template !== undefined ? { template: entry.template } : {}),
      segments: segmentsOf(entry.segments, info),
      ...(indexes[i] !== undefined ? { index: indexes[i] } : {}),
    };
  });
  const first = entries[0]!;
  const nextKeys = infos[1 % entries.length]!.keys;
  return { kind: 'ring', table: first.source, consistentRead: first.consistentRead, members, ...(copied ? { dangling: danglingLookup(nextKeys) } : {}) };
}

function hashOf(index: GlobalSecondaryIndexDescription): string | undefined {
  return index.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
}

function pickOf(selection: Pick<TableReference['selection'], 'where' | 'seeds'>): Pick<TableJob, 'where' | 'seeds'> {
  return { ...(selection.where !== undefined ? { where: selection.where } : {}), ...(selection.seeds !== undefined ? { seeds: selection.seeds } : {}) };
}

/** The entry's where, with its seeds as a condition on its partition key: what it picks by itself; seeds of the wrong type refused as a bad where is. */
function ownWhere(entry: Pick<TableJob, 'where' | 'seeds'>, info: TableReadInfo, context: string): string | undefined {
  const problem = seedsProblem(entry.seeds, info.keys.hash);
  if (problem) throw refusal('BadWhere', `${context}${problem}`);
  return subsetWhere(entry, info.keys.hash.name);
}

function templateFits(template: string | undefined, key: TableReadInfo['keys']['hash'], table: string): void {
  if (template !== undefined && key.type === 'B') {
    throw refusal('BadJob', `references.template renders the partition key ${key.name} of "${table}" as text, and it is binary (B)`);
  }
}

function segmentsOf(segments: TableJob['segments'], info: TableReadInfo): number {
  return segments === 'auto' ? defaultSegments(info.sizeBytes) : segments;
}

function danglingLookup(keys: TableReadInfo['keys']): NonNullable<ReferencesPlan['dangling']> {
  return { keyType: keys.hash.type, lookup: keys.range === undefined ? 'get' : 'query' };
}
