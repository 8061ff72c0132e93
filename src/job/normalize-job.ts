/**
 * A job file that passed every check -> the Job a workflow receives: table
 * defaults filled in from the top level, absent optional fields left out,
 * and the shipped defaults under what the job says. The result is plain
 * JSON, safe to keep in Temporal history.
 */
import type { AttributeType } from '../../model/item.ts';
import type { Job, RingEntry, RuleSet, ScheduleSpec, TableJob, TableReference, TransformerRef } from '../../model/job.ts';
import { referencedIndex, referenceRing } from './subset-checks.ts';
import type { SecretSource } from '../../model/secret-ref.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { Checked } from './job-checks.ts';
import type { JobInput } from './job-schema.ts';

/**
 * What unmapped strings become when a job's `defaults` does not say: they are
 * scrambled (same length and character classes), never copied silently.
 * Other types are copied unless the job names a default for them.
 */
export const SHIPPED_DEFAULTS: Partial<Record<AttributeType, TransformerRef>> = {
  S: { type: 'characterScramble', options: {} },
  SS: { type: 'characterScramble', options: {} },
};

export function normalizeJob(input: JobInput, checked: Checked, registry: TransformerRegistry): Job {
  const tables = input.tables.map((table, index): TableJob => {
    // checkJob reported a table without a connection, so both are set here.
    const sourceConnection = table.sourceConnection ?? input.source!;
    const destinationConnection = table.destinationConnection ?? input.destination!;
    return {
      source: table.source,
      destination: table.destination ?? table.source,
      sourceConnection,
      destinationConnection,
      ...(table.index !== undefined && { index: table.index }),
      ...(table.where !== undefined && { where: table.where }),
      ...(table.seeds !== undefined && { seeds: table.seeds }),
      ...(table.wholeCollections && { wholeCollections: true as const }),
      ...(table.references !== undefined && { references: normalizeReference(input.tables, index) }),
      consistentRead: table.consistentRead,
      onTypeMismatch: table.onTypeMismatch,
      transformers: checked.transformers[index] ?? {},
      ...(table.rules !== undefined && table.rules.length > 0 && { rules: normalizeRules(table.rules, checked.ruleTransformers[index] ?? []) }),
      ...(table.allowKeyCollisions ? { allowKeyCollisions: true } : {}),
      ...((table.strict ?? input.strict) && { strict: true as const }),
      ...((table.oversizeItems ?? input.oversizeItems) === 'skip' && { oversizeItems: 'skip' as const }),
      mode: table.mode ?? input.mode,
      createTable: table.createTable ?? input.createTable,
      segments: table.segments,
      ...(table.readRateLimit !== undefined && { readRateLimit: table.readRateLimit }),
      ...(table.writeRateLimit !== undefined && { writeRateLimit: table.writeRateLimit }),
    };
  });
  return {
    name: input.name,
    connections: input.connections,
    // The schema checked that a reference names exactly one store.
    ...(input.salt !== undefined && { salt: input.salt as SecretSource }),
    ...(input.allowLiteralSalt === true && { allowLiteralSalt: true as const }),
    defaults: { ...shippedDefaults(registry), ...checked.defaults },
    tables,
    keysAreSensitive: input.keysAreSensitive,
    sandbox: input.sandbox,
    ...(input.schedule !== undefined && { schedule: normalizeSchedule(input.schedule) }),
  };
}

function shippedDefaults(registry: TransformerRegistry): Partial<Record<AttributeType, TransformerRef>> {
  // Registries without the transformer (small test registries) get none.
  return Object.fromEntries(Object.entries(SHIPPED_DEFAULTS).filter(([, ref]) => registry.get(ref.type) !== undefined));
}

function normalizeRules(rules: NonNullable<JobInput['tables'][number]['rules']>, transformers: Record<string, TransformerRef>[]): RuleSet[] {
  return rules.map((rule, index) => ({ ...(rule.name !== undefined && { name: rule.name }), when: rule.when, transformers: transformers[index] ?? {} }));
}

/**
 * checkJob found the one entry the reference names, and that a cycle it
 * meets has an entry picking items by itself. The chain is copied link by
 * link down to the entry that selects by itself, or to the first entry of
 * a cycle, which carries the whole ring instead.
 */
function normalizeReference(tables: JobInput['tables'], from: number): TableReference {
  const reference = tables[from]!.references!;
  const targetIndex = referencedIndex(tables, from)!;
  const target = tables[targetIndex]!;
  const ring = referenceRing(tables, targetIndex);
  const onRing = ring !== undefined && ring[0] === targetIndex;
  return {
    table: reference.table,
    attribute: reference.attribute,
    ...(reference.template !== undefined && { template: reference.template }),
    ...(reference.index !== undefined && { index: reference.index }),
    ...(reference.limit !== undefined && { limit: reference.limit }),
    selection: {
      ...(target.where !== undefined && { where: target.where }),
      ...(target.seeds !== undefined && { seeds: target.seeds }),
      consistentRead: target.consistentRead,
      ...(onRing ? { ring: ring.map((i) => ringEntry(tables[i]!)) } : target.references !== undefined && { references: normalizeReference(tables, targetIndex) }),
    },
  };
}

function ringEntry(table: JobInput['tables'][number]): RingEntry {
  const reference = table.references!;
  return {
    source: table.source,
    ...(table.where !== undefined && { where: table.where }),
    ...(table.seeds !== undefined && { seeds: table.seeds }),
    consistentRead: table.consistentRead,
    attribute: reference.attribute,
    ...(reference.template !== undefined && { template: reference.template }),
    segments: table.segments,
  };
}

function normalizeSchedule(schedule: NonNullable<JobInput['schedule']>): ScheduleSpec {
  const { cron, every, timezone, overlap, jitter, paused } = schedule;
  return {
    ...(cron !== undefined && { cron: typeof cron === 'string' ? [cron] : cron }),
    ...(every !== undefined && { every }),
    ...(timezone !== undefined && { timezone }),
    overlap,
    ...(jitter !== undefined && { jitter }),
    paused,
  };
}
