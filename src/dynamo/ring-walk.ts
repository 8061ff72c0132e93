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
 * nothing, and the walk stops there. A member with an index on its
 * attribute (`indexed`) is read whole only while its own where is still to
 * be tested (once, when it has one), and after that by the values of the
 * next member's keys it has not followed yet, each once: a deep walk then
 * costs Queries in proportion to what it selects, not a Scan per level.
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
  /** The reader can read the member's items by the value of their attribute (readReferring). */
  indexed?: boolean;
}

export interface RingReader {
  /** Every item of the member, page by page; resolves when the pass is done. */
  readAll(member: number, visit: (items: readonly Item[]) => void): Promise<void>;
  /** The member's items whose attribute holds one of these values (at least their partition key); only asked of an indexed member. */
  readReferring?(member: number, values: readonly AttributeValue[], visit: (items: readonly Item[]) => void): Promise<void>;
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
  // Of an indexed member: the next member's keys (by id) it has followed, and whether its where was tested.
  const followed = members.map(() => new Set<string>());
  const picked = members.map((member) => member.picks === undefined);
  let reads = 0;
  for (;;) {
    let read = false;
    // Backwards round the ring: a member's keys feed the one before it, which is read next.
    for (let i = n - 1; i >= 0; i--) {
      const next = (i + 1) % n;
      if (readAt[i] === grown[next]) continue;
      readAt[i] = grown[next]!;
      const member = members[i]!;
      const mine = keys[i]!;
      const before = mine.size;
      const add = (item: Item, keep: boolean) => {
        const key = item[member.hashKey];
        if (key !== undefined && keep) mine.set(referringValueId(key), key);
      };
      if (member.indexed === true && picked[i] && reader.readReferring !== undefined) {
        const values = newValues(member, keys[next]!, followed[i]!);
        if (values.length === 0) continue;
        read = true;
        reads++;
        await reader.readReferring(i, values, (items) => items.forEach((item) => add(item, true)));
      } else {
        // Nothing to pick and nothing to follow yet: a read would add nothing.
        if (member.picks === undefined && keys[next]!.size === 0) continue;
        read = true;
        reads++;
        const referred = referringIds(member, keys[next]!);
        for (const id of keys[next]!.keys()) followed[i]!.add(id);
        picked[i] = true;
        await reader.readAll(i, (items) => items.forEach((item) => add(item, member.picks?.(item) === true || refersTo(item, member, referred))));
      }
      if (mine.size > before) grown[i]!++;
    }
    if (!read) return { keys, reads };
  }
}

/** What the member's attribute holds for each key of the next member it has not followed yet; marks them followed. */
function newValues(member: Pick<RingWalkMember, 'template'>, keys: Map<string, AttributeValue>, followed: Set<string>): AttributeValue[] {
  const values: AttributeValue[] = [];
  for (const [id, key] of keys) {
    if (followed.has(id)) continue;
    followed.add(id);
    const value = referringValue(member, key);
    if (value !== undefined) values.push(value);
  }
  return values;
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
