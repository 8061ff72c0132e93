/**
 * `verify` for one table of a job, after a run: read the source selection
 * (all of it, or a spread sample), find the destination item each source
 * item became, and check them pair by pair (item-check.ts); then look for
 * source values in other destination items (a second pass over the
 * destination, or over the sampled destination items).
 *
 * "The destination item it became": a run passes key attributes through
 * unless a mapping names them, so the destination key is the source key;
 * where mappings name key attributes, they are applied here as the worker
 * applies them (buildPlan, with the job's salt resolved the way a worker
 * resolves it), and BatchGetItem reads the result.
 *
 * Reads only, and by wiring: both source and destination are read through
 * DynamoClients' read-only source clients. Memory: one page of items at a
 * time, the cross-item digest set (digest-set.ts), and with --sample the
 * sampled destination items.
 */
import { beyondReferences, tableReadPlan } from '../dynamo/table-read-plan.ts';
import { mappingUniqueness } from '../../transformers/key-safety.ts';
import { keyMapping } from '../../transformers/key-inverse.ts';
import { ResourceNotFoundException, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import type { Job, TableJob, TransformerRef } from '../../model/job.ts';
import type { SecretSource } from '../../model/secret-ref.ts';
import { buildPlan, type TransformPlan } from '../../transformers/plan.ts';
import { compileRuleConditions, ruleSetMappings, selectRuleSet } from '../../transformers/rule-sets.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { getItems, keyId } from '../dynamo/batch-getter.ts';
import type { DynamoClients } from '../dynamo/clients.ts';
import { connectionFailure } from '../dynamo/connection-errors.ts';
import { spreadScan } from '../dynamo/spread-scan.ts';
import { defaultSegments, describeTable, tableKeys } from '../dynamo/table-info.ts';
import { readTablePage, type ReadCursor } from '../dynamo/table-reader.ts';
import { describeReadPlan, readPlanSegments, type ReadPlan, type ScanPlan } from '../dynamo/where/index.ts';
import { ItemChecker, type Finding, type PathRow, type RuleChooser } from './item-check.ts';
import { PathRules } from './path-rules.ts';

export interface VerifyOptions {
  /** Check a spread sample of this many selected items instead of all. */
  readonly sample?: number;
  /** Transformed values shorter than this are not searched for. */
  readonly minLength: number;
  /** Source values the cross-item check remembers at most; 0 turns it off. */
  readonly crossItemValues: number;
}

export interface VerifiedRow extends Omit<PathRow, 'ref'> {
  /** Whether the transformer keeps distinct inputs distinct, where its definition says. */
  readonly uniqueness?: string;
}

export interface TableVerification {
  readonly source: string;
  readonly destination: string;
  readonly selection: string;
  readonly sampled: boolean;
  readonly keys: { readonly attributes: readonly string[]; readonly transformed: boolean };
  readonly items: number;
  readonly missing: number;
  readonly rows: readonly VerifiedRow[];
  readonly findings: readonly Finding[];
  readonly findingsDropped: number;
  readonly crossItem?: { readonly destinationItems: number; readonly values: number; readonly full: boolean; readonly bytes: number };
  readonly survivors: number;
  readonly changed: number;
  readonly seconds: number;
  /** Of which: reading the source and the destination items by key; looking across items. */
  readonly passSeconds: { readonly pairs: number; readonly acrossItems: number };
}

/** Bad input for verify: a missing table, keys that do not match, a salt that cannot be had. */
export class VerifyError extends Error {
  override name = 'VerifyError';
}

/** Segments read at once in the full passes. */
const CONCURRENCY = 4;
const SAMPLE_SEGMENTS = 50;
/** Items a sample page evaluates at most. */
const SAMPLE_PAGE = 100;

export async function verifyTable(
  clients: DynamoClients,
  job: Job,
  table: TableJob,
  registry: TransformerRegistry,
  options: VerifyOptions,
  resolveSalt: (salt: SecretSource) => Promise<string>,
): Promise<TableVerification> {
  const started = performance.now();
  const source = clients.source(table.sourceConnection, job.connections[table.sourceConnection]!);
  // Read-only on purpose: verify never writes, not even to the destination.
  const destination = clients.source(table.destinationConnection, job.connections[table.destinationConnection]!);
  const sourceDescription = await describe(source, table.source, table.sourceConnection, job);
  const destinationDescription = await describe(destination, table.destination, table.destinationConnection, job);
  const keyAttributes = tableKeys(sourceDescription).keyAttributes;
  const destinationKeys = tableKeys(destinationDescription).keyAttributes;
  if (JSON.stringify(destinationKeys) !== JSON.stringify(keyAttributes)) {
    throw new VerifyError(`"${table.destination}" has key ${destinationKeys.join(', ')}, "${table.source}" has ${keyAttributes.join(', ')}: verify pairs items by key, so they must be the same`);
  }
  const { plan, reading } = tableReadPlan(beyondReferences(table), sourceDescription);

  const keyPlan = await keyTransform(job, table, keyAttributes, registry, resolveSalt);
  const checker = new ItemChecker(ruleChooser(table, job.defaults, keyAttributes), keyAttributes, { minLength: options.minLength, crossItemValues: options.crossItemValues });
  const kept: Item[] = [];
  const checkPage = async (items: Item[]): Promise<void> => {
    const keys = (keyPlan === undefined ? items : await keyPlan.transformPage(items)).map((item) => pick(item, keyAttributes));
    // BatchGetItem of 100 keys a request, four requests in flight.
    const found = await getItems(destination, table.destination, keyAttributes, keys, { consistentRead: true, concurrency: 4 });
    items.forEach((item, index) => {
      checker.check(item, found[index], keyId(keys[index]!, keyAttributes));
      if (options.sample !== undefined && found[index] !== undefined) kept.push(found[index]);
    });
  };
  try {
    if (options.sample === undefined) await readAll(source, plan, checkPage);
    else await checkPage(await readSample(source, plan, options.sample));
  } finally {
    keyPlan?.dispose();
  }

  const paired = performance.now();
  if (options.crossItemValues > 0) {
    if (options.sample !== undefined) for (const item of kept) checker.checkAcrossItems(item, keyId(item, keyAttributes));
    else {
      const whole: ScanPlan = { kind: 'scan', table: table.destination, consistentRead: false, segments: defaultSegments(destinationDescription.TableSizeBytes ?? 0) };
      await readAll(destination, whole, async (items) => {
        for (const item of items) checker.checkAcrossItems(item, keyId(item, keyAttributes));
      });
    }
  }

  const rows = [...checker.rows.values()]
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map(({ ref, ...row }) => {
      const uniqueness = ref === undefined || row.kind !== 'transformed' ? undefined : uniquenessOf(registry, ref);
      return { ...row, ...(uniqueness !== undefined ? { uniqueness } : {}) };
    });
  const cross = checker.crossItem;
  return {
    source: table.source,
    destination: table.destination,
    selection: describeReadPlan(plan),
    sampled: options.sample !== undefined,
    keys: { attributes: keyAttributes, transformed: keyPlan !== undefined },
    items: checker.items,
    missing: checker.missing,
    rows,
    findings: checker.findings,
    findingsDropped: checker.findingsDropped,
    ...(cross !== undefined ? { crossItem: { destinationItems: checker.crossItemChecked, values: cross.values, full: cross.full, bytes: cross.bytes } } : {}),
    survivors: rows.reduce((sum, row) => sum + row.survivors, 0),
    changed: rows.reduce((sum, row) => sum + row.changed, 0),
    seconds: (performance.now() - started) / 1000,
    passSeconds: { pairs: (paired - started) / 1000, acrossItems: (performance.now() - paired) / 1000 },
  };
}

/**
 * Each item's path rules as the run chose them: the first rule set whose
 * condition holds (the one evaluator, as the plan does), merged with the
 * table's mappings; the table's alone for items none takes.
 */
function ruleChooser(table: TableJob, defaults: Job['defaults'], keyAttributes: readonly string[]): RuleChooser {
  const own = new PathRules(table.transformers, defaults, keyAttributes);
  const ruleSets = table.rules ?? [];
  if (ruleSets.length === 0) return () => ({ rules: own });
  const predicates = compileRuleConditions(ruleSets);
  const perSet = ruleSets.map((rule, index) => ({
    rules: new PathRules(ruleSetMappings(table.transformers, rule), defaults, keyAttributes),
    ruleSet: rule.name ?? `rules[${index}]`,
  }));
  return (item) => {
    const chosen = selectRuleSet(predicates, item);
    return chosen < 0 ? { rules: own } : perSet[chosen]!;
  };
}

/** The mappings the plan applies to key attributes (transformers/key-inverse.ts), passthrough left out: it names a key without changing it. */
function keyMappingsOf(transformers: Record<string, TransformerRef>, keyAttributes: readonly string[]): Record<string, TransformerRef> {
  const keyMappings: Record<string, TransformerRef> = {};
  for (const attribute of keyAttributes) {
    const mapping = keyMapping(transformers, attribute);
    if (mapping !== undefined && mapping.ref.type !== 'passthrough') keyMappings[mapping.pattern] = mapping.ref;
  }
  return keyMappings;
}

/** The job's mappings of key attributes (the table's and its rule sets') as a plan of their own; undefined when keys pass through. */
async function keyTransform(job: Job, table: TableJob, keyAttributes: readonly string[], registry: TransformerRegistry, resolveSalt: (salt: SecretSource) => Promise<string>): Promise<TransformPlan | undefined> {
  const keyMappings = keyMappingsOf(table.transformers, keyAttributes);
  const ruleSets = (table.rules ?? []).map((rule) => ({ ...rule, transformers: keyMappingsOf(rule.transformers, keyAttributes) }));
  const mapped = [...Object.keys(keyMappings), ...ruleSets.flatMap((rule) => Object.keys(rule.transformers))];
  if (mapped.length === 0) return undefined;
  const salt = job.salt as SecretSource | undefined;
  if (salt === undefined) {
    throw new VerifyError(`table "${table.source}" maps key attributes (${[...new Set(mapped)].join(', ')}) and the job has no salt, so each run drew a salt of its own: the destination keys cannot be recomputed`);
  }
  return buildPlan(
    {
      transformers: keyMappings,
      ...(ruleSets.length > 0 ? { rules: ruleSets } : {}),
      defaults: {},
      keyAttributes,
      salt: await resolveSalt(salt),
      onTypeMismatch: table.onTypeMismatch,
      sandbox: job.sandbox,
      keysAreSensitive: job.keysAreSensitive,
    },
    registry,
  );
}

/** Every page of a plan, segments a few at a time. */
async function readAll(client: DynamoDBClient, plan: ReadPlan, onPage: (items: Item[]) => Promise<void>): Promise<void> {
  const segments = readPlanSegments(plan);
  let next = 0;
  const lane = async () => {
    while (next < segments) {
      const segment = next++;
      let cursor: ReadCursor | undefined;
      do {
        const page = await readTablePage(client, plan, { segment, ...(cursor ? { cursor } : {}) });
        if (page.items.length > 0) await onPage(page.items);
        cursor = page.cursor;
      } while (cursor !== undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, segments) }, lane));
}

/** Up to `size` selected items: spread over Scan segments for a Scan plan, from the start for Query and PartiQL plans. */
async function readSample(client: DynamoDBClient, plan: ReadPlan, size: number): Promise<Item[]> {
  const items: Item[] = [];
  if (plan.kind === 'scan') {
    const segments = Math.min(SAMPLE_SEGMENTS, size);
    await spreadScan(
      client,
      { table: plan.table, ...(plan.index !== undefined ? { index: plan.index } : {}), ...(plan.filter !== undefined ? { filter: plan.filter } : {}) },
      { segments, budget: { items: size }, pageLimit: Math.min(SAMPLE_PAGE, Math.ceil(size / segments)), onPage: (page) => items.push(...page) },
    );
    return items.slice(0, size);
  }
  let cursor: ReadCursor | undefined;
  do {
    const page = await readTablePage(client, { ...plan, consistentRead: false }, { segment: 0, limit: Math.min(SAMPLE_PAGE, size - items.length), ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && items.length < size);
  return items.slice(0, size);
}

function pick(item: Item, names: readonly string[]): Item {
  return Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]!]));
}

async function describe(client: DynamoDBClient, table: string, connection: string, job: Job): Promise<TableDescription> {
  try {
    return await describeTable(client, table);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new VerifyError(`table "${table}" not found on connection "${connection}"`, { cause: error });
    const failure = connectionFailure(error, connection, job.connections[connection]!);
    if (failure) throw new Error(failure.message, { cause: error });
    throw error;
  }
}

/** The mapping's uniqueness as key safety judges it (a template's from its parts); undefined for a reference the registry does not know. */
function uniquenessOf(registry: TransformerRegistry, ref: TransformerRef): string | undefined {
  try {
    return mappingUniqueness(ref, registry);
  } catch {
    return undefined;
  }
}
