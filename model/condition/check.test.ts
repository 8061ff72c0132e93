import { describe, expect, it } from 'vitest';
import { compareUtf8, whereProblem } from './check.ts';

describe('whereProblem accepts single conditions', () => {
  it.each([
    "Status = 'active'",
    '"year" BETWEEN 2010 AND 2011',
    "year = 2013 AND begins_with(title, 'The') AND info.rating >= 7.5",
    'info.genres[0] IN [\'Drama\', \'Comedy\'] OR info.rating IS MISSING',
    "NOT contains(info.actors, 'Tom Hanks')",
    'size(info.actors) > 3',
    "attribute_type(info.rating, 'N')",
    'a IS MISSING = TRUE',
    "a = <<'x', 'y'>> OR b = {'k': [1, TRUE, NULL]}",
    'a = 9.9999999999999999999999999999999999999E+125',
    'a = 1E-130',
    'a = 10000000000000000000000000000000000000000000',
    "a BETWEEN 'a' AND 'b'",
    'a <> NULL',
  ])('%s', (where) => {
    expect(whereProblem(where)).toBeUndefined();
  });
});

describe('whereProblem refuses anything but one condition, saying where and what', () => {
  it.each([
    // More than one statement, or a statement at all.
    ['a = 1;', 'column 6, ";": a where is a single condition: nothing may follow it, and it cannot end a statement'],
    ['a = 1; DELETE FROM x', 'column 6, ";": a where is a single condition: nothing may follow it, and it cannot end a statement'],
    ['a = 1 UNION SELECT * FROM x', 'column 7, "UNION": a where holds a single condition; this would start another clause or statement'],
    ['a = 1 ORDER BY a', 'column 7, "ORDER": a where holds a single condition; this would start another clause or statement'],
    [
      'SELECT * FROM x',
      'column 1, "SELECT": a where holds only a condition, not a statement or query; if SELECT names an attribute, double-quote it: "SELECT"',
    ],
    [
      "a IN (SELECT b FROM x)",
      'column 7, "SELECT": a where holds only a condition, not a statement or query; if SELECT names an attribute, double-quote it: "SELECT"',
    ],
    [
      'delete = 1',
      'column 1, "delete": a where holds only a condition, not a statement or query; if delete names an attribute, double-quote it: "delete"',
    ],
    [
      'EXISTS (SELECT * FROM x WHERE a = 1)',
      'column 1, "EXISTS": EXISTS subqueries are not allowed in a where; to test an attribute, write attribute_exists(path) or path IS NOT MISSING',
    ],
    // Unbalanced.
    ["a = 'it''s", `column 5, "'": unterminated string: this ' is never closed`],
    ['(a = 1', 'column 1, "(": this ( is never closed'],
    ['a = 1))', 'column 6, ")": this ) closes no ('],
    ['"a = 1', 'column 1, "\\"": unterminated quoted name: this " is never closed'],
    // Not a condition.
    ['a', 'column 1, "a": a is an attribute, not a condition; compare it (a = ...) or test it (a IS NOT MISSING)'],
    ['info.rating', 'column 1, "info.rating": info.rating is an attribute, not a condition; compare it (info.rating = ...) or test it (info.rating IS NOT MISSING)'],
    ['TRUE', 'column 1, "TRUE": expected a condition, such as a comparison, but this is a value'],
    ["'x'", `column 1, "'x'": expected a condition, such as a comparison, but this is a value`],
    ['size(a)', 'column 1, "size(a)": size(...) is a number, not a condition; compare it, as in size(...) > 0'],
    ['a = 1 AND b', 'column 11, "b": b is an attribute, not a condition; compare it (b = ...) or test it (b IS NOT MISSING)'],
    ['a = TRUE OR FALSE', 'column 13, "FALSE": expected a condition, such as a comparison, but this is a value'],
    ['NOT a', 'column 5, "a": a is an attribute, not a condition; compare it (a = ...) or test it (a IS NOT MISSING)'],
    ['   ', 'column 1, at the end: the where is empty'],
    // What DynamoDB refuses, said before anything runs.
    ['a = MISSING', 'column 5, "MISSING": MISSING cannot be compared; test it with IS MISSING or IS NOT MISSING'],
    ['a IN [MISSING]', 'column 7, "MISSING": MISSING is not a value; test an attribute with IS MISSING or IS NOT MISSING'],
    ["a NOT LIKE 'x%'", `column 3, "NOT LIKE": LIKE is not supported by DynamoDB; use begins_with(path, 'prefix') or contains(path, 'text')`],
    ['a * 2 = 4', 'column 3, "*": DynamoDB\'s PartiQL has no * operator; only + and - are defined'],
    ['a IS INT', 'column 6, "INT": DynamoDB cannot test IS INT; it tests IS [NOT] MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST'],
    ['a IS foo', 'column 6, "foo": DynamoDB cannot test IS FOO; it tests IS [NOT] MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST'],
    ['upper(a) = 1', 'column 1, "upper(a)": unknown function upper; DynamoDB\'s where knows begins_with, contains, attribute_type, attribute_exists, attribute_not_exists, size'],
    ["begins_with(a)", 'column 1, "begins_with(a)": begins_with takes 2 arguments, not 1'],
    ["begins_with('abc', 'a')", `column 13, "'abc'": begins_with takes an attribute path as its first argument`],
    ['begins_with(a, 5)', `column 16, "5": begins_with takes a string prefix, such as 'abc'`],
    [
      "attribute_type(a, 'STRING')",
      `column 19, "'STRING'": attribute_type takes one of 'S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'`,
    ],
    ['contains(a, b)', 'column 13, "b": contains takes a value to look for, such as a string or a number'],
    [
      'a = 123456789012345678901234567890123456789',
      'column 5, "123456789012345678901234567890123456789": 123456789012345678901234567890123456789 is not a number DynamoDB can store (at most 38 significant digits, magnitude from 1E-130 to below 1E+126)',
    ],
    ['a = 1E126', 'column 5, "1E126": 1E126 is not a number DynamoDB can store (at most 38 significant digits, magnitude from 1E-130 to below 1E+126)'],
    ['a = 1E-131', 'column 5, "1E-131": 1E-131 is not a number DynamoDB can store (at most 38 significant digits, magnitude from 1E-130 to below 1E+126)'],
    ['a = <<>>', 'column 5, "<<>>": a set holds at least one element in DynamoDB'],
    ["a = <<'x', 1>>", 'column 12, "1": a set holds only strings or only numbers, not both'],
    ["a = <<'x', 'x'>>", `column 12, "'x'": this value is already in the set; DynamoDB refuses duplicates`],
    ['a = <<1, 1.0>>', 'column 10, "1.0": this value is already in the set; DynamoDB refuses duplicates'],
    ["a = {'k': 1, 'k': 2}", `column 14, "'k'": this key is already in the map`],
    ['a BETWEEN 5 AND 1', 'column 1, "a BETWEEN 5 AND 1": the lower bound of BETWEEN is greater than its upper bound; DynamoDB refuses that'],
    ["a BETWEEN 'b' AND 'a'", `column 1, "a BETWEEN 'b' AND 'a'": the lower bound of BETWEEN is greater than its upper bound; DynamoDB refuses that`],
    ["a BETWEEN 1 AND 'z'", `column 1, "a BETWEEN 1 AND 'z'": the bounds of BETWEEN must be of the same type`],
    [`a IN [${Array.from({ length: 101 }, (_, i) => i).join(', ')}]`, 'IN lists 101 values; DynamoDB takes at most 100'],
  ])('%j', (where, message) => {
    const problem = whereProblem(where);
    if (message.startsWith('IN lists')) expect(problem).toContain(message);
    else expect(problem).toBe(message);
  });
});

describe('compareUtf8', () => {
  it('orders by code point, as DynamoDB orders UTF-8 bytes', () => {
    // U+FF5E sorts before U+1F600 in UTF-8, after it in UTF-16 code units.
    expect(compareUtf8('\uFF5E', '\u{1F600}')).toBeLessThan(0);
    expect('\uFF5E' < '\u{1F600}').toBe(false);
    expect(compareUtf8('ab', 'abc')).toBeLessThan(0);
    expect(compareUtf8('b', 'abc')).toBeGreaterThan(0);
    expect(compareUtf8('x', 'x')).toBe(0);
  });
});
