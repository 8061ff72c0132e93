/**
 * `mode: replace`, the forward way (prune-way.ts says when it is taken):
 * after every segment of a copy completed, deletes the destination items
 * that no selected source item maps to, by computing where each selected
 * item went rather than where each destination item came from. So it
 * serves any deterministic key mapping, with or without an inverse (a
 * hash), and rule sets that map keys, under any read plan.
 *
 * One call does it all, in two steps: (1) read the whole selection with the
 * table's read plan, every segment, transforming each page as copyPages did
 * and keeping a 16-byte digest of each destination key
 * (selection-digests.ts, shared with the merge count); (2) Scan the
 * destination's keys, segment by segment in parallel, and delete those
 * whose digest is not in the set. Nothing is deleted before the whole
 * selection is read, so a failure while reading deletes nothing.
 *
 * Cost: the selection read and transformed a second time, and about 55
 * bytes of worker memory per selected item (the digest set), held for the
 * whole call: some 55 MB for a million items. A retry starts over from
 * the first page (deleting what is not selected again is harmless); the
 * heartbeats carry counts only, never a key or a cursor.
 *
 * What "selected" means is decided when this call reads the source, as with
 * the inverse way: an item deleted from the source, or changed out of the
 * WHERE, after the copy is deleted from the destination too. One more case
 * is this way's own: an item changed after the copy so that another rule
 * set takes it, with another key mapping, has its old copy deleted and its
 * new key not yet written; the next run writes it.
 */
import { Context } from '@temporalio/activity';
import type { Item } from '../../model/item.ts';
import type { TableJob } from '../../model/job.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { deleteKeys } from '../dynamo/batch-deleter.ts';
import { scanKeysPage, type KeyCursor } from '../dynamo/key-scanner.ts';
import { readPlanSegments } from '../dynamo/where/read-plan.ts';
import type { PruneForwardInput, PruneForwardResult } from './contracts.ts';
import { destinationClient } from './destination-client.ts';
import { dynamoFailure, failingAsData, refusal, type Call } from './failures.ts';
import { keepHeartbeating } from './heartbeat.ts';
import { pruneWayOf } from './prune-way.ts';
import { keyDigest, selectionDigests, type SelectionDigestsDeps } from './selection-digests.ts';

export interface PruneForwardOptions {
  /** Items a destination Scan page evaluates; unset reads 1 MB pages. */
  pageLimit?: number;
  /** BatchWriteItem delete requests in flight, per segment. */
  deleteConcurrency?: number;
}

export function makePruneDestinationForward(deps: SelectionDigestsDeps, options: PruneForwardOptions = {}) {
  return async function pruneDestinationForward(input: PruneForwardInput): Promise<PruneForwardResult> {
    return failingAsData(() => prune(deps, options, input));
  };
}

async function prune(deps: SelectionDigestsDeps, options: PruneForwardOptions, input: PruneForwardInput): Promise<PruneForwardResult> {
  const context = Context.current();
  const { table, connections, keyAttributes, readPlan } = input;
  refuseUnsafe(table, keyAttributes, deps.registry);
  const counts = { selected: 0, checked: 0, deleted: 0 };
  const heartbeats = keepHeartbeating(() => counts);
  try {
    const { digests } = await selectionDigests(deps, input, (read) => {
      counts.selected = read;
      context.heartbeat(counts);
    });

    const destination = destinationClient(deps.clients, input);
    const signal = context.cancellationSignal;
    const fail = (call: Call) => (error: unknown): never => {
      throw dynamoFailure(error, table, connections, call);
    };
    const totalSegments = readPlanSegments(readPlan);
    const segment = async (index: number) => {
      let cursor: KeyCursor | undefined;
      do {
        const page = await scanKeysPage(destination, table.destination, keyAttributes, {
          segment: index,
          totalSegments,
          ...(options.pageLimit ? { limit: options.pageLimit } : {}),
          ...(cursor ? { cursor } : {}),
          abortSignal: signal,
        }).catch(fail({ side: 'destination', doing: 'scanning' }));
        const stale: Item[] = page.keys.filter((key) => !digests.has(keyDigest(key, keyAttributes)));
        // Awaited before adding: `counts.deleted += await` would read the count before another segment adds to it.
        const deleted = await deleteKeys(destination, table.destination, stale, {
          concurrency: options.deleteConcurrency ?? 4,
          abortSignal: signal,
        }).catch(fail({ side: 'destination', doing: 'deleting from' }));
        counts.deleted += deleted;
        counts.checked += page.keys.length;
        context.heartbeat(counts);
        cursor = page.cursor;
      } while (cursor !== undefined);
    };
    await Promise.all(Array.from({ length: totalSegments }, (_, index) => segment(index)));
  } finally {
    heartbeats.stop();
  }
  return { ...counts };
}

/** prepareTable decided this before the copy; deleting is too costly to trust that alone. */
function refuseUnsafe(table: TableJob, keyAttributes: readonly string[], registry: TransformerRegistry): void {
  if (table.mode !== 'replace') throw refusal('BadMode', `pruneDestinationForward runs only for mode replace, not ${table.mode}`);
  if (keyAttributes.length === 0) throw refusal('BadMode', "pruneDestinationForward needs the table's key attributes");
  const decision = pruneWayOf(table, keyAttributes, registry);
  if ('problem' in decision) throw refusal('BadMode', decision.problem);
}
