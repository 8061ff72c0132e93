/**
 * `dynamask plan`'s reading half: for each table of a job, DescribeTable of
 * the source and the destination, the read plan the run will use (the same
 * planRead and defaultSegments as prepareTable), a small sample transformed
 * by the job's own plan, and from those the estimate (table-estimate.ts).
 *
 * Reads only, and by wiring: every client here is DynamoClients' read-only
 * source client, the destination's too, since sizing only describes it.
 * Items stay in this process; the estimate holds sizes and counts.
 */
import { beyondReferences, tableReadPlan } from '../dynamo/table-read-plan.ts';
import { ResourceNotFoundException, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import type { Job, TableJob } from '../../model/job.ts';
import { ScriptError } from '../../transformers/js/plan-scripts.ts';
import { keysMapBack } from '../../transformers/key-inverse.ts';
import { buildPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { DynamoClients } from '../dynamo/clients.ts';
import { connectionFailure } from '../dynamo/connection-errors.ts';
import { defaultSegments, describeTable, tableKeys } from '../dynamo/table-info.ts';
import { describeReadPlan, readPlanSegments } from '../dynamo/where/index.ts';
import type { Prices } from './cost.ts';
import { itemSize } from '../../model/item-size.ts';
import { estimateJob, type JobEstimate } from './job-estimate.ts';
import { sampleTable } from './sample-table.ts';
import { NEW_ON_DEMAND_TABLE, tableCapacity } from './table-capacity.ts';
import { estimateTable, type DestinationState, type EstimateOptions, type TableEstimate } from './table-estimate.ts';

export interface SizeJobOptions extends EstimateOptions {
  prices: Prices & { source: string };
  /** Items the sample evaluates per pass, per table. */
  sampleSize: number;
  /** Only this source table. */
  table?: string;
}

export class SizingError extends Error {
  override name = 'SizingError';
}

export async function sizeJob(job: Job, registry: TransformerRegistry, options: SizeJobOptions): Promise<JobEstimate> {
  const tables = options.table === undefined ? job.tables : job.tables.filter((t) => t.source === options.table);
  if (tables.length === 0) throw new SizingError(`job "${job.name}" has no table "${options.table}"; its tables are ${job.tables.map((t) => `"${t.source}"`).join(', ')}`);
  const clients = new DynamoClients();
  try {
    const estimates: TableEstimate[] = [];
    for (const table of tables) estimates.push(await sizeTable(clients, job, table, registry, options));
    return estimateJob(job.name, estimates, options);
  } finally {
    clients.destroy();
  }
}

async function sizeTable(clients: DynamoClients, job: Job, table: TableJob, registry: TransformerRegistry, options: SizeJobOptions): Promise<TableEstimate> {
  const source = clients.source(table.sourceConnection, job.connections[table.sourceConnection]!);
  const description = await describe(source, job, table.source, table.sourceConnection);
  if (description === undefined) throw new SizingError(`table "${table.source}" not found on connection "${table.sourceConnection}"`);
  // Sized by its roots: a whole-collections table's collections are not sampled (README, Sizing).
  const { wholeCollections: _collections, ...roots } = table;
  const { plan: readPlan, reading } = tableReadPlan(beyondReferences(roots), description);
  const segments = table.segments === 'auto' ? defaultSegments(reading.sizeBytes) : table.segments;

  // Described through a read-only client: sizing never writes, not even to the destination.
  const destinationClient = clients.source(table.destinationConnection, job.connections[table.destinationConnection]!);
  const destination = await describe(destinationClient, job, table.destination, table.destinationConnection);
  const destinationState: DestinationState = destination
    ? { kind: 'exists', itemCount: destination.ItemCount ?? 0, sizeBytes: destination.TableSizeBytes ?? 0, capacity: tableCapacity(destination) }
    : table.createTable
      ? { kind: 'created', capacity: NEW_ON_DEMAND_TABLE }
      : { kind: 'missing' };

  const sample = await sampleTable(source, readPlan, reading.keys, options.sampleSize);
  const notes: string[] = [];
  const writeSizes = await transformedSizes(job, table, registry, tableKeys(description).keyAttributes, sample.selected, notes);
  // createTable copies the source's global secondary indexes.
  const indexes = (destination ?? (table.createTable ? description : undefined))?.GlobalSecondaryIndexes?.length ?? 0;
  if (indexes > 0) {
    notes.push(`"${table.destination}" ${destination ? 'has' : 'will have'} ${indexes} global secondary index${indexes === 1 ? '' : 'es'}: every write also costs write units on each index whose keys the item holds, which is not counted here`);
  }
  if (table.segments === 'auto' && reading.sizeBytes === 0 && sample.read.length > 0 && !sample.complete) {
    notes.push(`segments: auto picks ${segments} from DescribeTable's size of 0 bytes, as the run will too; set segments to read in parallel`);
  }

  const estimate = estimateTable(
    {
      source: table.source,
      destination: table.destination,
      // An incremental table's first run (and any fallback) is a full copy with replace's prune: the costly run is the one estimated.
      mode: table.mode === 'incremental' ? 'replace' : table.mode,
      consistentRead: table.consistentRead,
      hasWhere: table.where !== undefined,
      ...(table.readRateLimit !== undefined ? { readRateLimit: table.readRateLimit } : {}),
      ...(table.writeRateLimit !== undefined ? { writeRateLimit: table.writeRateLimit } : {}),
      readPlan: { kind: readPlan.kind, text: describeReadPlan(readPlan), segments: readPlanSegments(readPlan) },
      sourceStats: { itemCount: reading.itemCount, sizeBytes: reading.sizeBytes },
      sourceCapacity: tableCapacity(description, table.index),
      destinationState,
      ...(prunesForward(table, tableKeys(description).keyAttributes, registry) && { prune: 'forward' as const }),
      sample: {
        readSizes: sample.read.map(itemSize),
        complete: sample.complete,
        selection: { evaluated: sample.tested, selected: sample.selected.length, ...(sample.weighted ? { weighted: sample.weighted } : {}) },
        selectionFrom: sample.selectionFrom,
        writeSizes,
        ...(sample.queryBytes ? { queryBytes: sample.queryBytes } : {}),
      },
    },
    options,
  );
  return { ...estimate, notes: [...estimate.notes, ...notes] };
}

/** Sizes of the sampled items as the run would write them. */
async function transformedSizes(job: Job, table: TableJob, registry: TransformerRegistry, keyAttributes: string[], items: Item[], notes: string[]): Promise<number[]> {
  if (items.length === 0) return [];
  // Sizes depend little on the salt: a fixed one, unless the job gives the value, spares reading a secret for nothing.
  const plan = buildPlan(
    {
      transformers: table.transformers,
      ...(table.rules !== undefined && { rules: table.rules }),
      defaults: job.defaults,
      keyAttributes,
      salt: typeof job.salt === 'string' ? job.salt : 'dynamask-plan',
      onTypeMismatch: 'passthrough',
      sandbox: job.sandbox,
      keysAreSensitive: job.keysAreSensitive,
    },
    registry,
  );
  try {
    const counts = { typeMismatches: 0 };
    const transformed = await plan.transformPage(items, counts);
    if (counts.typeMismatches > 0 && table.onTypeMismatch === 'error') {
      notes.push(`${counts.typeMismatches} sampled value(s) have a type their transformer does not take: with onTypeMismatch: error the run will fail (validate --sample names the paths)`);
    }
    return transformed.map(itemSize);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    notes.push(`a JavaScript mapping failed on the sample (${error.message}); write sizes are those of the untransformed items`);
    return items.map(itemSize);
  } finally {
    plan.dispose();
  }
}

async function describe(client: DynamoDBClient, job: Job, table: string, connection: string): Promise<TableDescription | undefined> {
  try {
    return await describeTable(client, table);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    const failure = connectionFailure(error, connection, job.connections[connection]!);
    if (failure) throw new SizingError(failure.message, { cause: error });
    throw error;
  }
}

/** As prepareTable decides (src/activities/prune-way.ts): keys that do not map back prune forward. */
function prunesForward(table: TableJob, keyAttributes: readonly string[], registry: TransformerRegistry): boolean {
  return (table.mode === 'replace' || table.mode === 'incremental') && !keysMapBack(table, keyAttributes, registry);
}
