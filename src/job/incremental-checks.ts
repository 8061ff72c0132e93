/**
 * What `mode: incremental` needs of a table that the schema cannot say:
 * - a job salt: without one every run derives its own, so the changes of a
 *   run would be transformed unlike the copy they are applied to;
 * - no `index`: the stream carries the base table's changes, and whether
 *   an item is in a sparse index is not a condition on its image;
 * - no `allowKeyCollisions`: when two source items share a destination
 *   key, the delete of one removes the other's copy, and the destination
 *   would no longer be what a full copy makes.
 */
import type { PathIssue } from '../../model/problems.ts';
import { asRecord } from './raw-values.ts';

export function checkIncrementalTables(raw: Record<string, unknown>, tables: unknown[], issues: PathIssue[]): void {
  for (const [index, value] of tables.entries()) {
    const table = asRecord(value);
    if (!table) continue;
    const ownMode = table.mode !== undefined;
    if ((ownMode ? table.mode : raw.mode) !== 'incremental') continue;
    const modePath = ownMode ? ['tables', index, 'mode'] : ['mode'];
    if (raw.salt === undefined) {
      issues.push({ path: modePath, message: 'mode incremental needs a job salt: without one each run derives its own, and changes would be transformed unlike the copy they are applied to' });
    }
    if (table.index !== undefined) {
      issues.push({ path: ['tables', index, 'index'], message: "mode incremental reads the base table's stream, which says nothing of an index; read the table itself, or use mode upsert or replace" });
    }
    if (table.allowKeyCollisions === true) {
      issues.push({
        path: ['tables', index, 'allowKeyCollisions'],
        message: "mode incremental cannot allow key collisions: deleting one of two merged items would remove the other's copy",
      });
    }
  }
}
