/**
 * How to read a table's subset the cheapest correct way:
 * - no where: a parallel Scan;
 * - a where that pins the partition key (= or IN, or an OR of those, as one
 *   of its top-level AND terms): one Query per partition value, with a sort
 *   key condition when another term allows one, the rest as a filter; this is
 *   what PartiQL itself does for such a SELECT;
 * - any other where translate.ts can express exactly: a parallel Scan with a
 *   FilterExpression;
 * - anything else: PartiQL paging, with the reason for the run report.
 *
 * With whole collections the plan above finds the root items, and each
 * distinct partition key among them is then read whole by a Query of the
 * base table (collection-reader.ts): the plan holds job text only, the
 * partition keys found are data and stay in the activity that reads them.
 *
 * Pure: the plan is plain JSON, built from job text and the key schema only.
 * It travels in workflow history, so it holds where literals (job text) but
 * never item data.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { numberKey } from '../../../model/decimal.ts';
import { buildSelectStatement } from '../partiql-reader.ts';
import type { Expr } from '../../../model/condition/ast.ts';
import { checkWhere } from '../../../model/condition/check.ts';
import { ConditionTranslator, ExpressionParts, literalValue, Untranslatable, type KeyAttribute, type KeyType, type ReadKeys } from './translate.ts';
import { renderWhereProblem } from '../../../model/condition/where-error.ts';

export type { KeyAttribute, KeyType, ReadKeys } from './translate.ts';

interface ReadTarget {
  table: string;
  index?: string;
  consistentRead: boolean;
}

export interface FilterSpec {
  expression: string;
  /** ExpressionAttributeNames: one placeholder per attribute name. */
  names: Record<string, string>;
  /** ExpressionAttributeValues: the where's literals. */
  values: Record<string, AttributeValue>;
}

export interface QuerySpec {
  keyCondition: string;
  filter?: string;
  /** Shared by keyCondition and filter, as DynamoDB takes them. */
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

export type ScanPlan = ReadTarget & { kind: 'scan'; segments: number; filter?: FilterSpec };
export type QueryPlan = ReadTarget & {
  kind: 'query';
  hashKey: string;
  /** Set when the queries carry a sort key condition. */
  rangeKey?: string;
  /** One per distinct partition value. */
  queries: QuerySpec[];
};
export type PartiqlPlan = ReadTarget & { kind: 'partiql'; statement: string; reason: string };
/** The plan of the roots, and then a Query of the base table per distinct partition key among them. */
export type CollectionsPlan = Omit<ReadTarget, 'index'> & {
  kind: 'collections';
  hashKey: string;
  /** The condition the roots meet (job text), to count them among the items of their collections. */
  where: string;
  roots: RootsPlan;
};
export type RootsPlan = ScanPlan | QueryPlan | PartiqlPlan;
/**
 * The referenced table's selection by its own plan, and then this table's
 * items whose `attribute` holds one of the selected partition keys: a
 * Query of a GSI per key, or a parallel Scan that keeps the items whose
 * value is among them (reference-reader.ts).
 */
export type ReferencesPlan = Omit<ReadTarget, 'index'> & {
  kind: 'references';
  attribute: string;
  /** The attribute holds this template (job text) with the referenced key as its one part, such as `USER#{id}`; absent: the key itself. */
  template?: string;
  /**
   * The table's own where (seeds within it as a condition on the partition
   * key; job text), beside the reference: the items it holds for are
   * selected too (a union), tested in memory on the Scan (only with `via`
   * scan). Absent: only the referring items.
   */
  where?: string;
  /** The referenced table's selection: its own plan, its references when it follows them in turn (a chain), or the walk round the cycle it stands on. */
  parent: RootsPlan | ReferencesPlan | RingPlan;
  /** The referenced table's partition key. */
  parentKey: string;
  via: { kind: 'index'; index: string; limit?: number } | { kind: 'scan'; segments: number };
  /**
   * How a Scan looks up the values that name no selected key, to count the
   * ones that name no item at all (dangling): BatchGetItem when the
   * referenced table has no sort key, else a Query of one item. Absent: not
   * counted (a Query per selected key never meets them; plans from before it).
   */
  dangling?: { keyType: KeyType; lookup: 'get' | 'query' };
};
/** One table of a cycle of references, as the walk round it reads it (ring-walk.ts). */
export interface RingMemberPlan {
  table: string;
  consistentRead: boolean;
  /** Its partition key, which the previous member's attribute refers to. */
  hashKey: string;
  /** What it picks by itself: its where, seeds within it as a condition on the partition key (job text); absent: nothing. */
  where?: string;
  /** Its attribute that holds a partition key of the next member (the last member's: of the first). */
  attribute: string;
  template?: string;
  /** Parallel Scan segments of each pass over it. */
  segments: number;
  /** A GSI whose partition key is `attribute`: after its where's one Scan, the walk reads the member by a Query per newly selected key of the next. */
  index?: string;
}
/**
 * The selection of a table on a cycle of references (users -> teams ->
 * users), members[0]: the least fixpoint of "what its where picks, and
 * what refers to a key the next member selects", walked round the ring
 * from the members' own where and seeds by parallel Scans until a pass
 * adds nothing, and then a parallel Scan of members[0] that keeps the
 * items its where holds for or that refer to a key the next member
 * selects. The keys the walk finds are data: they stay in the activity.
 */
export type RingPlan = Omit<ReadTarget, 'index'> & {
  kind: 'ring';
  /** members[i] refers to members[i + 1], the last to members[0]; one member: a table that refers to itself. */
  members: RingMemberPlan[];
  /** As a references plan's: how the Scan looks up the values that name no selected key, to count the dangling ones; absent: not counted. */
  dangling?: { keyType: KeyType; lookup: 'get' | 'query' };
};
export type ReadPlan = RootsPlan | CollectionsPlan | ReferencesPlan | RingPlan;

export interface PlanReadInput {
  table: string;
  index?: string;
  where?: string;
  consistentRead: boolean;
  /** Key schema of what is read: the index's when `index` is set. */
  keys: ReadKeys;
  /** Scan segments, used when the plan is a Scan. */
  segments: number;
  /** The where picks roots, and every item of their partitions is read with them (not with an index). */
  wholeCollections?: boolean;
}

/** DynamoDB's limit on each expression string. */
const MAX_EXPRESSION_BYTES = 4096;

export function planRead(input: PlanReadInput & { wholeCollections?: false }): RootsPlan;
export function planRead(input: PlanReadInput): ReadPlan;
export function planRead(input: PlanReadInput): ReadPlan {
  if (input.wholeCollections === true) {
    if (input.index !== undefined) throw new RangeError('whole collections are read from the base table, not an index');
    if (input.where === undefined) throw new RangeError('whole collections need a where that picks the roots');
    return { kind: 'collections', table: input.table, consistentRead: input.consistentRead, hashKey: input.keys.hash.name, where: input.where, roots: planRoots(input) };
  }
  return planRoots(input);
}

function planRoots(input: PlanReadInput): RootsPlan {
  const { table, index, where, consistentRead, keys, segments } = input;
  if (!Number.isInteger(segments) || segments < 1) throw new RangeError(`segments must be a positive integer, not ${segments}`);
  const target: ReadTarget = { table, ...(index !== undefined ? { index } : {}), consistentRead };
  if (where === undefined) return { kind: 'scan', ...target, segments };

  const checked = checkWhere(where);
  if (!checked.ok) throw new Error(`where: ${renderWhereProblem(where, checked.problem)}`);
  try {
    return queryPlan(target, checked.condition, keys) ?? scanPlan(target, checked.condition, keys, segments);
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    return { kind: 'partiql', ...target, statement: buildSelectStatement({ table, ...(index !== undefined ? { index } : {}), where }), reason: error.message };
  }
}

/** Scan segments the plan reads in parallel; Query and PartiQL plans read as one. */
export function readPlanSegments(plan: ReadPlan): number {
  if (plan.kind === 'collections') return readPlanSegments(plan.roots);
  if (plan.kind === 'references') return plan.via.kind === 'scan' ? plan.via.segments : readPlanSegments(plan.parent);
  if (plan.kind === 'ring') return plan.members[0]!.segments;
  return plan.kind === 'scan' ? plan.segments : 1;
}

/** One line for the run report. */
export function describeReadPlan(plan: ReadPlan): string {
  if (plan.kind === 'collections') return `whole collections: roots by ${describeReadPlan(plan.roots)}, then a Query on ${plan.hashKey} per collection`;
  if (plan.kind === 'ring') {
    const [first] = plan.members;
    const round = [...plan.members, first!].map((member) => member.table).join(' -> ');
    const roots = plan.members.flatMap((member) => (member.where !== undefined ? [`${member.table} where ${member.where}`] : []));
    const key = first!.template === undefined ? 'a selected key' : `${first!.template} of a selected key`;
    const kept = first!.where !== undefined ? `whose where holds or whose ${first!.attribute} is ${key}` : `whose ${first!.attribute} is ${key}`;
    const queried = plan.members.flatMap((member) => (member.index !== undefined ? [`${member.table} by a Query of index ${member.index} per new key`] : []));
    const walk = `walked until a pass adds nothing${queried.length > 0 ? ` (${queried.join(', ')})` : ''}`;
    return `references round ${round} from ${roots.join(' and ')}, ${walk}; ${scanText(first!.segments)} keeping items ${kept}`;
  }
  if (plan.kind === 'references') {
    const { via } = plan;
    const parent = describeReadPlan(plan.parent);
    const selected = `${plan.parent.table}.${plan.parentKey} selected by ${plan.parent.kind === 'references' || plan.parent.kind === 'ring' ? `(${parent})` : parent}`;
    const key = plan.template === undefined ? 'a selected key' : `${plan.template} of a selected key`;
    if (via.kind === 'scan') {
      const own = plan.where !== undefined ? ` where ${plan.where} holds or` : '';
      return `references to ${selected}; ${scanText(via.segments)} keeping items${own} whose ${plan.attribute} is ${key}${plan.where === undefined ? ` (no GSI on ${plan.attribute})` : ''}`;
    }
    const perKey = plan.template === undefined ? 'per selected key' : `= ${plan.template} per selected key`;
    return `references to ${selected}; Query of index ${via.index} on ${plan.attribute} ${perKey}${via.limit !== undefined ? ` (at most ${via.limit}, newest first)` : ''}`;
  }
  const index = plan.index !== undefined ? ` of index ${plan.index}` : '';
  switch (plan.kind) {
    case 'scan': {
      const scan = plan.segments > 1 ? `parallel Scan${index}, ${plan.segments} segments` : `Scan${index}, 1 segment`;
      return plan.filter ? `${scan}, filter from where` : scan;
    }
    case 'query': {
      const count = plan.queries.length;
      const parts = [`Query${index} on ${plan.hashKey} (${count} partition value${count === 1 ? '' : 's'})`];
      if (plan.rangeKey !== undefined) parts.push(`sort key condition on ${plan.rangeKey}`);
      if (plan.queries.some((query) => query.filter !== undefined)) parts.push('filter from where');
      return parts.join(', ');
    }
    case 'partiql':
      return `PartiQL paging (${plan.reason})`;
  }
}

function scanText(segments: number): string {
  return segments > 1 ? `parallel Scan, ${segments} segments` : 'Scan, 1 segment';
}

function scanPlan(target: ReadTarget, condition: Expr, keys: ReadKeys, segments: number): ScanPlan {
  const parts = new ExpressionParts();
  const expression = fitting(new ConditionTranslator(parts, keys).condition(condition));
  return { kind: 'scan', ...target, segments, filter: { expression, names: parts.names, values: parts.values } };
}

function queryPlan(target: ReadTarget, condition: Expr, keys: ReadKeys): QueryPlan | undefined {
  const terms = condition.kind === 'and' ? condition.operands : [condition];
  const pinIndex = terms.findIndex((term) => partitionValues(term, keys.hash) !== undefined);
  if (pinIndex === -1) return undefined;
  const hashValues = partitionValues(terms[pinIndex]!, keys.hash)!;
  let rest = terms.filter((_, i) => i !== pinIndex);
  const rangeIndex = keys.range === undefined ? -1 : rest.findIndex((term) => sortKeyCondition(term, keys.range!) !== undefined);
  const range = rangeIndex === -1 ? undefined : rest[rangeIndex]!;
  rest = rest.filter((_, i) => i !== rangeIndex);
  // DynamoDB refuses key attributes in a Query's FilterExpression; a Scan would read the whole table for one partition.
  for (const term of rest) {
    const key = [keys.hash, keys.range].find((k) => k !== undefined && mentions(term, k));
    if (key === undefined) continue;
    if (keys.range !== undefined && mirroredSortKeyComparison(term, keys.range)) {
      throw new Untranslatable(
        `where compares the sort key ${keys.range.name} with a value on its left, which DynamoDB Local's PartiQL does not mirror in a Query; ` +
          `PartiQL keeps its own reading (put ${keys.range.name} on the left for a Query)`,
      );
    }
    throw new Untranslatable(`where tests the key attribute ${key.name} beyond what a Query's key condition holds, and a Query cannot filter on keys`);
  }
  const filterNode: Expr | undefined = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { kind: 'and', operands: rest, start: rest[0]!.start, end: rest.at(-1)!.end };

  const queries = hashValues.map((value): QuerySpec => {
    const parts = new ExpressionParts();
    let keyCondition = `${parts.name(keys.hash.name)} = ${parts.value(value)}`;
    if (range !== undefined) keyCondition += ` AND ${sortKeyCondition(range, keys.range!)!(parts)}`;
    const filter = filterNode === undefined ? undefined : fitting(new ConditionTranslator(parts, keys).condition(filterNode));
    return { keyCondition: fitting(keyCondition), ...(filter !== undefined ? { filter } : {}), names: parts.names, values: parts.values };
  });
  return { kind: 'query', ...target, hashKey: keys.hash.name, ...(range !== undefined ? { rangeKey: keys.range!.name } : {}), queries };
}

function fitting(expression: string): string {
  if (new TextEncoder().encode(expression).length > MAX_EXPRESSION_BYTES) {
    throw new Untranslatable(`where makes an expression longer than DynamoDB's ${MAX_EXPRESSION_BYTES} bytes`);
  }
  return expression;
}

/** Whether any path in the term starts at the key attribute. */
function mentions(node: Expr, key: KeyAttribute): boolean {
  if (node.kind === 'path') return node.steps[0] === key.name;
  return children(node).some((child) => mentions(child, key));
}

function children(node: Expr): Expr[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.operands;
    case 'not':
    case 'sign':
      return [node.operand];
    case 'compare':
    case 'arithmetic':
      return [node.left, node.right];
    case 'between':
      return [node.value, node.low, node.high];
    case 'in':
      return [node.value, ...node.items];
    case 'is':
      return [node.value];
    case 'like':
      return [node.value, node.pattern];
    case 'call':
      return node.args;
    case 'list':
    case 'set':
      return node.items;
    case 'map':
      return node.entries.flatMap((entry) => [entry.key, entry.value]);
    default:
      return [];
  }
}

/** `'F' <= title`: measured on DynamoDB Local, its PartiQL runs this in a Query as title <= 'F'. */
function mirroredSortKeyComparison(term: Expr, range: KeyAttribute): boolean {
  return term.kind === 'compare' && term.op !== '=' && term.op !== '<>' && isKeyPath(term.right, range) && keyValue(term.left, range) !== undefined;
}

function isKeyPath(node: Expr, key: KeyAttribute): boolean {
  return node.kind === 'path' && node.steps.length === 1 && node.steps[0] === key.name;
}

/** The AttributeValue of a literal usable as a value of `key` in a key condition (its type; a key string is never empty). */
function keyValue(node: Expr, key: KeyAttribute): AttributeValue | undefined {
  if (node.kind === 'string' && key.type === 'S' && node.value !== '') return literalValue(node);
  if (node.kind === 'number' && key.type === 'N') return literalValue(node);
  return undefined;
}

/** The distinct partition values a term pins the hash key to, or undefined when it does not pin it. */
function partitionValues(term: Expr, hash: KeyAttribute): AttributeValue[] | undefined {
  const found = pinned(term, hash);
  if (found === undefined) return undefined;
  const distinct = new Map<string, AttributeValue>();
  for (const value of found) distinct.set(value.N !== undefined ? `N${numberKey(value.N)}` : `S${value.S}`, value);
  return [...distinct.values()];
}

function pinned(term: Expr, hash: KeyAttribute): AttributeValue[] | undefined {
  if (term.kind === 'compare' && term.op === '=') {
    const [path, literal] = isKeyPath(term.left, hash) ? [term.left, term.right] : [term.right, term.left];
    const value = isKeyPath(path, hash) ? keyValue(literal, hash) : undefined;
    return value === undefined ? undefined : [value];
  }
  if (term.kind === 'in' && !term.negated && isKeyPath(term.value, hash)) {
    const values = term.items.map((item) => keyValue(item, hash));
    return values.every((value) => value !== undefined) ? (values as AttributeValue[]) : undefined;
  }
  if (term.kind === 'or') {
    const all: AttributeValue[] = [];
    for (const operand of term.operands) {
      const values = pinned(operand, hash);
      if (values === undefined) return undefined;
      all.push(...values);
    }
    return all;
  }
  return undefined;
}

const SORT_KEY_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/** A term DynamoDB takes as a sort key condition, as a function that writes it; undefined when it is not one. */
function sortKeyCondition(term: Expr, range: KeyAttribute): ((parts: ExpressionParts) => string) | undefined {
  if (term.kind === 'compare' && SORT_KEY_OPERATORS.has(term.op)) {
    // `'Rush' = title` is symmetric; `'F' <= title` is not taken (see mirroredSortKeyComparison).
    const flipped = !isKeyPath(term.left, range);
    if (flipped && term.op !== '=') return undefined;
    const [path, literal] = flipped ? [term.right, term.left] : [term.left, term.right];
    const value = isKeyPath(path, range) ? keyValue(literal, range) : undefined;
    if (value === undefined) return undefined;
    return (parts) => `${parts.name(range.name)} ${term.op} ${parts.value(value)}`;
  }
  if (term.kind === 'between' && !term.negated && isKeyPath(term.value, range)) {
    const low = keyValue(term.low, range);
    const high = keyValue(term.high, range);
    if (low === undefined || high === undefined) return undefined;
    return (parts) => `${parts.name(range.name)} BETWEEN ${parts.value(low)} AND ${parts.value(high)}`;
  }
  if (term.kind === 'call' && term.name === 'begins_with' && range.type === 'S') {
    const [path, prefix] = term.args as [Expr, Expr];
    const value = isKeyPath(path, range) ? keyValue(prefix, range) : undefined;
    if (value === undefined) return undefined;
    return (parts) => `begins_with(${parts.name(range.name)}, ${parts.value(value)})`;
  }
  return undefined;
}

