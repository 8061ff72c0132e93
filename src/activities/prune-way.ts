/**
 * Which prune a `mode: replace` table needs (an incremental table's full
 * copy prunes the same way), decided once by prepareTable and kept in its
 * result, so the workflow runs the one it says:
 *
 * - `inverse` (prune-destination.ts): every key mapping of the table has an
 *   inverse and no rule set maps a key. Per Scan segment of the
 *   destination, in parallel, with memory for one page; preferred whenever
 *   it serves.
 * - `forward` (prune-forward.ts): a key mapping has no inverse (a hash, a
 *   fake allowed to merge keys) or a rule set maps a key otherwise than the
 *   table does (a destination key does not say which rule set gave it;
 *   the key checks allow that only with allowKeyCollisions). Every key mapping must then be
 *   deterministic (transformers/key-determinism.ts), since the prune
 *   computes the keys again. One activity holding a digest of every
 *   selected item's destination key (about 55 bytes of worker memory each)
 *   that reads the selection a second time, and starts over when retried.
 *
 * Neither serves a table read from an index: a sparse index's subset is
 * not a condition the base table can check key by key.
 */
import type { TableJob } from '../../model/job.ts';
import { nonDeterministicKeys } from '../../transformers/key-determinism.ts';
import { ruleSetsMapKeys } from '../../transformers/key-mapping-agreement.ts';
import { keysMapBack } from '../../transformers/key-inverse.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { PruneWay } from './contracts.ts';
import { replaceModeProblem } from './prune-destination.ts';

export type PruneDecision = { way: PruneWay } | { problem: string };

/** For a table whose mode is replace (the caller passes an incremental table as replace). */
export function pruneWayOf(table: TableJob, keyAttributes: readonly string[], registry: TransformerRegistry): PruneDecision {
  if (table.index !== undefined) return { problem: replaceModeProblem(table, keyAttributes, registry)! };
  if (keysMapBack(table, keyAttributes, registry)) return { way: 'inverse' };
  const stuck = nonDeterministicKeys(table, keyAttributes, registry);
  if (stuck.length === 0) return { way: 'forward' };
  const list = stuck.map(({ pattern, where, why }) => `${pattern} in ${where} (${why})`).join(' and ');
  return {
    problem:
      `mode replace deletes the destination items that no selected item maps to, finding them by mapping every selected item's key again, but the mapping of key attribute${stuck.length > 1 ? 's' : ''} ${list} may give another key on another run; ` +
      'map key attributes with built-in transformers or templates of them, or use mode upsert',
  };
}

/**
 * The prune a table needs, by its mode: none (undefined) for upsert. An
 * incremental table's full copy (its first run, or when the stream cannot
 * serve) prunes as mode replace does, so it needs what replace needs; and
 * its stream's deletes map a removed item's key by the rule set its image
 * takes, which a record that carries only the keys cannot say, so a rule
 * set may not map a key otherwise than the table.
 */
export function tablePruneWay(table: TableJob, keyAttributes: readonly string[], registry: TransformerRegistry): PruneDecision | undefined {
  if (table.mode !== 'replace' && table.mode !== 'incremental') return undefined;
  const replaced: TableJob = { ...table, mode: 'replace' };
  const decision = pruneWayOf(replaced, keyAttributes, registry);
  if (table.mode === 'replace') return decision;
  if ('problem' in decision) return { problem: `mode incremental copies in full and prunes as mode replace does when its stream cannot serve: ${decision.problem}` };
  if (ruleSetsMapKeys(replaced, keyAttributes)) {
    return {
      problem:
        "mode incremental deletes a removed item's copy under the key its rule set maps it to, and a stream record that carries only the keys cannot say which rule set that is; a rule set maps a key otherwise than the table: map key attributes the same way in every rule set and the table, or use mode replace",
    };
  }
  return decision;
}
