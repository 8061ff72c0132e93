/**
 * After a copy whose job allows key mappings that can merge keys, counts
 * exactly how many items merged: the selection is read again, every page
 * transformed as copyPages did, and the distinct destination keys counted
 * (selection-digests.ts). merged = items read - distinct keys: each item
 * another of the selection overwrote, whichever page, segment or worker
 * wrote either.
 *
 * The count lives in this one activity's memory (about 55 bytes of worker
 * memory per item, see selection-digests.ts), so it costs one more read and
 * transform of the selection. Nothing is written, and only the three counts
 * leave; a retry starts over.
 */
import { Context } from '@temporalio/activity';
import type { CountMergedKeysInput, CountMergedKeysResult } from './contracts.ts';
import { failingAsData } from './failures.ts';
import { keepHeartbeating } from './heartbeat.ts';
import { selectionDigests, type SelectionDigestsDeps } from './selection-digests.ts';

export type CountMergedKeysDeps = SelectionDigestsDeps;

export function makeCountMergedKeys(deps: CountMergedKeysDeps) {
  return async function countMergedKeys(input: CountMergedKeysInput): Promise<CountMergedKeysResult> {
    return failingAsData(() => count(deps, input));
  };
}

async function count(deps: CountMergedKeysDeps, input: CountMergedKeysInput): Promise<CountMergedKeysResult> {
  const context = Context.current();
  let progress = { read: 0, keys: 0 };
  const heartbeats = keepHeartbeating(() => progress);
  try {
    const { read, digests } = await selectionDigests(deps, input, (read, keys) => {
      progress = { read, keys };
      context.heartbeat(progress);
    });
    return { read, keys: digests.size, merged: read - digests.size };
  } finally {
    heartbeats.stop();
  }
}
