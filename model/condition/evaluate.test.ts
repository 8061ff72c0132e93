import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { setOwn, type Item } from '../item.ts';
import type { Expr } from './ast.ts';
import { checkWhere } from './check.ts';
import { compileCondition, compileWhere, type ItemPredicate } from './evaluate.ts';
import { parseWhere } from './parser.ts';

const S = (value: string): AttributeValue => ({ S: value });
const N = (text: string): AttributeValue => ({ N: text });
const B = (...bytes: number[]): AttributeValue => ({ B: Uint8Array.from(bytes) });
const L = (...values: AttributeValue[]): AttributeValue => ({ L: values });
const M = (entries: Record<string, AttributeValue>): AttributeValue => ({ M: entries });
const SS = (...values: string[]): AttributeValue => ({ SS: values });
const NS = (...texts: string[]): AttributeValue => ({ NS: texts });
const BS = (...sets: number[][]): AttributeValue => ({ BS: sets.map((bytes) => Uint8Array.from(bytes)) });
const TRUE: AttributeValue = { BOOL: true };
const FALSE: AttributeValue = { BOOL: false };
const NULL: AttributeValue = { NULL: true };

/** An item with no attribute the conditions name: everything is MISSING. */
const EMPTY: Item = {};
/** `a` and `b` NULL. */
const NULLS: Item = { a: NULL, b: NULL };

function compiled(where: string): ItemPredicate {
  const result = compileWhere(where);
  if (!result.ok) throw new Error(`${where}: ${result.problem.message}`);
  return result.matches;
}

interface Row {
  where: string;
  true: Item[];
  false: Item[];
}

/** Runs each row's items through its compiled condition; reports every item whose answer is wrong. */
function expectRows(rows: Row[]): void {
  for (const row of rows) {
    const matches = compiled(row.where);
    const wrong = [
      ...row.true.filter((item) => !matches(item)).map((item) => ({ item, expected: true })),
      ...row.false.filter((item) => matches(item)).map((item) => ({ item, expected: false })),
    ];
    expect(wrong, row.where).toStrictEqual([]);
  }
}

describe('comparisons', () => {
  it.each<Row>([
    { where: 'a = 1', true: [{ a: N('1') }, { a: N('1.0') }, { a: N('1E0') }, { a: N('100E-2') }], false: [{ a: N('2') }, { a: S('1') }, { a: L(N('1')) }, EMPTY, NULLS] },
    { where: 'a <> 1', true: [{ a: N('2') }, { a: S('1') }, EMPTY, NULLS], false: [{ a: N('1.00') }] },
    { where: 'a = 8.3', true: [{ a: N('8.30') }, { a: N('83E-1') }], false: [{ a: N('8.31') }, { a: S('8.3') }, EMPTY] },
    { where: '3 >= a', true: [{ a: N('3') }, { a: N('2.99') }, { a: N('-4') }], false: [{ a: N('3.01') }, { a: S('2') }, EMPTY, NULLS] },
    { where: 'a < -0', true: [{ a: N('-0.1') }], false: [{ a: N('0') }, { a: N('-0.0') }] },
    // 38 digits: a float would call these equal.
    {
      where: 'a = 12345678901234567890123456789012345678',
      true: [{ a: N('12345678901234567890123456789012345678') }, { a: N('1.2345678901234567890123456789012345678E37') }],
      false: [{ a: N('12345678901234567890123456789012345677') }, { a: N('12345678901234567890123456789012345679') }],
    },
    {
      where: 'a < 0.12345678901234567890123456789012345678',
      true: [{ a: N('0.12345678901234567890123456789012345677') }, { a: N('0.1234567890123456') }],
      false: [{ a: N('0.12345678901234567890123456789012345678') }, { a: N('0.123456789012345678901234567890123456781') }],
    },
    { where: 'a > 9007199254740992', true: [{ a: N('9007199254740993') }], false: [{ a: N('9007199254740992') }, { a: N('9007199254740992.0') }] },
    { where: 'a >= 1E-130', true: [{ a: N('1E-130') }, { a: N('0.2E-129') }], false: [{ a: N('9.9E-131') }, { a: N('0') }] },
    { where: "a < 'b'", true: [{ a: S('a') }, { a: S('') }, { a: S('B') }], false: [{ a: S('b') }, { a: S('ba') }, { a: N('1') }, { a: B(1) }, EMPTY, NULLS] },
    // UTF-8 order: U+1F600 (UTF-16 D83D DE00) comes after U+FF71; JavaScript's < says the opposite.
    { where: "a > 'ｱ'", true: [{ a: S('😀') }, { a: S('ｱa') }, { a: S('\u{10000}') }], false: [{ a: S('é') }, { a: S('ｱ') }, { a: S('\uFF70') }] },
    { where: "a <= '😀'", true: [{ a: S('ｱ') }, { a: S('\uE000') }, { a: S('😀') }], false: [{ a: S('😁') }, { a: S('😀a') }] },
    { where: "a = '😀'", true: [{ a: S('😀') }], false: [{ a: S('😁') }, { a: SS('😀') }] },
    { where: 'a = TRUE', true: [{ a: TRUE }], false: [{ a: FALSE }, { a: S('true') }, { a: N('1') }, EMPTY, NULLS] },
    { where: 'a <> FALSE', true: [{ a: TRUE }, EMPTY, NULLS], false: [{ a: FALSE }] },
    { where: 'a = NULL', true: [NULLS], false: [EMPTY, { a: S('') }, { a: L(NULL) }] },
    { where: 'a <> NULL', true: [EMPTY, { a: S('') }, { a: FALSE }], false: [NULLS] },
    { where: "a = [1, 'x']", true: [{ a: L(N('1.0'), S('x')) }], false: [{ a: L(S('x'), N('1')) }, { a: L(N('1')) }, { a: SS('1', 'x') }, EMPTY] },
    { where: "a = {'k': 1, 'j': [NULL]}", true: [{ a: M({ j: L(NULL), k: N('1.00') }) }], false: [{ a: M({ k: N('1'), j: L(NULL), x: NULL }) }, { a: M({ k: N('1') }) }, EMPTY] },
    { where: 'a = <<2, 1>>', true: [{ a: NS('1', '2') }, { a: NS('2.0', '1E0') }], false: [{ a: NS('1') }, { a: NS('1', '2', '3') }, { a: SS('1', '2') }, { a: L(N('2'), N('1')) }] },
    { where: "a = <<'b', 'a'>>", true: [{ a: SS('a', 'b') }], false: [{ a: SS('a') }, { a: SS('a', 'B') }, { a: L(S('b'), S('a')) }] },
    { where: '1 = 1.0', true: [EMPTY, NULLS], false: [] },
    { where: "'a' > 'b'", true: [], false: [EMPTY] },
  ])('$where', (row) => expectRows([row]));
});

describe('comparing two attributes', () => {
  it.each<Row>([
    {
      where: 'a = b',
      true: [
        { a: N('2'), b: N('2.0') },
        { a: S('x'), b: S('x') },
        { a: NULL, b: NULL },
        { a: TRUE, b: TRUE },
        { a: L(N('1'), S('x')), b: L(N('1.0'), S('x')) },
        { a: M({ x: N('1') }), b: M({ x: N('1.00') }) },
        { a: NS('1', '2'), b: NS('2.0', '1') },
        { a: B(1, 2), b: B(1, 2) },
        { a: BS([1], [2, 3]), b: BS([2, 3], [1]) },
      ],
      false: [EMPTY, { a: NULL }, { a: N('1'), b: N('2') }, { a: N('1'), b: S('1') }, { a: SS('x'), b: L(S('x')) }, { a: B(1, 2), b: B(1) }, { a: BS([1]), b: BS([2]) }],
    },
    { where: 'a <> b', true: [EMPTY, { a: N('1') }, { b: NULL }, { a: N('1'), b: S('1') }], false: [NULLS, { a: S('x'), b: S('x') }] },
    { where: 'a < b', true: [{ a: N('1'), b: N('2') }, { a: S('a'), b: S('b') }, { a: B(0x7f), b: B(0x80) }, { a: B(1), b: B(1, 0) }], false: [{ a: B(0xff), b: B(0) }, { a: N('1'), b: S('2') }, { a: FALSE, b: TRUE }, EMPTY] },
    // Only numbers, strings and binaries have an order: NULL = NULL, yet not NULL <= NULL.
    { where: 'a <= b', true: [{ a: N('1'), b: N('1.0') }], false: [NULLS, { a: TRUE, b: TRUE }, { a: L(), b: L() }] },
    { where: 'NOT (a < b)', true: [EMPTY, NULLS, { a: N('2'), b: N('1') }], false: [{ a: N('1'), b: N('2') }] },
    { where: 'a[0] = b.x', true: [{ a: L(S('v')), b: M({ x: S('v') }) }], false: [{ a: L(), b: M({}) }] },
    { where: 'size(a) = size(b)', true: [{ a: S('😀'), b: L(NULL, NULL) }], false: [{ a: N('1'), b: N('1') }, EMPTY] },
    { where: 'size(a) = b', true: [{ a: S('abc'), b: N('3.0') }], false: [{ a: S('abc'), b: S('3') }, { a: N('123'), b: N('3') }] },
  ])('$where', (row) => expectRows([row]));
});

describe('BETWEEN and IN', () => {
  it.each<Row>([
    { where: 'a BETWEEN 1 AND 2', true: [{ a: N('1') }, { a: N('1.5') }, { a: N('2.00') }], false: [{ a: N('0.9') }, { a: N('2.01') }, { a: S('1.5') }, EMPTY, NULLS] },
    { where: 'a NOT BETWEEN 1 AND 2', true: [{ a: N('3') }, { a: S('1.5') }, EMPTY, NULLS], false: [{ a: N('1') }] },
    { where: "a BETWEEN 'a' AND 'b'", true: [{ a: S('a') }, { a: S('az') }, { a: S('b') }], false: [{ a: S('ba') }, { a: S('A') }, { a: N('1') }, EMPTY] },
    { where: "a BETWEEN 'ｱ' AND '😀'", true: [{ a: S('\uFFFF') }], false: [{ a: S('\uE000') }, { a: S('😁') }] },
    { where: 'a BETWEEN b AND 3', true: [{ a: N('2'), b: N('2.0') }], false: [{ a: N('1'), b: N('2') }, { a: N('2') }, { a: N('2'), b: S('1') }] },
    { where: 'a BETWEEN 0.12345678901234567890123456789012345677 AND 0.12345678901234567890123456789012345678', true: [{ a: N('0.12345678901234567890123456789012345678') }], false: [{ a: N('0.1234567890123456789012345678901234567') }] },
    { where: "a IN [1, 'x', NULL, [1]]", true: [{ a: N('1.0') }, { a: S('x') }, NULLS, { a: L(N('1.00')) }], false: [{ a: N('2') }, { a: S('y') }, { a: L(S('1')) }, EMPTY] },
    { where: "a NOT IN ['x']", true: [EMPTY, NULLS, { a: S('y') }], false: [{ a: S('x') }] },
    { where: 'a IN [b, 1]', true: [{ a: S('s'), b: S('s') }, { a: N('1') }, NULLS], false: [EMPTY, { a: S('s') }] },
    { where: 'a IN (TRUE, <<1>>)', true: [{ a: TRUE }, { a: NS('1.0') }], false: [{ a: FALSE }, { a: SS('1') }] },
  ])('$where', (row) => expectRows([row]));
});

describe('IS', () => {
  const kinds: Record<string, AttributeValue> = { S: S(''), N: N('0'), B: B(), BOOL: FALSE, NULL, M: M({}), L: L(), SS: SS('x'), NS: NS('1'), BS: BS([1]) };
  const having = (...types: string[]) => types.map((type) => ({ a: kinds[type]! }));
  const lacking = (...types: string[]) => Object.keys(kinds).filter((type) => !types.includes(type)).map((type) => ({ a: kinds[type]! }));
  it.each<Row>([
    { where: 'a IS MISSING', true: [EMPTY, { b: S('x') }], false: lacking() },
    { where: 'a IS NOT MISSING', true: lacking(), false: [EMPTY] },
    // MISSING is not NULL here, unlike in the PartiQL specification.
    { where: 'a IS NULL', true: having('NULL'), false: [EMPTY, ...lacking('NULL')] },
    { where: 'a IS NOT NULL', true: [EMPTY, ...lacking('NULL')], false: having('NULL') },
    { where: 'a IS BOOLEAN', true: having('BOOL'), false: [EMPTY, ...lacking('BOOL')] },
    { where: 'a IS BLOB', true: having('B'), false: [EMPTY, ...lacking('B')] },
    { where: 'a IS STRING', true: having('S'), false: [EMPTY, ...lacking('S')] },
    { where: 'a IS NUMERIC', true: having('N'), false: [EMPTY, ...lacking('N')] },
    { where: 'a IS STRUCT', true: having('M'), false: [EMPTY, ...lacking('M')] },
    { where: 'a IS TUPLE', true: having('M'), false: [EMPTY, ...lacking('M')] },
    { where: 'a IS LIST', true: having('L'), false: [EMPTY, ...lacking('L')] },
    { where: 'a IS NOT LIST', true: [EMPTY, ...lacking('L')], false: having('L') },
    { where: 'a.b IS MISSING', true: [EMPTY, NULLS, { a: L(S('x')) }, { a: S('b') }, { a: M({ c: N('1') }) }], false: [{ a: M({ b: NULL }) }] },
    { where: "'x' IS STRING", true: [EMPTY], false: [] },
    { where: 'NULL IS MISSING', true: [], false: [EMPTY] },
    { where: 'size(a) IS MISSING', true: [EMPTY, { a: N('1') }, { a: TRUE }, NULLS], false: [{ a: S('') }, { a: M({}) }] },
    { where: '(a + 1) IS NULL', true: [NULLS], false: [EMPTY, { a: N('1') }, { a: S('x') }] },
    { where: 'a IS MISSING = TRUE', true: [EMPTY], false: [NULLS] },
  ])('$where', (row) => expectRows([row]));
});

describe('functions', () => {
  it.each<Row>([
    { where: "begins_with(a, 'USER#')", true: [{ a: S('USER#1') }, { a: S('USER#') }], false: [{ a: S('user#1') }, { a: S('USER') }, { a: SS('USER#1') }, { a: L(S('USER#1')) }, EMPTY, NULLS] },
    { where: "begins_with(a, '')", true: [{ a: S('') }, { a: S('x') }], false: [{ a: N('1') }, { a: B(1) }, EMPTY] },
    { where: "begins_with(a, '😀')", true: [{ a: S('😀x') }], false: [{ a: S('\uD83D') }, { a: S('😁') }] },
    { where: "NOT begins_with(a, 'x')", true: [EMPTY, NULLS, { a: N('1') }, { a: S('yx') }], false: [{ a: S('xy') }] },
    { where: "contains(a, 'x')", true: [{ a: S('axb') }, { a: SS('y', 'x') }, { a: L(N('1'), S('x')) }], false: [{ a: S('y') }, { a: SS('xy') }, { a: L(L(S('x'))) }, { a: M({ x: S('x') }) }, EMPTY, NULLS] },
    { where: "contains(a, '')", true: [{ a: S('') }, { a: SS('') }], false: [{ a: SS('x') }, { a: L() }] },
    { where: 'contains(a, 1)', true: [{ a: NS('2', '1.0') }, { a: L(N('1.00')) }], false: [{ a: SS('1') }, { a: S('1') }, { a: N('1') }, { a: NS('2') }, EMPTY] },
    { where: 'contains(a, 0.12345678901234567890123456789012345678)', true: [{ a: NS('0.12345678901234567890123456789012345678') }], false: [{ a: NS('0.12345678901234567890123456789012345677') }] },
    { where: "contains(a, [1, 'x'])", true: [{ a: L(S('y'), L(N('1.0'), S('x'))) }], false: [{ a: L(N('1'), S('x')) }, { a: NS('1') }] },
    { where: 'contains(a, NULL)', true: [{ a: L(S('x'), NULL) }], false: [NULLS, { a: L() }] },
    { where: "contains(a, {'k': TRUE})", true: [{ a: L(M({ k: TRUE })) }], false: [{ a: M({ k: TRUE }) }] },
    { where: "NOT contains(a, 'x')", true: [EMPTY, NULLS, { a: S('y') }], false: [{ a: S('x') }] },
    { where: 'attribute_exists(a)', true: [NULLS, { a: S('') }], false: [EMPTY, { b: S('x') }] },
    { where: 'attribute_not_exists(a.b[0])', true: [EMPTY, { a: M({ b: L() }) }, { a: M({ b: M({ '0': S('x') }) }) }], false: [{ a: M({ b: L(NULL) }) }] },
    { where: "attribute_type(a, 'NS')", true: [{ a: NS('1') }], false: [{ a: N('1') }, { a: SS('1') }, EMPTY] },
    { where: "attribute_type(a, 'NULL')", true: [NULLS], false: [EMPTY] },
    { where: "NOT attribute_type(a, 'M')", true: [EMPTY, { a: L() }], false: [{ a: M({}) }] },
    // size of a string counts UTF-16 code units, as DynamoDB Local does: 'é' is 1 (2 UTF-8 bytes), '😀' is 2 (1 code point).
    {
      where: 'size(a) = 2',
      true: [{ a: S('😀') }, { a: S('ab') }, { a: L(NULL, NULL) }, { a: M({ x: NULL, y: NULL }) }, { a: B(1, 2) }, { a: NS('1', '2') }, { a: SS('1', '2') }, { a: BS([1], [2]) }],
      false: [{ a: S('é') }, { a: S('ｱ') }, { a: N('22') }, { a: N('2') }, { a: TRUE }, EMPTY, NULLS],
    },
    { where: 'size(a) = 1', true: [{ a: S('é') }, { a: S('ｱ') }], false: [{ a: S('😀') }] },
    { where: 'size(a) > 1.5', true: [{ a: S('ab') }], false: [{ a: S('a') }, EMPTY] },
    { where: 'size(a) = 2.0', true: [{ a: S('ab') }], false: [{ a: S('abc') }] },
    { where: 'size(a) < 12345678901234567890', true: [{ a: S('ab') }], false: [{ a: N('1') }] },
    { where: 'size(a) <> 0', true: [EMPTY, { a: N('0') }, { a: S('x') }], false: [{ a: S('') }, { a: L() }, { a: M({}) }] },
    { where: '3 < size(a)', true: [{ a: S('abcd') }], false: [{ a: S('abc') }] },
  ])('$where', (row) => expectRows([row]));
});

describe('AND, OR and NOT are two-valued over MISSING and NULL', () => {
  it.each<Row>([
    { where: 'NOT (a = 1)', true: [EMPTY, NULLS, { a: N('2') }], false: [{ a: N('1') }] },
    { where: 'NOT NOT (a = 1)', true: [{ a: N('1') }], false: [EMPTY] },
    { where: 'NOT (a = 1 OR b = 2)', true: [EMPTY, NULLS, { a: N('2'), b: N('1') }], false: [{ a: N('1') }, { b: N('2') }] },
    { where: 'NOT (a = 1 AND NOT (b = 2))', true: [{ a: N('1'), b: N('2') }, EMPTY, { a: N('2') }], false: [{ a: N('1') }, { a: N('1'), b: NULL }] },
    { where: 'a = 1 OR b = 2 OR c = 3', true: [{ c: N('3') }, { a: N('1') }], false: [EMPTY, { a: N('3'), b: N('1'), c: N('2') }] },
    { where: 'a = 1 AND b = 2 AND c = 3', true: [{ a: N('1'), b: N('2'), c: N('3') }], false: [{ a: N('1'), b: N('2') }, EMPTY] },
    { where: 'a IS NOT MISSING OR b IS MISSING', true: [EMPTY, NULLS, { a: S('') }], false: [{ b: S('') }] },
    { where: '(a = 1) = FALSE', true: [EMPTY, NULLS, { a: N('2') }], false: [{ a: N('1') }] },
    { where: '(a = 1) = (b = 2)', true: [EMPTY, { a: N('1'), b: N('2') }], false: [{ a: N('1') }] },
    { where: "begins_with(a, '1') <> FALSE", true: [{ a: S('1') }], false: [EMPTY] },
  ])('$where', (row) => expectRows([row]));
});

// DynamoDB Local refuses + and - in a where; these follow the PartiQL specification, exactly.
describe('arithmetic', () => {
  it.each<Row>([
    { where: 'a + 1 = 2', true: [{ a: N('1') }, { a: N('1.0') }], false: [{ a: N('2') }, { a: S('1') }, EMPTY, NULLS] },
    { where: 'a + 0.1 = 0.3', true: [{ a: N('0.2') }], false: [{ a: N('0.20000000000000001') }] },
    { where: 'a - b > 0', true: [{ a: N('2'), b: N('1.99999999999999999999999999999999999999') }], false: [{ a: N('1'), b: N('1') }, { a: N('1') }, NULLS] },
    { where: 'a + 99999999999999999999999999999999999999 > 99999999999999999999999999999999999999', true: [{ a: N('1E-100') }], false: [{ a: N('0') }] },
    { where: '-a = -1', true: [{ a: N('1') }], false: [{ a: N('-1') }, { a: S('1') }, EMPTY] },
    { where: '-a > 0', true: [{ a: N('-0.5') }], false: [{ a: N('0') }, { a: N('-0') }] },
    { where: '+a = 1', true: [{ a: N('1') }], false: [{ a: S('1') }] },
    { where: 'NOT (a + 1 = 2)', true: [EMPTY, NULLS, { a: S('1') }], false: [{ a: N('1') }] },
    { where: '(a + 1) IS MISSING', true: [EMPTY, { a: S('x') }, { a: L() }], false: [NULLS, { a: N('1') }] },
  ])('$where', (row) => expectRows([row]));
});

describe('paths and awkward attribute names', () => {
  const dotted: Item = { 'a.b': N('1'), a: M({ b: N('2') }) };
  const proto: Item = {};
  setOwn(proto, '__proto__', S('x'));
  const protoMap: Item = { a: { M: {} } };
  setOwn(protoMap.a!.M!, '__proto__', N('1'));
  it.each<Row>([
    { where: 'a.b.c = 1', true: [{ a: M({ b: M({ c: N('1') }) }) }], false: [{ a: M({ b: L(N('1')) }) }, { a: M({ b: NULL }) }, { a: NULL }, EMPTY] },
    { where: "a[1] = 'x'", true: [{ a: L(NULL, S('x')) }], false: [{ a: L(S('x')) }, { a: S('xx') }, { a: M({ '1': S('x') }) }, EMPTY] },
    { where: "a['1'] = 'x'", true: [{ a: M({ '1': S('x') }) }], false: [{ a: L(NULL, S('x')) }] },
    { where: 'a[0][1].b = 1', true: [{ a: L(L(NULL, M({ b: N('1') }))) }], false: [{ a: L(L(M({ b: N('1') }))) }] },
    { where: 'a[5] IS MISSING', true: [{ a: L(NULL) }, { a: M({ '5': NULL }) }], false: [{ a: L(NULL, NULL, NULL, NULL, NULL, NULL) }] },
    { where: '"a.b" = 1', true: [dotted], false: [{ a: M({ b: N('1') }) }] },
    { where: 'a.b = 2', true: [dotted], false: [{ 'a.b': N('2') }] },
    { where: 'a."b.c" = 1', true: [{ a: M({ 'b.c': N('1') }) }], false: [{ a: M({ b: M({ c: N('1') }) }) }] },
    { where: '"value" = 1 AND "select" = 2', true: [{ value: N('1'), select: N('2') }], false: [{ value: N('1') }] },
    { where: '"it""s" = 1', true: [{ 'it"s': N('1') }], false: [{ 'it""s': N('1') }] },
    { where: '"sélection"[0] = 1', true: [{ sélection: L(N('1')) }], false: [{ selection: L(N('1')) }] },
    // Names that every plain object inherits are no attribute unless the item holds them.
    { where: '"__proto__" = \'x\'', true: [proto], false: [EMPTY, { a: S('x') }] },
    { where: '"__proto__" IS MISSING', true: [EMPTY], false: [proto] },
    { where: 'a."__proto__" = 1', true: [protoMap], false: [{ a: M({}) }] },
    { where: 'constructor IS MISSING AND a.toString IS MISSING AND a.hasOwnProperty IS MISSING', true: [EMPTY, { a: M({}) }], false: [{ constructor: N('1') }, { a: M({ toString: N('1') }) }] },
    { where: "a = {'__proto__': 1}", true: [protoMap], false: [{ a: M({}) }] },
  ])('$where', (row) => expectRows([row]));
});

// DynamoDB Local refuses attributes inside literals; an absent one makes the literal missing.
describe('list and map literals holding attributes', () => {
  it.each<Row>([
    { where: 'a = [b]', true: [{ a: L(N('1')), b: N('1.0') }], false: [{ a: L(NULL) }, { a: L() }] },
    { where: "a = {'k': b.c}", true: [{ a: M({ k: S('v') }), b: M({ c: S('v') }) }], false: [{ a: M({}) }] },
    { where: 'contains(a, [b])', true: [{ a: L(L(S('v'))), b: S('v') }], false: [{ a: L(L()) }] },
  ])('$where', (row) => expectRows([row]));
});

describe('compiling', () => {
  it('compiles once: the predicate keeps no syntax tree to read per item', () => {
    const checked = checkWhere("begins_with(pk, 'USER#') AND (info.rating >= 7 OR size(info.actors) > 2) AND kind IN ['a', 'b']");
    if (!checked.ok) throw new Error(checked.problem.message);
    const matches = compileCondition(checked);
    // Wreck every node of the tree: a predicate that read it per item would now throw or answer differently.
    const wreck = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      for (const value of Object.values(node)) wreck(value);
      for (const key of Object.keys(node)) (node as Record<string, unknown>)[key] = key === 'kind' ? 'missing' : undefined;
    };
    wreck(checked.condition);
    const user: Item = { pk: S('USER#1'), info: M({ rating: N('7.0') }), kind: S('b') };
    expect(matches(user)).toBe(true);
    expect(matches({ ...user, kind: S('c') })).toBe(false);
    expect(matches({ ...user, info: M({ rating: N('6.9'), actors: L(S('x'), S('y'), S('z')) }) })).toBe(true);
  });

  it('gives the problem as data for text that is not a condition', () => {
    expect(compileWhere('a LIKE 1')).toStrictEqual({
      ok: false,
      problem: { offset: 2, token: 'LIKE', message: "LIKE is not supported by DynamoDB; use begins_with(path, 'prefix') or contains(path, 'text')" },
    });
  });

  it('refuses a tree that check.ts did not accept', () => {
    const unchecked: Expr = parseWhere("a LIKE 'x%'");
    expect(() => compileCondition({ ok: true, condition: unchecked })).toThrow('compileCondition met like where check.ts admits none');
  });
});
