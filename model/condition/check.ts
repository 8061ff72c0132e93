/**
 * The safety check on a job's `where:`: it must be exactly one condition on
 * the table being read, in the part of PartiQL DynamoDB accepts. The job
 * loader calls it before anything runs; the planner calls it again before a
 * WHERE reaches DynamoDB, so nothing but a condition is ever appended after
 * `SELECT * FROM "table" WHERE`.
 */
import { compareDecimals, numberKey, parseDecimal } from '../decimal.ts';
import type { Expr, ExprOf } from './ast.ts';
import { parseWhere } from './parser.ts';
import { renderWhereProblem, WhereSyntaxError, type WhereProblemData } from './where-error.ts';

/** What `IS [NOT] <type>` may test, as DynamoDB lists them. */
export const IS_TYPES: ReadonlySet<string> = new Set(['MISSING', 'NULL', 'BOOLEAN', 'BLOB', 'STRING', 'NUMERIC', 'STRUCT', 'TUPLE', 'LIST']);

/** attribute_type's second argument. */
export const ATTRIBUTE_TYPE_NAMES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/** Function -> its arity; each takes an attribute path first. */
const FUNCTIONS: Record<string, number> = {
  begins_with: 2,
  contains: 2,
  attribute_type: 2,
  attribute_exists: 1,
  attribute_not_exists: 1,
  size: 1,
};

const BOOLEAN_FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_type', 'attribute_exists', 'attribute_not_exists']);

/** DynamoDB refuses more operands in one IN, whether PartiQL or an expression. */
export const MAX_IN_VALUES = 100;

export type CheckedWhere = { ok: true; condition: Expr } | { ok: false; problem: WhereProblemData };

export function checkWhere(where: string): CheckedWhere {
  try {
    const condition = parseWhere(where);
    expectCondition(condition, where);
    return { ok: true, condition };
  } catch (error) {
    if (error instanceof WhereSyntaxError) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** Undefined when `where` is one condition DynamoDB can run; else what is wrong, where, and with which token. */
export function whereProblem(where: string): string | undefined {
  const checked = checkWhere(where);
  return checked.ok ? undefined : renderWhereProblem(where, checked.problem);
}

function fail(node: { start: number; end: number }, where: string, message: string): never {
  throw new WhereSyntaxError(node.start, where.slice(node.start, node.end), message);
}

function isCondition(node: Expr): boolean {
  switch (node.kind) {
    case 'compare':
    case 'between':
    case 'in':
    case 'is':
    case 'like':
    case 'not':
    case 'and':
    case 'or':
      return true;
    case 'call':
      return BOOLEAN_FUNCTIONS.has(node.name);
    default:
      return false;
  }
}

function expectCondition(node: Expr, where: string): void {
  checkNode(node, where);
  if (isCondition(node)) return;
  const text = where.slice(node.start, node.end);
  if (node.kind === 'path') {
    fail(node, where, `${text} is an attribute, not a condition; compare it (${text} = ...) or test it (${text} IS NOT MISSING)`);
  }
  if (node.kind === 'call') fail(node, where, `${node.name}(...) is a number, not a condition; compare it, as in ${node.name}(...) > 0`);
  fail(node, where, 'expected a condition, such as a comparison, but this is a value');
}

function expectValue(node: Expr, where: string): void {
  checkNode(node, where);
}

function checkNode(node: Expr, where: string): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const operand of node.operands) expectCondition(operand, where);
      return;
    case 'not':
      expectCondition(node.operand, where);
      return;
    case 'compare':
      for (const operand of [node.left, node.right]) {
        if (operand.kind === 'missing') fail(operand, where, 'MISSING cannot be compared; test it with IS MISSING or IS NOT MISSING');
        checkNode(operand, where);
      }
      return;
    case 'between':
      expectValue(node.value, where);
      expectValue(node.low, where);
      expectValue(node.high, where);
      checkBounds(node, where);
      return;
    case 'in':
      expectValue(node.value, where);
      for (const item of node.items) expectValue(item, where);
      if (node.items.length > MAX_IN_VALUES) {
        fail(node, where, `IN lists ${node.items.length} values; DynamoDB takes at most ${MAX_IN_VALUES}`);
      }
      return;
    case 'is':
      expectValue(node.value, where);
      if (!IS_TYPES.has(node.type)) {
        fail(node.typeSpan, where, `DynamoDB cannot test IS ${node.type}; it tests IS [NOT] ${[...IS_TYPES].join(', ')}`);
      }
      return;
    case 'like':
      fail(node.operator, where, "LIKE is not supported by DynamoDB; use begins_with(path, 'prefix') or contains(path, 'text')");
    case 'arithmetic':
      if (node.op !== '+' && node.op !== '-') fail(node.operator, where, `DynamoDB's PartiQL has no ${node.op} operator; only + and - are defined`);
      expectValue(node.left, where);
      expectValue(node.right, where);
      return;
    case 'sign':
      expectValue(node.operand, where);
      return;
    case 'call':
      checkCall(node, where);
      return;
    case 'number':
      checkNumber(node, where);
      return;
    case 'missing':
      fail(node, where, 'MISSING is not a value; test an attribute with IS MISSING or IS NOT MISSING');
    case 'list':
      for (const item of node.items) expectValue(item, where);
      return;
    case 'set':
      checkSet(node, where);
      return;
    case 'map':
      checkMap(node, where);
      return;
    case 'path':
    case 'string':
    case 'boolean':
    case 'null':
      return;
  }
}

function checkCall(node: ExprOf<'call'>, where: string): void {
  const arity = FUNCTIONS[node.name];
  if (arity === undefined) {
    fail(node, where, `unknown function ${node.name}; DynamoDB's where knows ${Object.keys(FUNCTIONS).join(', ')}`);
  }
  if (node.args.length !== arity) {
    fail(node, where, `${node.name} takes ${arity === 1 ? '1 argument' : `${arity} arguments`}, not ${node.args.length}`);
  }
  const [path, second] = node.args;
  if (path!.kind !== 'path') fail(path!, where, `${node.name} takes an attribute path as its first argument`);
  if (second === undefined) return;
  expectValue(second, where);
  if (node.name === 'begins_with' && second.kind !== 'string') fail(second, where, "begins_with takes a string prefix, such as 'abc'");
  if (node.name === 'attribute_type' && (second.kind !== 'string' || !ATTRIBUTE_TYPE_NAMES.has(second.value))) {
    fail(second, where, `attribute_type takes one of ${[...ATTRIBUTE_TYPE_NAMES].map((t) => `'${t}'`).join(', ')}`);
  }
  if (node.name === 'contains' && !isLiteral(second)) fail(second, where, 'contains takes a value to look for, such as a string or a number');
}

function isLiteral(node: Expr): boolean {
  return ['string', 'number', 'boolean', 'null', 'list', 'set', 'map'].includes(node.kind);
}

/** DynamoDB stores up to 38 significant digits, magnitudes 1E-130 to 9.99..E+125. */
function checkNumber(node: ExprOf<'number'>, where: string): void {
  const decimal = parseDecimal(node.text);
  const problem = `${node.text} is not a number DynamoDB can store (at most 38 significant digits, magnitude from 1E-130 to below 1E+126)`;
  if (decimal === undefined) fail(node, where, problem);
  let digits = (decimal.units < 0n ? -decimal.units : decimal.units).toString();
  if (digits === '0') return;
  let exponent = -decimal.scale;
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  const magnitude = digits.length - 1 + exponent;
  if (digits.length > 38 || magnitude < -130 || magnitude > 125) fail(node, where, problem);
}

function checkSet(node: ExprOf<'set'>, where: string): void {
  if (node.items.length === 0) fail(node, where, 'a set holds at least one element in DynamoDB');
  const first = node.items[0]!;
  for (const item of node.items) {
    expectValue(item, where);
    if (item.kind !== 'string' && item.kind !== 'number') fail(item, where, 'a set holds only strings or only numbers');
    if (item.kind !== first.kind) fail(item, where, 'a set holds only strings or only numbers, not both');
  }
  const seen = new Set<string>();
  for (const item of node.items) {
    const key = item.kind === 'string' ? `S${item.value}` : item.kind === 'number' ? `N${numberKey(item.text)}` : '';
    if (seen.has(key)) fail(item, where, 'this value is already in the set; DynamoDB refuses duplicates');
    seen.add(key);
  }
}

function checkMap(node: ExprOf<'map'>, where: string): void {
  const seen = new Set<string>();
  for (const { key, value } of node.entries) {
    if (key.kind !== 'string') fail(key, where, "a map key is a string, such as {'name': 1}");
    if (seen.has(key.value)) fail(key, where, 'this key is already in the map');
    seen.add(key.value);
    expectValue(value, where);
  }
}

function checkBounds(node: ExprOf<'between'>, where: string): void {
  const { low, high } = node;
  if (!isLiteral(low) || !isLiteral(high)) return;
  if (low.kind !== high.kind) fail(node, where, 'the bounds of BETWEEN must be of the same type');
  if (low.kind === 'number' && high.kind === 'number') {
    const order = compareDecimals(parseDecimal(low.text)!, parseDecimal(high.text)!);
    if (order > 0) fail(node, where, 'the lower bound of BETWEEN is greater than its upper bound; DynamoDB refuses that');
  }
  if (low.kind === 'string' && high.kind === 'string' && compareUtf8(low.value, high.value) > 0) {
    fail(node, where, 'the lower bound of BETWEEN is greater than its upper bound; DynamoDB refuses that');
  }
}

/** DynamoDB orders strings by their UTF-8 bytes, which is code point order (not JavaScript's UTF-16 order). */
export function compareUtf8(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
