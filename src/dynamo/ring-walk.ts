/**
 * The walk round a cycle of references (users -> teams -> users): what
 * each member of the ring selects is the least fixpoint of "the items its
 * where picks, and the items whose attribute refers to a key the next
 * member selects". It starts from the members' own picks and reads the
 * members again while a pass still adds keys; sets only grow and the
 * tables are finite, so it ends, and each key is held once however often
 * the references go round.
 *
 * A member is read again only when the member it refers to gained keys
 * since its last read: a pass that reads nothing is the pass that adds
 * nothing, and the walk stops there.
 *
 * Pure over a small reader (a full pass over one member's items), so it is
 * tested on tables in memory; ring-reader.ts gives it parallel Scans. The
 * keys are data: they stay in the memory of the caller.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { referringValue, referringValueId } from './reference-values.ts';

export interface RingWalkMember {
  /** Its partition key, which the previous member's attribute refers to. */
  hashKey: string;
  /** Whether the member picks the item by itself (its where, seeds within it); absent: it picks nothing. */
  picks?: (item: Item) => boolean;
  /** Its attribute holding a partition key of the next member (the last's: of the first). */
  attribute: string;
  template?: string;
}

export interface RingReader {
  /** Every item of the member, page by page; resolves when the pass is done. */
  readAll(member: number, visit: (items: readonly Item[]) => void): Promise<void>;
}

export interface RingSelection {
  /** Per member, its selected partition keys by referringValueId. */
  keys: Map<string, AttributeValue>[];
  /** Member reads made (a full pass over one member each). */
  reads: number;
}

export async function walkRing(members: readonly RingWalkMember[], reader: RingReader): Promise<RingSelection> {
  const n = members.length;
  if (n === 0) throw new RangeError('a ring has at least one member');
  const keys = members.map(() => new Map<string, AttributeValue>());
  // How often each member's keys grew, and how often the next member's had when this one was last read.
  const grown = members.map(() => 0);
  const readAt = members.map(() => -1);
  let reads = 0;
  for (;;) {
    let read = false;
    // Backwards round the ring: a member's keys feed the one before it, which is read next.
    for (let i = n - 1; i >= 0; i--) {
      const next = (i + 1) % n;
      if (readAt[i] === grown[next]) continue;
      readAt[i] = grown[next]!;
      const member = members[i]!;
      // Nothing to pick and nothing to follow yet: a read would add nothing.
      if (member.picks === undefined && keys[next]!.size === 0) continue;
      read = true;
      reads++;
      const referred = referringIds(member, keys[next]!);
      const mine = keys[i]!;
      const before = mine.size;
      await reader.readAll(i, (items) => {
        for (const item of items) {
          const key = item[member.hashKey];
          if (key === undefined) continue;
          if (member.picks?.(item) === true || refersTo(item, member, referred)) mine.set(referringValueId(key), key);
        }
      });
      if (mine.size > before) grown[i]!++;
    }
    if (!read) return { keys, reads };
  }
}

/** What the member's attribute holds for each of these keys, by referringValueId: the key itself, or rendered into the template. */
export function referringIds(member: Pick<RingWalkMember, 'template'>, keys: Map<string, AttributeValue>): Set<string> {
  if (member.template === undefined) return new Set(keys.keys());
  const ids = new Set<string>();
  for (const key of keys.values()) {
    const value = referringValue(member, key);
    if (value !== undefined) ids.add(referringValueId(value));
  }
  return ids;
}

function refersTo(item: Item, member: RingWalkMember, referred: ReadonlySet<string>): boolean {
  const value = item[member.attribute];
  return value !== undefined && referred.has(referringValueId(value));
}
