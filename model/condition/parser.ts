/**
 * Parses a job's `where:` into a syntax tree, with PartiQL's precedence (as
 * partiql-lang-kotlin defines it, lowest first): OR, AND, NOT, then
 * = <> IS IN, then < <= > >= BETWEEN LIKE, then + - ||, then * / %.
 *
 * The parser accepts some shapes DynamoDB refuses (LIKE, `*`, IS with any
 * type name) so that check.ts can say what is wrong in words rather than
 * "unexpected token".
 */
import type { ComparisonOperator, Expr, ExprOf, PathStep } from './ast.ts';
import { tokenize, type Token } from './lexer.ts';
import { WhereSyntaxError } from './where-error.ts';

/** Words that begin another statement or clause: a where that holds one is trying to be more than a condition. */
export const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set(
  `SELECT INSERT UPDATE DELETE FROM WHERE UNION INTERSECT EXCEPT CREATE DROP ALTER EXEC EXECUTE SET REMOVE INTO VALUES ORDER
GROUP HAVING LIMIT OFFSET JOIN PIVOT UNPIVOT LET RETURNING GRANT REVOKE COMMIT ROLLBACK`.split(/\s+/),
);

const PRECEDENCE = { or: 10, and: 20, not: 30, equality: 40, comparison: 50, addition: 60, multiplication: 70, sign: 80 } as const;

const COMPARISON: Record<string, ComparisonOperator> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

export function parseWhere(source: string): Expr {
  return new Parser(source).parseCondition();
}

class Parser {
  readonly #source: string;
  readonly #tokens: Token[];
  #at = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
  }

  parseCondition(): Expr {
    if (this.#peek().kind === 'end') throw new WhereSyntaxError(0, '', 'the where is empty');
    const condition = this.#expression(0);
    const next = this.#peek();
    if (next.kind !== 'end') {
      if (next.kind === 'punctuation' && next.value === ')') throw this.#error(next, 'this ) closes no (');
      if (next.kind === 'keyword' && STATEMENT_KEYWORDS.has(next.value)) {
        throw this.#error(next, 'a where holds a single condition; this would start another clause or statement');
      }
      throw this.#error(next, 'unexpected after the end of the condition; join conditions with AND or OR');
    }
    return condition;
  }

  #peek(offset = 0): Token {
    return this.#tokens[Math.min(this.#at + offset, this.#tokens.length - 1)]!;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#at++;
    return token;
  }

  #isPunctuation(value: string, offset = 0): boolean {
    const token = this.#peek(offset);
    return token.kind === 'punctuation' && token.value === value;
  }

  #isKeyword(value: string, offset = 0): boolean {
    const token = this.#peek(offset);
    return token.kind === 'keyword' && token.value === value;
  }

  #error(token: Token, message: string): WhereSyntaxError {
    return new WhereSyntaxError(token.start, this.#raw(token), message);
  }

  /** The token as the job wrote it (a keyword's value is upper-cased, a string's unquoted). */
  #raw(token: Token): string {
    return this.#source.slice(token.start, token.end);
  }

  #expect(value: string, message: string): Token {
    const token = this.#peek();
    if (token.kind !== 'punctuation' || token.value !== value) throw this.#error(token, message);
    return this.#next();
  }

  #expression(minPrecedence: number): Expr {
    let left = this.#prefix();
    for (;;) {
      const token = this.#peek();
      const start = left.start;
      if (token.kind === 'keyword' && (token.value === 'OR' || token.value === 'AND')) {
        const kind = token.value === 'OR' ? 'or' : 'and';
        if (PRECEDENCE[kind] < minPrecedence) return left;
        this.#next();
        const right = this.#expression(PRECEDENCE[kind] + 1);
        const operands = left.kind === kind ? [...left.operands, right] : [left, right];
        left = { kind, operands, start, end: right.end };
        continue;
      }
      if (token.kind === 'punctuation' && token.value in COMPARISON) {
        const op = COMPARISON[token.value]!;
        const precedence = op === '=' || op === '<>' ? PRECEDENCE.equality : PRECEDENCE.comparison;
        if (precedence < minPrecedence) return left;
        this.#next();
        const right = this.#expression(precedence + 1);
        left = { kind: 'compare', op, left, right, start, end: right.end };
        continue;
      }
      if (token.kind === 'punctuation' && ['+', '-', '||', '*', '/', '%'].includes(token.value)) {
        const precedence = ['*', '/', '%'].includes(token.value) ? PRECEDENCE.multiplication : PRECEDENCE.addition;
        if (precedence < minPrecedence) return left;
        this.#next();
        const right = this.#expression(precedence + 1);
        left = { kind: 'arithmetic', op: token.value, left, right, operator: { start: token.start, end: token.end }, start, end: right.end };
        continue;
      }
      const negated = this.#isKeyword('NOT') && ['IN', 'BETWEEN', 'LIKE'].includes(this.#peek(1).value) && this.#peek(1).kind === 'keyword';
      const word = negated ? this.#peek(1).value : token.kind === 'keyword' ? token.value : '';
      if (word === 'IS' || word === 'IN') {
        if (PRECEDENCE.equality < minPrecedence) return left;
        left = word === 'IS' ? this.#is(left) : this.#in(left, negated);
        continue;
      }
      if (word === 'BETWEEN' || word === 'LIKE') {
        if (PRECEDENCE.comparison < minPrecedence) return left;
        const operator = { start: token.start, end: (negated ? this.#peek(1) : token).end };
        if (negated) this.#next();
        this.#next();
        if (word === 'LIKE') {
          const pattern = this.#expression(PRECEDENCE.comparison + 1);
          left = { kind: 'like', value: left, pattern, negated, operator, start, end: pattern.end };
        } else {
          const low = this.#expression(PRECEDENCE.comparison + 1);
          if (!this.#isKeyword('AND')) throw this.#error(this.#peek(), 'BETWEEN needs AND between its two bounds: x BETWEEN low AND high');
          this.#next();
          const high = this.#expression(PRECEDENCE.comparison + 1);
          left = { kind: 'between', value: left, low, high, negated, start, end: high.end };
        }
        continue;
      }
      return left;
    }
  }

  #is(value: Expr): ExprOf<'is'> {
    this.#next();
    const negated = this.#isKeyword('NOT');
    if (negated) this.#next();
    const type = this.#peek();
    if (type.kind !== 'keyword' && type.kind !== 'identifier') {
      throw this.#error(type, 'IS needs a type after it, such as IS MISSING or IS NOT NULL');
    }
    this.#next();
    return {
      kind: 'is',
      value,
      type: type.value.toUpperCase(),
      typeSpan: { start: type.start, end: type.end },
      negated,
      start: value.start,
      end: type.end,
    };
  }

  #in(value: Expr, negated: boolean): ExprOf<'in'> {
    if (negated) this.#next();
    this.#next();
    const open = this.#peek();
    const close = open.value === '[' ? ']' : open.value === '(' ? ')' : undefined;
    if (open.kind !== 'punctuation' || close === undefined) {
      throw this.#error(open, 'IN takes a list of values: IN [1, 2] or IN (1, 2)');
    }
    this.#next();
    if (this.#isPunctuation(close)) throw this.#error(this.#peek(), 'IN needs at least one value');
    const items = this.#items(close, open);
    return { kind: 'in', value, items, negated, start: value.start, end: this.#tokens[this.#at - 1]!.end };
  }

  /** Comma-separated expressions up to and including `close`. */
  #items(close: string, open: Token): Expr[] {
    const items: Expr[] = [];
    for (;;) {
      items.push(this.#expression(0));
      const token = this.#next();
      if (token.kind === 'punctuation' && token.value === close) return items;
      if (token.kind === 'punctuation' && token.value === ',') continue;
      if (token.kind === 'end') throw this.#error(open, `this ${open.value} is never closed with ${close}`);
      throw this.#error(token, `expected , or ${close}`);
    }
  }

  #prefix(): Expr {
    const token = this.#peek();
    if (token.kind === 'keyword' && token.value === 'NOT') {
      this.#next();
      const operand = this.#expression(PRECEDENCE.not);
      return { kind: 'not', operand, start: token.start, end: operand.end };
    }
    if (token.kind === 'punctuation' && (token.value === '-' || token.value === '+')) {
      this.#next();
      const operand = this.#expression(PRECEDENCE.sign);
      const op = token.value;
      if (operand.kind === 'number') {
        const text = op === '+' ? operand.text : operand.text.startsWith('-') ? operand.text.slice(1) : `-${operand.text}`;
        return { kind: 'number', text, start: token.start, end: operand.end };
      }
      return { kind: 'sign', op, operand, start: token.start, end: operand.end };
    }
    return this.#primary();
  }

  #primary(): Expr {
    const token = this.#next();
    const span = { start: token.start, end: token.end };
    switch (token.kind) {
      case 'number':
        return { kind: 'number', text: token.value, ...span };
      case 'string':
        return { kind: 'string', value: token.value, ...span };
      case 'identifier':
        if (this.#isPunctuation('(')) return this.#call(token, token.value.toLowerCase());
        return this.#path(token, token.value);
      case 'quotedIdentifier':
        if (token.value === '') throw this.#error(token, 'an attribute name cannot be empty');
        return this.#path(token, token.value);
      case 'keyword':
        return this.#keywordOperand(token);
      case 'end':
        throw this.#error(token, 'the condition ends where a value or attribute was expected');
      case 'punctuation':
        break;
    }
    switch (token.value) {
      case '(': {
        const inner = this.#expression(0);
        if (this.#isPunctuation(',')) throw this.#error(this.#peek(), 'a list in parentheses is only allowed after IN; write a list as [1, 2]');
        if (!this.#isPunctuation(')')) {
          if (this.#peek().kind === 'end') throw this.#error(token, 'this ( is never closed');
          throw this.#error(this.#peek(), 'expected )');
        }
        this.#next();
        return inner;
      }
      case '[': {
        const items = this.#isPunctuation(']') ? [] : this.#items(']', token);
        if (items.length === 0) this.#next();
        return { kind: 'list', items, start: token.start, end: this.#tokens[this.#at - 1]!.end };
      }
      case '<<': {
        const items = this.#isPunctuation('>>') ? [] : this.#items('>>', token);
        if (items.length === 0) this.#next();
        return { kind: 'set', items, start: token.start, end: this.#tokens[this.#at - 1]!.end };
      }
      case '{':
        return this.#map(token);
      case ')':
        throw this.#error(token, 'expected a value or attribute before this )');
      default:
        throw this.#error(token, 'expected a value or attribute');
    }
  }

  #keywordOperand(token: Token): Expr {
    const span = { start: token.start, end: token.end };
    switch (token.value) {
      case 'TRUE':
      case 'FALSE':
        return { kind: 'boolean', value: token.value === 'TRUE', ...span };
      case 'NULL':
        return { kind: 'null', ...span };
      case 'MISSING':
        return { kind: 'missing', ...span };
    }
    const written = this.#raw(token);
    if (token.value === 'EXISTS' && this.#isPunctuation('(')) {
      throw this.#error(token, 'EXISTS subqueries are not allowed in a where; to test an attribute, write attribute_exists(path) or path IS NOT MISSING');
    }
    if (token.value === 'SIZE' && this.#isPunctuation('(')) return this.#call(token, 'size');
    if (this.#isPunctuation('(')) return this.#call(token, written.toLowerCase());
    if (STATEMENT_KEYWORDS.has(token.value)) {
      throw this.#error(
        token,
        `a where holds only a condition, not a statement or query; if ${written} names an attribute, double-quote it: "${written}"`,
      );
    }
    throw this.#error(token, `${written} is a PartiQL reserved word; to name the attribute, double-quote it: "${written}"`);
  }

  #call(token: Token, name: string): ExprOf<'call'> {
    const open = this.#next();
    const args = this.#isPunctuation(')') ? [] : this.#items(')', open);
    if (args.length === 0) this.#next();
    return { kind: 'call', name, args, start: token.start, end: this.#tokens[this.#at - 1]!.end };
  }

  #path(first: Token, name: string): ExprOf<'path'> {
    const steps: PathStep[] = [name];
    let end = first.end;
    for (;;) {
      if (this.#isPunctuation('.')) {
        this.#next();
        const step = this.#next();
        if (step.kind === 'quotedIdentifier' && step.value === '') throw this.#error(step, 'an attribute name cannot be empty');
        if (step.kind === 'identifier' || step.kind === 'quotedIdentifier') steps.push(step.value);
        else if (step.kind === 'keyword') {
          const written = this.#raw(step);
          throw this.#error(step, `${written} is a PartiQL reserved word; to name the attribute, double-quote it: "${written}"`);
        } else if (step.kind === 'punctuation' && step.value === '*') {
          throw this.#error(step, 'wildcards are not allowed in a where path');
        } else throw this.#error(step, 'expected an attribute name after .');
        end = step.end;
      } else if (this.#isPunctuation('[')) {
        const open = this.#next();
        const step = this.#next();
        if (step.kind === 'number' && /^\d+$/.test(step.value)) steps.push(Number(step.value));
        else if (step.kind === 'string' && step.value !== '') steps.push(step.value);
        else if (step.kind === 'punctuation' && step.value === '*') throw this.#error(step, 'wildcards are not allowed in a where path');
        else throw this.#error(step, 'a path step in brackets is a list index such as [0] or a quoted name such as [\'name\']');
        if (!this.#isPunctuation(']')) {
          throw this.#error(this.#peek().kind === 'end' ? open : this.#peek(), this.#peek().kind === 'end' ? 'this [ is never closed' : 'expected ]');
        }
        end = this.#next().end;
      } else {
        return { kind: 'path', steps, start: first.start, end };
      }
    }
  }

  #map(open: Token): ExprOf<'map'> {
    const entries: { key: Expr; value: Expr }[] = [];
    if (this.#isPunctuation('}')) {
      this.#next();
      return { kind: 'map', entries, start: open.start, end: this.#tokens[this.#at - 1]!.end };
    }
    for (;;) {
      const key = this.#expression(0);
      this.#expect(':', 'expected : between a map key and its value');
      const value = this.#expression(0);
      entries.push({ key, value });
      const token = this.#next();
      if (token.kind === 'punctuation' && token.value === '}') break;
      if (token.kind === 'punctuation' && token.value === ',') continue;
      if (token.kind === 'end') throw this.#error(open, 'this { is never closed with }');
      throw this.#error(token, 'expected , or }');
    }
    return { kind: 'map', entries, start: open.start, end: this.#tokens[this.#at - 1]!.end };
  }
}
