import { describe, expect, it } from 'vitest';
import { pathText, type Expr } from './ast.ts';
import { parseWhere } from './parser.ts';
import { renderWhereProblem, WhereSyntaxError } from './where-error.ts';

/** The tree as a fully parenthesized S-expression, so precedence is visible. */
function show(node: Expr): string {
  switch (node.kind) {
    case 'path':
      return JSON.stringify(node.steps);
    case 'string':
      return `'${node.value}'`;
    case 'number':
      return `#${node.text}`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'NULL';
    case 'missing':
      return 'MISSING';
    case 'list':
      return `[${node.items.map(show).join(' ')}]`;
    case 'set':
      return `<<${node.items.map(show).join(' ')}>>`;
    case 'map':
      return `{${node.entries.map((e) => `${show(e.key)}: ${show(e.value)}`).join(' ')}}`;
    case 'call':
      return `(${node.name} ${node.args.map(show).join(' ')})`;
    case 'compare':
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case 'between':
      return `(${node.negated ? 'not-' : ''}between ${show(node.value)} ${show(node.low)} ${show(node.high)})`;
    case 'in':
      return `(${node.negated ? 'not-' : ''}in ${show(node.value)} ${node.items.map(show).join(' ')})`;
    case 'is':
      return `(is${node.negated ? '-not' : ''} ${show(node.value)} ${node.type})`;
    case 'like':
      return `(like ${show(node.value)} ${show(node.pattern)})`;
    case 'not':
      return `(not ${show(node.operand)})`;
    case 'and':
    case 'or':
      return `(${node.kind} ${node.operands.map(show).join(' ')})`;
    case 'arithmetic':
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case 'sign':
      return `(${node.op} ${show(node.operand)})`;
  }
}

const parsed = (where: string) => show(parseWhere(where));

function syntaxError(where: string): string {
  try {
    parseWhere(where);
  } catch (error) {
    if (error instanceof WhereSyntaxError) return renderWhereProblem(where, error.problem);
    throw error;
  }
  throw new Error(`expected a syntax error for ${where}`);
}

describe('parseWhere: each form', () => {
  it.each([
    ['a = 1', '(= ["a"] #1)'],
    ['a <> 1', '(<> ["a"] #1)'],
    ['a != 1', '(<> ["a"] #1)'],
    ['a < 1', '(< ["a"] #1)'],
    ['a <= 1', '(<= ["a"] #1)'],
    ['a > 1', '(> ["a"] #1)'],
    ['a >= 1', '(>= ["a"] #1)'],
    ['1 < a', '(< #1 ["a"])'],
    ['a BETWEEN 1 AND 5', '(between ["a"] #1 #5)'],
    ['a NOT BETWEEN 1 AND 5', '(not-between ["a"] #1 #5)'],
    ["a IN [1, 'x']", "(in [\"a\"] #1 'x')"],
    ['a IN (1, 2)', '(in ["a"] #1 #2)'],
    ['a NOT IN [1]', '(not-in ["a"] #1)'],
    ['a IS MISSING', '(is ["a"] MISSING)'],
    ['a IS NOT MISSING', '(is-not ["a"] MISSING)'],
    ['a IS NULL', '(is ["a"] NULL)'],
    ['a is not null', '(is-not ["a"] NULL)'],
    ['a IS BOOLEAN', '(is ["a"] BOOLEAN)'],
    ["begins_with(a, 'x')", "(begins_with [\"a\"] 'x')"],
    ["BEGINS_WITH(a, 'x')", "(begins_with [\"a\"] 'x')"],
    ["contains(a, 'x')", "(contains [\"a\"] 'x')"],
    ['attribute_exists(a)', '(attribute_exists ["a"])'],
    ['attribute_not_exists(a)', '(attribute_not_exists ["a"])'],
    ["attribute_type(a, 'SS')", "(attribute_type [\"a\"] 'SS')"],
    ['size(a) > 2', '(> (size ["a"]) #2)'],
    ['SIZE(a) > 2', '(> (size ["a"]) #2)'],
    ['a = TRUE', '(= ["a"] true)'],
    ['a = false', '(= ["a"] false)'],
    ['a = NULL', '(= ["a"] NULL)'],
    ["a = [1, 'x', [2]]", "(= [\"a\"] [#1 'x' [#2]])"],
    ["a = <<'x', 'y'>>", "(= [\"a\"] <<'x' 'y'>>)"],
    ["a = {'k': 1, 'l': 'v'}", "(= [\"a\"] {'k': #1 'l': 'v'})"],
    ["a LIKE 'x%'", "(like [\"a\"] 'x%')"],
    ['a + 1 = 2', '(= (+ ["a"] #1) #2)'],
  ])('%s', (where, tree) => {
    expect(parsed(where)).toBe(tree);
  });
});

describe('parseWhere: paths', () => {
  it.each([
    ['info.rating = 1', '["info","rating"]'],
    ['info.genres[0] = 1', '["info","genres",0]'],
    ['info . genres [ 12 ] . x = 1', '["info","genres",12,"x"]'],
    ['"year" = 1', '["year"]'],
    ['"a.b" = 1', '["a.b"]'],
    ['"say ""hi""" = 1', '["say \\"hi\\""]'],
    ['a."b c"[1]."d" = 1', '["a","b c",1,"d"]'],
    ["a['b'] = 1", '["a","b"]'],
    ['$x_1 = 1', '["$x_1"]'],
    // DynamoDB attribute names are case-sensitive, quoted or not.
    ['Info.Rating = 1', '["Info","Rating"]'],
  ])('%s', (where, path) => {
    const node = parseWhere(where);
    if (node.kind !== 'compare') throw new Error('expected a comparison');
    expect(show(node.left)).toBe(path);
  });

  it('prints paths back in a form it reads', () => {
    expect(pathText(['info', 'genres', 0, 'a.b', 'value', 'say "hi"'])).toBe('info.genres[0]."a.b"."value"."say ""hi"""');
  });
});

describe('parseWhere: literals keep their exact text', () => {
  it.each([
    ['a = 12345678901234567890123456789012345678', '#12345678901234567890123456789012345678'],
    ['a = 0.12345678901234567890123456789012345678', '#0.12345678901234567890123456789012345678'],
    ['a = -8.30', '#-8.30'],
    ['a = - 8.30', '#-8.30'],
    ['a = +8.30', '#8.30'],
    ['a = -(-5)', '#5'],
    ['a = 1e0', '#1e0'],
    ['a = 1.5E-3', '#1.5E-3'],
    ['a = .5', '#.5'],
    ['a = 5.', '#5.'],
    ["a = 'it''s'", "'it's'"],
    ["a = ''", "''"],
    ["a = 'with \"double\" quotes'", `'with "double" quotes'`],
  ])('%s', (where, literal) => {
    const node = parseWhere(where);
    if (node.kind !== 'compare') throw new Error('expected a comparison');
    expect(show(node.right)).toBe(literal);
  });
});

describe('parseWhere: precedence', () => {
  it.each([
    // OR < AND < NOT < = IS IN < < BETWEEN < + -
    ['a = 1 OR b = 2 AND c = 3', '(or (= ["a"] #1) (and (= ["b"] #2) (= ["c"] #3)))'],
    ['a = 1 AND b = 2 OR c = 3', '(or (and (= ["a"] #1) (= ["b"] #2)) (= ["c"] #3))'],
    ['(a = 1 OR b = 2) AND c = 3', '(and (or (= ["a"] #1) (= ["b"] #2)) (= ["c"] #3))'],
    ['a = 1 AND b = 2 AND c = 3', '(and (= ["a"] #1) (= ["b"] #2) (= ["c"] #3))'],
    ['NOT a = 1 AND b = 2', '(and (not (= ["a"] #1)) (= ["b"] #2))'],
    ['NOT NOT a = 1', '(not (not (= ["a"] #1)))'],
    ['NOT (a = 1 AND b = 2)', '(not (and (= ["a"] #1) (= ["b"] #2)))'],
    ['a BETWEEN 1 AND 5 AND b = 2', '(and (between ["a"] #1 #5) (= ["b"] #2))'],
    ['a BETWEEN 1 AND 5 OR a IS MISSING', '(or (between ["a"] #1 #5) (is ["a"] MISSING))'],
    ['a IS MISSING = TRUE', '(= (is ["a"] MISSING) true)'],
    ['a < 1 = TRUE', '(= (< ["a"] #1) true)'],
    ['a = 1 + 2', '(= ["a"] (+ #1 #2))'],
    ['((a = 1))', '(= ["a"] #1)'],
    ['a IN [1] AND b NOT IN (2)', '(and (in ["a"] #1) (not-in ["b"] #2))'],
  ])('%s', (where, tree) => {
    expect(parsed(where)).toBe(tree);
  });

  it('reads keywords in any case', () => {
    expect(parsed('a = 1 aNd b Is NoT mIsSiNg oR NOT c between 1 AND 2')).toBe(
      '(or (and (= ["a"] #1) (is-not ["b"] MISSING)) (not (between ["c"] #1 #2)))',
    );
  });
});

describe('parseWhere: malformed input says where and what', () => {
  it.each([
    ['', 'column 1, at the end: the where is empty'],
    ['a = ', 'column 5, at the end: the condition ends where a value or attribute was expected'],
    ["a = 'x", `column 5, "'": unterminated string: this ' is never closed`],
    ['"a = 1', 'column 1, "\\"": unterminated quoted name: this " is never closed'],
    ['(a = 1', 'column 1, "(": this ( is never closed'],
    ['(a = 1 AND (b = 2)', 'column 1, "(": this ( is never closed'],
    ['a = 1)', 'column 6, ")": this ) closes no ('],
    ['a IN [1, 2', 'column 6, "[": this [ is never closed with ]'],
    ['a = 1 b = 2', 'column 7, "b": unexpected after the end of the condition; join conditions with AND or OR'],
    ['a = 1;', 'column 6, ";": a where is a single condition: nothing may follow it, and it cannot end a statement'],
    ['a BETWEEN 1 OR 2', 'column 13, "OR": BETWEEN needs AND between its two bounds: x BETWEEN low AND high'],
    ['a IN 5', 'column 6, "5": IN takes a list of values: IN [1, 2] or IN (1, 2)'],
    ['a IN []', 'column 7, "]": IN needs at least one value'],
    ['a IS', 'column 5, at the end: IS needs a type after it, such as IS MISSING or IS NOT NULL'],
    ['a = ?', 'column 5, "?": parameters are not supported in a where; write the value itself'],
    ['a = 1 -- why', 'column 7, "--": comments are not allowed in a where'],
    ['a = 1 /* x */', 'column 7, "/*": comments are not allowed in a where'],
    ['a = `1`', 'column 5, "`": Ion literals are not supported by DynamoDB'],
    ['a # 1', 'column 3, "#": unexpected character'],
    ['naïve = 1', 'column 3, "ï": unexpected character; a name with characters other than A-Z, a-z, 0-9, _ and $ must be double-quoted'],
    ['"" = 1', 'column 1, "\\"\\"": an attribute name cannot be empty'],
    ['a."" = 1', 'column 3, "\\"\\"": an attribute name cannot be empty'],
    ['a.* = 1', 'column 3, "*": wildcards are not allowed in a where path'],
    ['a[*] = 1', 'column 3, "*": wildcards are not allowed in a where path'],
    ['a[x] = 1', "column 3, \"x\": a path step in brackets is a list index such as [0] or a quoted name such as ['name']"],
    ['value = 1', 'column 1, "value": value is a PartiQL reserved word; to name the attribute, double-quote it: "value"'],
    ['info.Date = 1', 'column 6, "Date": Date is a PartiQL reserved word; to name the attribute, double-quote it: "Date"'],
    ['a = (1, 2)', 'column 7, ",": a list in parentheses is only allowed after IN; write a list as [1, 2]'],
    [
      'EXISTS(SELECT * FROM t)',
      'column 1, "EXISTS": EXISTS subqueries are not allowed in a where; to test an attribute, write attribute_exists(path) or path IS NOT MISSING',
    ],
    ['a = 1\nAND b = ', 'line 2, column 9, at the end: the condition ends where a value or attribute was expected'],
  ])('%j', (where, message) => {
    expect(syntaxError(where)).toBe(message);
  });
});
