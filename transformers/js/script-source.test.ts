import { describe, expect, it } from 'vitest';
import { prepareScript, ScriptSyntaxError } from './script-source.ts';

const syntaxError = (code: string, kind: 'js' | 'jsGenerate' = 'js'): ScriptSyntaxError => {
  try {
    prepareScript(code, kind);
  } catch (error) {
    if (error instanceof ScriptSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${code}`);
};

describe('prepareScript', () => {
  it('returns the value of a single expression, with or without a trailing semicolon', () => {
    expect(prepareScript('value.toUpperCase()', 'js').form).toBe('expression');
    expect(prepareScript('value.trim();', 'js').form).toBe('expression');
    expect(prepareScript('{ a: 1 }', 'js').form).toBe('expression');
    expect(prepareScript("item.first + ' ' + item.last", 'jsGenerate').form).toBe('expression');
  });

  it('takes anything else as a function body', () => {
    const source = prepareScript('const x = value.trim();\nreturn x;', 'js');
    expect(source.form).toBe('body');
    expect(source.wrapped).toBe("(function (value, item, path) { 'use strict';\nconst x = value.trim();\nreturn x;\n})");
    expect(prepareScript('return item.a', 'jsGenerate').wrapped.startsWith('(function (item, path) {')).toBe(true);
  });

  it('reports the line and column of a syntax error inside the script', () => {
    const error = syntaxError('const x = value.trim();\nreturn x +;\n');
    expect(error.line).toBe(2);
    expect(error.column).toBe(11);
    expect(error.message).toBe("JavaScript syntax error at line 2, column 11 of the script: Unexpected token ';'");
    expect(syntaxError('value.replace(/a/g, "b"').message).toBe('JavaScript syntax error at line 1, column 21 of the script: missing ) after argument list');
  });

  it('parses the code as a body on its own, so it cannot close the wrapper', () => {
    expect(syntaxError('}); (function () {').message).toBe("JavaScript syntax error at line 1, column 1 of the script: Unexpected token '}'");
  });

  it('runs scripts in strict mode', () => {
    expect(syntaxError('with (item) { return a }').reason).toBe('Strict mode code may not include a with statement');
  });

  it('refuses an empty script', () => {
    expect(syntaxError('  \n').message).toBe('JavaScript syntax error: the script is empty');
  });
});
