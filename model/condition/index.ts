/**
 * The condition language of a job: PartiQL's WHERE as DynamoDB reads it
 * (lexer -> parser -> check). Pure and shared: the read planner in
 * src/dynamo/where/ turns a checked condition into DynamoDB requests, and
 * evaluators of conditions on items in memory belong beside the parser.
 */
export { checkWhere, whereProblem, type CheckedWhere } from './check.ts';
export { parseWhere } from './parser.ts';
export type { Expr } from './ast.ts';
export { renderWhereProblem, WhereSyntaxError, type WhereProblemData } from './where-error.ts';
