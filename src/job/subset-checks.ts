/**
 * How a table's subset is picked, beyond what the schema says of each
 * field: whole collections and seeds are read from the base table, and
 * whole collections need something that picks their roots.
 */
import type { PathIssue } from '../../model/problems.ts';
import { asRecord } from './raw-values.ts';

export function checkSubsets(tables: unknown[], issues: PathIssue[]): void {
  for (const [index, raw] of tables.entries()) {
    const table = asRecord(raw);
    if (table === undefined) continue;
    const whole = table.wholeCollections === true;
    const seeded = Array.isArray(table.seeds);
    const picksRoots = (typeof table.where === 'string' && table.where !== '') || seeded;
    if (whole && !picksRoots) {
      issues.push({ path: ['tables', index, 'wholeCollections'], message: 'whole collections need a where or seeds to pick their roots; without one every item is a root: leave wholeCollections out' });
    }
    if (typeof table.index === 'string') {
      if (whole) issues.push({ path: ['tables', index, 'wholeCollections'], message: `whole collections are read from the base table by partition key, not from index "${table.index}": leave out index or wholeCollections` });
      if (seeded) issues.push({ path: ['tables', index, 'seeds'], message: `seeds are partition key values of the base table, not of index "${table.index}": leave out index or seeds` });
    }
  }
}
