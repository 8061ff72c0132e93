import type { PrepareTableResult, StreamTableInput } from '../src/activities/contracts.ts';
import type { CopyTableInput } from './shared.ts';

/** What every activity that transforms a table's items is told: the table, its job's settings, the salt's reference and the prepared keys. */
export function tableActivityInput(input: CopyTableInput, plan: PrepareTableResult): StreamTableInput {
  return {
    table: input.table,
    connections: input.connections,
    defaults: input.defaults,
    ...(input.salt !== undefined && { salt: input.salt }),
    ...(input.runWorkflowId !== undefined && { runWorkflowId: input.runWorkflowId }),
    ...(input.sources !== undefined && { sources: input.sources }),
    sandbox: input.sandbox,
    keysAreSensitive: input.keysAreSensitive,
    keyAttributes: plan.keyAttributes,
    ...(plan.indexKeys !== undefined && { indexKeys: plan.indexKeys }),
  };
}
