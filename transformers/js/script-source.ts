/**
 * A script as written in a job file -> the function source the sandbox
 * compiles. The code is a function body, or a single expression whose value
 * is returned (`value.toUpperCase()`); scripts run in strict mode, so a
 * misspelt variable is an error rather than a new global shared by every
 * later call.
 *
 * Syntax is checked here, in the host, with `vm.compileFunction`: it parses
 * the code as a function body on its own (so code cannot close the wrapper
 * and open another function) and runs nothing. The sandbox compiles the same
 * text again inside its isolate.
 */
import { compileFunction } from 'node:vm';
import { SCRIPT_PARAMETERS, type ScriptKind } from './script-ref.ts';

export interface ScriptSource {
  readonly kind: ScriptKind;
  /** The code as the job file wrote it. */
  readonly code: string;
  readonly form: 'expression' | 'body';
  /** A function expression, for the isolate to compile. */
  readonly wrapped: string;
  /** Lines of `wrapped` before the code's first line: a negative line offset makes errors point into the code. */
  readonly linesBefore: number;
}

/** A script that does not parse. The message quotes the parser, which names code, never item values. */
export class ScriptSyntaxError extends Error {
  override name = 'ScriptSyntaxError';
  /** 1-based, within the script. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The parser's own words, such as "Unexpected token ';'". */
  readonly reason: string;

  constructor(reason: string, line: number | undefined, column: number | undefined) {
    const where = line === undefined ? '' : ` at line ${line}${column === undefined ? '' : `, column ${column}`} of the script`;
    super(`JavaScript syntax error${where}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}

const STRICT = "'use strict';";

/** Parses the code as an expression if it is one, else as a function body; throws ScriptSyntaxError. */
export function prepareScript(code: string, kind: ScriptKind): ScriptSource {
  if (code.trim() === '') throw new ScriptSyntaxError('the script is empty', undefined, undefined);
  const parameters = SCRIPT_PARAMETERS[kind];
  // A trailing semicolon after a lone expression (`value.trim();`) still means "return this".
  const expression = code.replace(/;\s*$/, '');
  const asExpression = `return (\n${expression}\n);`;
  if (parses(asExpression, parameters)) return wrap(kind, code, 'expression', asExpression, 2);
  try {
    compileFunction(`${STRICT}\n${code}`, [...parameters], { filename: 'script' });
  } catch (error) {
    throw syntaxErrorOf(error, 1);
  }
  return wrap(kind, code, 'body', code, 1);
}

function parses(body: string, parameters: readonly string[]): boolean {
  try {
    compileFunction(`${STRICT}\n${body}`, [...parameters], { filename: 'script' });
    return true;
  } catch {
    return false;
  }
}

function wrap(kind: ScriptKind, code: string, form: ScriptSource['form'], body: string, linesBefore: number): ScriptSource {
  const wrapped = `(function (${SCRIPT_PARAMETERS[kind].join(', ')}) { ${STRICT}\n${body}\n})`;
  return { kind, code, form, wrapped, linesBefore };
}

/**
 * V8 puts the place of a syntax error in the stack text rather than in
 * properties: `script:3` on the first line, then the source line, then a
 * caret under the column.
 */
function syntaxErrorOf(error: unknown, linesBefore: number): ScriptSyntaxError {
  if (!(error instanceof SyntaxError)) throw error;
  const lines = (error.stack ?? '').split('\n');
  const at = /^script:(\d+)$/.exec(lines[0] ?? '');
  const caret = (lines[2] ?? '').indexOf('^');
  const line = at ? Math.max(1, Number(at[1]) - linesBefore) : undefined;
  return new ScriptSyntaxError(error.message, line, at && caret >= 0 ? caret + 1 : undefined);
}
