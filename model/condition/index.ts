/**
 * The condition language of a job: PartiQL's WHERE as DynamoDB reads it
 * (lexer -> parser -> check). Pure and shared: the read planner in
 * src/dynamo/where/ turns a checked condition into DynamoDB requests, and
 * evaluate.ts compiles one into a predicate on items in memory.
 */
export { checkWhere, whereProblem, type CheckedWhere } from './check.ts';
export { compileCondition, compileWhere, type CheckedCondition, type CompiledWhere, type ItemPredicate } from './evaluate.ts';
export { parseWhere } from './parser.ts';
export type { Expr } from './ast.ts';
export { renderWhereProblem, WhereSyntaxError, type WhereProblemData } from './where-error.ts';
