/**
 * DynamoDB items <-> flat lists of (path, leaf value).
 *
 * Leaves keep their AttributeValue form (`{ N: "8.30" }`, `{ SS: [...] }`), so
 * numbers never pass through a JS float and sets stay sets: the round trip is
 * exact by construction. Maps and lists are the only containers; an empty map
 * or list is kept as a leaf so that it survives the trip too.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Path, PathSegment } from '../../transformers/path.ts';

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

type Node = { kind: 'leaf'; value: AttributeValue } | { kind: 'map'; children: Map<string, Node> } | { kind: 'list'; children: Map<number, Node> };

/**
 * Rebuilds an item from leaves. Paths that were dropped leave no trace: a list
 * that lost an element is compacted in index order, and a map or list whose
 * every leaf was dropped disappears (it is not written as an empty container).
 */
export function unflattenItem(entries: Iterable<FlatEntry>): Item {
  const root = new Map<string, Node>();
  for (const { path, value } of entries) {
    const [first, ...rest] = path;
    if (typeof first !== 'string') throw new TypeError('a path must start with an attribute name');
    insert(root, first, rest, value);
  }
  const item: Item = {};
  for (const [name, node] of root) setOwn(item, name, build(node));
  return item;
}

/** `target[key] = value`, except that a key named `__proto__` stays an own attribute instead of replacing the prototype. */
function setOwn(target: Item, key: string, value: AttributeValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function insert<K extends PathSegment>(children: Map<K, Node>, key: K, rest: PathSegment[], value: AttributeValue): void {
  if (rest.length === 0) {
    children.set(key, { kind: 'leaf', value });
    return;
  }
  const [next, ...tail] = rest;
  const wantList = typeof next === 'number';
  let node = children.get(key);
  if (node === undefined || node.kind === 'leaf') {
    node = wantList ? { kind: 'list', children: new Map() } : { kind: 'map', children: new Map() };
    children.set(key, node);
  }
  if (node.kind === 'list' && wantList) insert(node.children, next as number, tail, value);
  else if (node.kind === 'map' && !wantList) insert(node.children, next as string, tail, value);
  else throw new TypeError('a path mixes a list index and a map key at the same level');
}

function build(node: Node): AttributeValue {
  switch (node.kind) {
    case 'leaf':
      return node.value;
    case 'map': {
      const M: Item = {};
      for (const [key, child] of node.children) setOwn(M, key, build(child));
      return { M };
    }
    case 'list':
      return { L: [...node.children.entries()].sort((a, b) => a[0] - b[0]).map(([, child]) => build(child)) };
  }
}
