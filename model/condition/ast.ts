/**
 * The syntax tree of a WHERE condition. Every node keeps the span of job text
 * it came from, for messages; literals keep the text as written (a number's
 * 38 digits survive because nothing turns it into a float).
 */
import { KEYWORDS } from './lexer.ts';

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A map key (`.name`, `."name"`, `['name']`) or a list index (`[0]`). */
export type PathStep = string | number;

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Expr =
  | ({ kind: 'path'; steps: PathStep[] } & Span)
  | ({ kind: 'string'; value: string } & Span)
  | ({ kind: 'number'; text: string } & Span)
  | ({ kind: 'boolean'; value: boolean } & Span)
  | ({ kind: 'null' } & Span)
  | ({ kind: 'missing' } & Span)
  | ({ kind: 'list'; items: Expr[] } & Span)
  | ({ kind: 'set'; items: Expr[] } & Span)
  | ({ kind: 'map'; entries: { key: Expr; value: Expr }[] } & Span)
  /** `name` lower-cased: PartiQL function names are case-insensitive. */
  | ({ kind: 'call'; name: string; args: Expr[] } & Span)
  | ({ kind: 'compare'; op: ComparisonOperator; left: Expr; right: Expr } & Span)
  | ({ kind: 'between'; value: Expr; low: Expr; high: Expr; negated: boolean } & Span)
  | ({ kind: 'in'; value: Expr; items: Expr[]; negated: boolean } & Span)
  /** `type` upper-cased: MISSING, NULL, BOOLEAN, STRING, ... */
  | ({ kind: 'is'; value: Expr; type: string; typeSpan: Span; negated: boolean } & Span)
  | ({ kind: 'like'; value: Expr; pattern: Expr; negated: boolean; operator: Span } & Span)
  | ({ kind: 'not'; operand: Expr } & Span)
  | ({ kind: 'and'; operands: Expr[] } & Span)
  | ({ kind: 'or'; operands: Expr[] } & Span)
  | ({ kind: 'arithmetic'; op: string; left: Expr; right: Expr; operator: Span } & Span)
  /** Unary minus or plus on something other than a number literal (those fold into the literal). */
  | ({ kind: 'sign'; op: '+' | '-'; operand: Expr } & Span);

export type ExprOf<K extends Expr['kind']> = Extract<Expr, { kind: K }>;

export function pathText(steps: readonly PathStep[]): string {
  let out = '';
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else {
      const plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(step) && !KEYWORDS.has(step.toUpperCase());
      const name = plain ? step : `"${step.replace(/"/g, '""')}"`;
      out += out === '' ? name : `.${name}`;
    }
  }
  return out;
}
