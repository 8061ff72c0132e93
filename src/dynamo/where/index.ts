/**
 * What DynamoDB makes of a job's `where:` (the condition language itself is
 * model/condition/): the cheapest request that selects exactly its subset
 * (read-plan.ts), built from the condition's translation into key and
 * filter expressions (translate.ts). A read plan is plain JSON, safe to keep
 * in Temporal history.
 */
export {
  describeReadPlan,
  planRead,
  readPlanSegments,
  type CollectionsPlan,
  type FilterSpec,
  type KeyAttribute,
  type KeyType,
  type PartiqlPlan,
  type PlanReadInput,
  type QueryPlan,
  type QuerySpec,
  type ReadKeys,
  type ReadPlan,
  type ReferencesPlan,
  type RingMemberPlan,
  type RingPlan,
  type RootsPlan,
  type ScanPlan,
} from './read-plan.ts';
export { seedsProblem, subsetWhere, type SubsetPick } from './seed-condition.ts';
