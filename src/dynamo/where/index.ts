/** A job's `where:`: the safety check, the parser, and the read planner built on them. */
export { checkWhere, whereProblem, type CheckedWhere } from './check.ts';
export { parseWhere } from './parser.ts';
export type { Expr } from './ast.ts';
export { renderWhereProblem, WhereSyntaxError, type WhereProblemData } from './where-error.ts';
export {
  describeReadPlan,
  planRead,
  readPlanSegments,
  type FilterSpec,
  type KeyAttribute,
  type KeyType,
  type PartiqlPlan,
  type PlanReadInput,
  type QueryPlan,
  type QuerySpec,
  type ReadKeys,
  type ReadPlan,
  type ScanPlan,
} from './read-plan.ts';
