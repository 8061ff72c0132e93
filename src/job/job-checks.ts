/**
 * The checks the schema cannot make: what needs the registry (transformers
 * and their options) or more than one field (connection references,
 * destination versus source), the where conditions, and each table's rule
 * sets (rule-checks.ts).
 *
 * They run on the raw document even when the schema rejected it, so that all
 * problems show up at once; anything of the wrong shape here was already
 * reported by the schema and is skipped.
 */
import type { AttributeType } from '../../model/item.ts';
import type { TransformerRef } from '../../model/job.ts';
import { whereProblem } from '../../model/condition/index.ts';
import type { PathIssue } from '../../model/problems.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { checkNeverWritesToSource, resolveConnections } from './connection-checks.ts';
import { checkParts } from './part-checks.ts';
import { checkRuleSets } from './rule-checks.ts';
import { asRecord } from './raw-values.ts';
import { checkSaltConnection } from './salt-checks.ts';
import { checkDefaults, checkTransformers } from './transformer-checks.ts';
import type { Locate } from './yaml-positions.ts';

export interface Checked {
  issues: PathIssue[];
  defaults: Partial<Record<AttributeType, TransformerRef>>;
  /** Per table index: path as written -> transformer. */
  transformers: Record<string, TransformerRef>[];
  /** Per table index, per rule set: path as written -> transformer. */
  ruleTransformers: Record<string, TransformerRef>[][];
}

export function checkJob(raw: Record<string, unknown>, registry: TransformerRegistry, locate: Locate): Checked {
  const issues: PathIssue[] = [];
  const defaults = checkDefaults(raw.defaults, registry, issues);
  const tables = Array.isArray(raw.tables) ? raw.tables : [];
  const parts = checkParts(raw.parts, ['parts'], registry, issues);
  const ruleTransformers: Record<string, TransformerRef>[][] = [];
  const transformers = tables.map((table, index) => {
    const tableParts = checkParts(asRecord(table)?.parts, ['tables', index, 'parts'], registry, issues, parts);
    ruleTransformers.push(checkRuleSets(asRecord(table)?.rules, ['tables', index, 'rules'], registry, locate, issues, tableParts));
    return checkTransformers(asRecord(table)?.transformers, ['tables', index, 'transformers'], registry, locate, issues, tableParts);
  });
  const ends = resolveConnections(raw, tables, issues);
  checkNeverWritesToSource(ends, asRecord(raw.connections) ?? {}, issues);
  checkWheres(tables, issues);
  checkSaltConnection(raw, issues);
  return { issues, defaults, transformers, ruleTransformers };
}

/** A where must be one condition on the table read: no second statement, no clause of its own. */
function checkWheres(tables: unknown[], issues: PathIssue[]): void {
  for (const [index, table] of tables.entries()) {
    const where = asRecord(table)?.where;
    if (typeof where !== 'string' || where === '') continue;
    const problem = whereProblem(where);
    if (problem) issues.push({ path: ['tables', index, 'where'], message: problem });
  }
}
