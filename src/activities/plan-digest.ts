/**
 * A digest of everything a table's destination items depend on: the plan
 * cache's key (mappings, defaults, type-mismatch policy, the resolved
 * salt's digest, key attributes, sandbox limits, key sensitivity), the
 * subset (where, index) and the destination. A checkpoint keeps it; a run
 * whose digest differs applies no change on top of a destination made
 * another way, and copies the table in full instead.
 *
 * It goes to Temporal with the checkpoint, so it is an HMAC under a key
 * only workers hold (derived from the cursor key): a plain hash of a
 * low-entropy salt could be guessed back from it. Workers with different
 * cursor keys get different digests, and so a full copy: they could not
 * open each other's cursors either.
 */
import { createHmac } from 'node:crypto';
import { PlanCache, type PlanCacheInput } from './plan-cache.ts';
import type { CursorSeal } from './sealed-cursor.ts';

export function planDigest(seal: CursorSeal, input: PlanCacheInput): string {
  const { table } = input;
  const key = seal.runSalt('dynamask plan digest v1');
  const depends = [PlanCache.key(input), table.where ?? null, table.index ?? null, table.destinationConnection, table.destination];
  return createHmac('sha256', key).update(JSON.stringify(depends)).digest('base64url');
}
