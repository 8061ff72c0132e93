/**
 * A checked WHERE condition compiled once into a predicate on items in their
 * AttributeValue form: the one evaluator for every condition dynamask tests
 * in memory (rule sets' `when:`, stream records against a `where:` subset,
 * references between tables). It must select what DynamoDB's PartiQL
 * selects; test/e2e/where-translation.test.ts runs every form against
 * DynamoDB Local to hold it to that.
 *
 * The semantics are DynamoDB Local's, not the PartiQL specification's:
 * DynamoDB Local is the reference we can run, and where the two part ways
 * we follow it. It runs a WHERE as a condition expression (its errors say
 * so: "Unsupported operator in Condition Expression"), and a condition
 * expression has two values, so where the specification has three-valued
 * logic over MISSING and NULL, DynamoDB Local has none (each rule below was
 * seen on DynamoDB Local; the e2e test pins them):
 * - Every condition is TRUE or FALSE. A comparison, BETWEEN, IN or function
 *   on a missing attribute is FALSE, so NOT of it is TRUE: `a <> 1`,
 *   `NOT (a < 1)`, `a NOT IN [...]` and `NOT begins_with(a, 'x')` all keep
 *   items without `a` (the specification would drop them). AND, OR and NOT
 *   are Boolean; `x <> y` is exactly `NOT (x = y)`.
 * - NULL is a value: `a = NULL` and `a IS NULL` hold when `a` is NULL, not
 *   when it is missing (the specification counts MISSING as NULL); NULL
 *   equals NULL, attribute or literal (`a = b` when both are NULL); NULL
 *   has no order (`a <= b` is FALSE when both are NULL).
 * - `=` is deep: same type and value; numbers by exact decimal value
 *   (`8.3 = 8.30`, 38 digits), also inside lists, maps and number sets;
 *   lists in order; maps and sets whatever the order. A number never equals
 *   a string (`8.3 <> '8.3'`).
 * - `<`, `<=`, `>`, `>=` and BETWEEN order numbers by value, strings by
 *   UTF-8 bytes (code point order, not JavaScript's UTF-16 order), binaries
 *   by unsigned bytes; any other pair (a boolean, NULL, a list, two types)
 *   is FALSE. `v BETWEEN lo AND hi` is `v >= lo AND v <= hi`.
 * - `v IN [x, y]` is `v = x OR v = y`.
 * - `IS [NOT] t` tests the type: MISSING (absent), NULL, BOOLEAN, BLOB,
 *   STRING, NUMERIC, STRUCT and TUPLE (both a map), LIST; no type test
 *   holds for a set. A literal is never MISSING.
 * - begins_with holds only for a string attribute; contains for a string
 *   holding the substring, a set holding the element (`contains(ns, 1)` on
 *   `<<1.0>>`) or a list holding an element `=` to it; attribute_exists,
 *   attribute_not_exists and attribute_type(path, 'S' | 'N' | ...) test
 *   presence and type and never fail.
 * - size is the length of a string in UTF-16 code units (DynamoDB Local
 *   counts 'é' as 1 and '😀' as 2, neither bytes nor code points), the bytes
 *   of a binary, the elements of a list or set, the entries of a map;
 *   anything else has no size, so a comparison on it is FALSE.
 * - A path step that does not fit the value (`a.x` on a list, `a[0]` on a
 *   map or a string, an index past the end) is a missing attribute.
 * - A condition used as a value is the boolean it yields:
 *   `(a = 1) = FALSE` holds for items without `a`.
 * DynamoDB Local refuses some forms check.ts accepts (`+` and `-`,
 * comparing an attribute with itself, IS on something other than a path or
 * a literal, IS MISSING on a literal, ordering against a literal boolean or
 * NULL, attributes inside list and map literals). Those follow the
 * specification where it speaks and are otherwise as above: `x + y` and
 * `-x` compute exactly on numbers; an operand that is missing makes them
 * missing, one that is NULL makes them NULL, any other type missing. A list
 * or map literal holding an attribute the item lacks is missing.
 *
 * Compilation resolves literals, paths and operators once; the predicate
 * holds no syntax tree and, on the common forms (a path against a literal,
 * size against a number, begins_with, IN of literals), allocates nothing
 * per item.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { addDecimals, formatDecimal, parseDecimal, subtractDecimals } from '../decimal.ts';
import { attributeType, setOwn, type Item } from '../item.ts';
import type { ComparisonOperator, Expr, ExprOf, PathStep } from './ast.ts';
import { checkWhere, type CheckedWhere } from './check.ts';
import type { WhereProblemData } from './where-error.ts';
import {
  compareIntegerTo,
  compareNumberTo,
  compareStrings,
  equalValues,
  hasNumber,
  orderValues,
  prepareNumber,
  type PreparedNumber,
} from './value-order.ts';

/** True when the item is in the condition's subset. */
export type ItemPredicate = (item: Item) => boolean;

/** What checkWhere returns for a condition it accepts: only those compile. */
export type CheckedCondition = Extract<CheckedWhere, { ok: true }>;

export type CompiledWhere = { ok: true; matches: ItemPredicate } | { ok: false; problem: WhereProblemData };

export function compileCondition(checked: CheckedCondition): ItemPredicate {
  return test(checked.condition);
}

/** checkWhere, then compileCondition: the problem as data when the text is not a condition. */
export function compileWhere(where: string): CompiledWhere {
  const checked = checkWhere(where);
  return checked.ok ? { ok: true, matches: compileCondition(checked) } : checked;
}

/** An operand's value in an item; undefined is MISSING. */
type Value = (item: Item) => AttributeValue | undefined;
type Test = (item: Item) => boolean;

const TRUE: AttributeValue = { BOOL: true };
const FALSE: AttributeValue = { BOOL: false };
const NULL: AttributeValue = { NULL: true };

const MIRRORED: Record<ComparisonOperator, ComparisonOperator> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Whether an order (a sign, NaN when the two have none) satisfies the operator. */
const ORDER_HOLDS: Record<'<' | '<=' | '>' | '>=', (order: number) => boolean> = {
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};

/** The AttributeValue member each `IS` type tests. */
const IS_MEMBER: Record<string, keyof AttributeValue> = {
  NULL: 'NULL',
  BOOLEAN: 'BOOL',
  BLOB: 'B',
  STRING: 'S',
  NUMERIC: 'N',
  STRUCT: 'M',
  TUPLE: 'M',
  LIST: 'L',
};

function unchecked(node: Expr): Error {
  return new Error(`compileCondition met ${node.kind} where check.ts admits none; compile only what checkWhere accepted`);
}

function test(node: Expr): Test {
  switch (node.kind) {
    case 'and':
    case 'or':
      return junction(node.operands.map(test), node.kind === 'and');
    case 'not': {
      const operand = test(node.operand);
      return (item) => !operand(item);
    }
    case 'compare':
      return compare(node);
    case 'between':
      return negatedIf(between(node), node.negated);
    case 'in':
      return negatedIf(inList(node), node.negated);
    case 'is':
      return negatedIf(isType(node), node.negated);
    case 'call':
      return call(node);
    default:
      throw unchecked(node);
  }
}

function negatedIf(inner: Test, negated: boolean): Test {
  return negated ? (item) => !inner(item) : inner;
}

function junction(tests: Test[], all: boolean): Test {
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return all ? (item) => a(item) && b(item) : (item) => a(item) || b(item);
  }
  return (item) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(item) !== all) return !all;
    return all;
  };
}

/** The AttributeValue a literal stands for; undefined when the node is not one (or holds an attribute). */
function constantOf(node: Expr): AttributeValue | undefined {
  switch (node.kind) {
    case 'string':
      return { S: node.value };
    case 'number':
      return { N: node.text };
    case 'boolean':
      return node.value ? TRUE : FALSE;
    case 'null':
      return NULL;
    case 'list': {
      const L: AttributeValue[] = [];
      for (const element of node.items) {
        const constant = constantOf(element);
        if (constant === undefined) return undefined;
        L.push(constant);
      }
      return { L };
    }
    case 'set':
      // check.ts holds a set to strings only or numbers only.
      return node.items.every((element) => element.kind === 'string')
        ? { SS: node.items.map((element) => (element as ExprOf<'string'>).value) }
        : { NS: node.items.map((element) => (element as ExprOf<'number'>).text) };
    case 'map': {
      const M: Record<string, AttributeValue> = {};
      for (const { key, value: entry } of node.entries) {
        const constant = constantOf(entry);
        if (key.kind !== 'string' || constant === undefined) return undefined;
        setOwn(M, key.value, constant);
      }
      return { M };
    }
    default:
      return undefined;
  }
}

function value(node: Expr): Value {
  const constant = constantOf(node);
  if (constant !== undefined) return () => constant;
  switch (node.kind) {
    case 'path':
      return pathValue(node.steps);
    case 'list':
      return listValue(node.items.map(value));
    case 'map':
      return mapValue(node);
    case 'call':
      if (node.name === 'size') return sizeValue(pathOf(node));
      return booleanValue(test(node));
    case 'arithmetic':
      return arithmeticValue(node);
    case 'sign':
      return signValue(node);
    case 'compare':
    case 'between':
    case 'in':
    case 'is':
    case 'not':
    case 'and':
    case 'or':
      return booleanValue(test(node));
    default:
      throw unchecked(node);
  }
}

function booleanValue(condition: Test): Value {
  return (item) => (condition(item) ? TRUE : FALSE);
}

/** Names that plain objects inherit (`constructor`, `__proto__`): looked up as own properties only. */
function inherited(name: string): boolean {
  return name in Object.prototype;
}

function pathValue(tree: readonly PathStep[]): Value {
  const steps = [...tree];
  const first = steps[0] as string;
  const firstInherited = inherited(first);
  if (steps.length === 1) {
    return firstInherited ? (item) => (Object.hasOwn(item, first) ? item[first] : undefined) : (item) => item[first];
  }
  const guarded = steps.map((step) => typeof step === 'string' && inherited(step));
  return (item) => {
    let current = firstInherited && !Object.hasOwn(item, first) ? undefined : item[first];
    for (let i = 1; i < steps.length && current !== undefined; i++) {
      const step = steps[i]!;
      if (typeof step === 'number') current = current.L === undefined ? undefined : current.L[step];
      else {
        const map = current.M;
        current = map === undefined || (guarded[i] && !Object.hasOwn(map, step)) ? undefined : map[step];
      }
    }
    return current;
  };
}

function pathOf(node: ExprOf<'call'>): Value {
  const path = node.args[0];
  if (path?.kind !== 'path') throw unchecked(node);
  return pathValue(path.steps);
}

function listValue(elements: Value[]): Value {
  return (item) => {
    const L: AttributeValue[] = [];
    for (const element of elements) {
      const v = element(item);
      if (v === undefined) return undefined;
      L.push(v);
    }
    return { L };
  };
}

function mapValue(node: ExprOf<'map'>): Value {
  const entries = node.entries.map(({ key, value: entry }) => {
    if (key.kind !== 'string') throw unchecked(key);
    return { key: key.value, value: value(entry) };
  });
  return (item) => {
    const M: Record<string, AttributeValue> = {};
    for (const entry of entries) {
      const v = entry.value(item);
      if (v === undefined) return undefined;
      setOwn(M, entry.key, v);
    }
    return { M };
  };
}

/** A value's size as DynamoDB Local counts it; -1 when it has none. */
function sizeOf(v: AttributeValue | undefined): number {
  if (v === undefined) return -1;
  if (v.S !== undefined) return v.S.length;
  if (v.L !== undefined) return v.L.length;
  if (v.M !== undefined) {
    let entries = 0;
    for (const _ in v.M) entries++;
    return entries;
  }
  if (v.SS !== undefined) return v.SS.length;
  if (v.NS !== undefined) return v.NS.length;
  if (v.B !== undefined) return v.B.length;
  if (v.BS !== undefined) return v.BS.length;
  return -1;
}

function sizeValue(path: Value): Value {
  return (item) => {
    const size = sizeOf(path(item));
    return size < 0 ? undefined : { N: String(size) };
  };
}

function arithmeticValue(node: ExprOf<'arithmetic'>): Value {
  const left = value(node.left);
  const right = value(node.right);
  const add = node.op === '+';
  return (item) => {
    const a = left(item);
    const b = right(item);
    if (a === undefined || b === undefined) return undefined;
    if (a.NULL !== undefined || b.NULL !== undefined) return NULL;
    const x = a.N === undefined ? undefined : parseDecimal(a.N);
    const y = b.N === undefined ? undefined : parseDecimal(b.N);
    if (x === undefined || y === undefined) return undefined;
    return { N: formatDecimal(add ? addDecimals(x, y) : subtractDecimals(x, y)) };
  };
}

function signValue(node: ExprOf<'sign'>): Value {
  const operand = value(node.operand);
  const negate = node.op === '-';
  return (item) => {
    const v = operand(item);
    if (v === undefined) return undefined;
    if (v.NULL !== undefined) return NULL;
    const x = v.N === undefined ? undefined : parseDecimal(v.N);
    if (x === undefined) return undefined;
    return negate ? { N: formatDecimal({ units: -x.units, scale: x.scale }) } : v;
  };
}

function compare(node: ExprOf<'compare'>): Test {
  let { op, left, right } = node;
  if (constantOf(left) !== undefined && constantOf(right) === undefined) {
    [left, right, op] = [right, left, MIRRORED[op]];
  }
  const constant = constantOf(right);
  if (constant === undefined) return compareValues(value(left), op, value(right));
  if (constant.N !== undefined && left.kind === 'call' && left.name === 'size') return compareSize(pathOf(left), op, prepareNumber(constant.N));
  return compareWithConstant(value(left), op, constant);
}

function compareValues(left: Value, op: ComparisonOperator, right: Value): Test {
  if (op === '=' || op === '<>') {
    const want = op === '=';
    return (item) => {
      const a = left(item);
      const b = a === undefined ? undefined : right(item);
      return (b !== undefined && equalValues(a!, b)) === want;
    };
  }
  const holds = ORDER_HOLDS[op];
  return (item) => {
    const a = left(item);
    const b = a === undefined ? undefined : right(item);
    return b !== undefined && holds(orderValues(a!, b));
  };
}

function compareWithConstant(left: Value, op: ComparisonOperator, constant: AttributeValue): Test {
  const { S: string, N: number } = constant;
  const prepared = number === undefined ? undefined : prepareNumber(number);
  if (op === '=' || op === '<>') {
    const want = op === '=';
    if (string !== undefined) return (item) => (left(item)?.S === string) === want;
    if (prepared !== undefined) {
      return (item) => {
        const n = left(item)?.N;
        return (n !== undefined && compareNumberTo(n, prepared) === 0) === want;
      };
    }
    return (item) => {
      const v = left(item);
      return (v !== undefined && equalValues(v, constant)) === want;
    };
  }
  const holds = ORDER_HOLDS[op];
  if (string !== undefined) {
    return (item) => {
      const s = left(item)?.S;
      return s !== undefined && holds(compareStrings(s, string));
    };
  }
  if (prepared !== undefined) {
    return (item) => {
      const n = left(item)?.N;
      return n !== undefined && holds(compareNumberTo(n, prepared));
    };
  }
  return (item) => {
    const v = left(item);
    return v !== undefined && holds(orderValues(v, constant));
  };
}

function compareSize(path: Value, op: ComparisonOperator, number: PreparedNumber): Test {
  if (op === '=' || op === '<>') {
    const want = op === '=';
    return (item) => {
      const size = sizeOf(path(item));
      return (size >= 0 && compareIntegerTo(size, number) === 0) === want;
    };
  }
  const holds = ORDER_HOLDS[op];
  return (item) => {
    const size = sizeOf(path(item));
    return size >= 0 && holds(compareIntegerTo(size, number));
  };
}

function between(node: ExprOf<'between'>): Test {
  const subject = value(node.value);
  const low = constantOf(node.low);
  const high = constantOf(node.high);
  if (low?.N !== undefined && high?.N !== undefined) {
    const [lo, hi] = [prepareNumber(low.N), prepareNumber(high.N)];
    return (item) => {
      const n = subject(item)?.N;
      return n !== undefined && compareNumberTo(n, lo) >= 0 && compareNumberTo(n, hi) <= 0;
    };
  }
  if (low?.S !== undefined && high?.S !== undefined) {
    const [lo, hi] = [low.S, high.S];
    return (item) => {
      const s = subject(item)?.S;
      return s !== undefined && compareStrings(s, lo) >= 0 && compareStrings(s, hi) <= 0;
    };
  }
  const [lowValue, highValue] = [value(node.low), value(node.high)];
  return (item) => {
    const v = subject(item);
    if (v === undefined) return false;
    const lo = lowValue(item);
    const hi = highValue(item);
    return lo !== undefined && hi !== undefined && orderValues(v, lo) >= 0 && orderValues(v, hi) <= 0;
  };
}

function inList(node: ExprOf<'in'>): Test {
  const subject = value(node.value);
  const constants = node.items.map(constantOf);
  if (constants.some((constant) => constant === undefined)) {
    const candidates = node.items.map(value);
    return (item) => {
      const v = subject(item);
      if (v === undefined) return false;
      for (const candidate of candidates) {
        const c = candidate(item);
        if (c !== undefined && equalValues(v, c)) return true;
      }
      return false;
    };
  }
  const strings = new Set<string>();
  const numbers: PreparedNumber[] = [];
  const others: AttributeValue[] = [];
  for (const constant of constants as AttributeValue[]) {
    if (constant.S !== undefined) strings.add(constant.S);
    else if (constant.N !== undefined) numbers.push(prepareNumber(constant.N));
    else others.push(constant);
  }
  return (item) => {
    const v = subject(item);
    if (v === undefined) return false;
    if (v.S !== undefined) return strings.has(v.S);
    if (v.N !== undefined) {
      for (const number of numbers) if (compareNumberTo(v.N, number) === 0) return true;
      return false;
    }
    for (const other of others) if (equalValues(v, other)) return true;
    return false;
  };
}

function isType(node: ExprOf<'is'>): Test {
  const subject = value(node.value);
  if (node.type === 'MISSING') return (item) => subject(item) === undefined;
  const member = IS_MEMBER[node.type];
  if (member === undefined) throw unchecked(node);
  return (item) => {
    const v = subject(item);
    return v !== undefined && v[member] !== undefined;
  };
}

function call(node: ExprOf<'call'>): Test {
  const path = pathOf(node);
  const second = node.args[1];
  switch (node.name) {
    case 'attribute_exists':
      return (item) => path(item) !== undefined;
    case 'attribute_not_exists':
      return (item) => path(item) === undefined;
    case 'attribute_type': {
      if (second?.kind !== 'string') throw unchecked(node);
      const type = second.value;
      return (item) => {
        const v = path(item);
        return v !== undefined && attributeType(v) === type;
      };
    }
    case 'begins_with': {
      if (second?.kind !== 'string') throw unchecked(node);
      const prefix = second.value;
      return (item) => {
        const s = path(item)?.S;
        return s !== undefined && s.startsWith(prefix);
      };
    }
    case 'contains':
      if (second === undefined) throw unchecked(node);
      return contains(path, second);
    default:
      throw unchecked(node);
  }
}

function contains(path: Value, needleNode: Expr): Test {
  const constant = constantOf(needleNode);
  if (constant === undefined) {
    const needle = value(needleNode);
    return (item) => {
      const haystack = path(item);
      const n = haystack === undefined ? undefined : needle(item);
      return n !== undefined && holdsValue(haystack!, n);
    };
  }
  const { S: string, N: number } = constant;
  if (string !== undefined) {
    return (item) => {
      const v = path(item);
      if (v === undefined) return false;
      if (v.S !== undefined) return v.S.includes(string);
      if (v.SS !== undefined) return v.SS.includes(string);
      return v.L !== undefined && listHolds(v.L, constant);
    };
  }
  if (number !== undefined) {
    const prepared = prepareNumber(number);
    return (item) => {
      const v = path(item);
      if (v === undefined) return false;
      if (v.NS !== undefined) {
        for (const member of v.NS) if (compareNumberTo(member, prepared) === 0) return true;
        return false;
      }
      return v.L !== undefined && listHolds(v.L, constant);
    };
  }
  return (item) => {
    const list = path(item)?.L;
    return list !== undefined && listHolds(list, constant);
  };
}

function listHolds(list: readonly AttributeValue[], needle: AttributeValue): boolean {
  for (const element of list) if (equalValues(element, needle)) return true;
  return false;
}

/** contains() on values known only per item. */
function holdsValue(haystack: AttributeValue, needle: AttributeValue): boolean {
  if (haystack.L !== undefined) return listHolds(haystack.L, needle);
  if (needle.S !== undefined) return haystack.S !== undefined ? haystack.S.includes(needle.S) : haystack.SS !== undefined && haystack.SS.includes(needle.S);
  if (needle.N !== undefined) return haystack.NS !== undefined && hasNumber(haystack.NS, needle.N);
  if (needle.B !== undefined) return haystack.BS !== undefined && haystack.BS.some((member) => equalValues({ B: member }, needle));
  return false;
}
