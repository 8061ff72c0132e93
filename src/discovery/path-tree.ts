/**
 * Folds items into one node per attribute path, with statistics per node.
 *
 * Lists always fold: every element of `info.actors` lands on
 * `info.actors[*]`. Maps fold only when their keys are data
 * (`contacts.<email>.phone` becomes `contacts.*.phone`) and keep their names
 * when the keys are a schema (`info.rating`). Which is which shows only once
 * the sample is read, so while folding, every map node feeds both its named
 * children and a `*` child that sees all of its keys; the choice is made at
 * the end and the other side dropped. Both sides are counted item by item,
 * so presence stays exact either way. A map whose keys outgrow
 * MAX_MAP_KEYS is decided early (folded) to bound memory.
 *
 * Feeding both sides doubles the work at every undecided map level, so the
 * `*` side is kept only while a value lands on at most MAX_VERSIONS nodes;
 * below that a map that must fold gets its `*` node by merging its named
 * children, and the presence of what it merged is an estimate (flagged).
 */
import { attributeType, type AttributeType, type Item } from '../../model/item.ts';
import { formatPath, type PatternSegment } from '../../model/path.ts';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { looksLikeDataKey } from './data-keys.ts';
import type { ScalarType } from './recognizers.ts';
import { ValueSample, hashText, type SampledValue } from './value-sample.ts';

/** A map with more distinct keys than this across the sample has data for keys. */
export const MAX_MAP_KEYS = 40;
/** Fold a map when at least this share of its distinct keys look like data (emails, ids, numbers, dates, names). */
export const DATA_KEY_SHARE = 0.5;
/** Fold a map of at least RARE_KEYS_MIN_KEYS keys, seen at least RARE_KEYS_MIN_MAPS times, when most keys occur once. */
export const RARE_KEYS_MIN_KEYS = 12;
export const RARE_KEYS_MIN_MAPS = 20;
export const RARE_KEYS_SHARE = 0.8;
/** Nodes a single value may be recorded on (named and `*` versions of its path). */
export const MAX_VERSIONS = 8;
/**
 * Nodes of all the trees of one discovery (every item type's, `*` sides
 * included); paths beyond are not tracked and the discovery says it is
 * truncated. A node holds at most SAMPLE_SIZE values of MAX_SAMPLED_CHARS
 * and MAX_DISTINCT_COUNTED hashes, so this bounds memory (in the worst case,
 * every value a long text, some 70 kB a node); real tables stay far below.
 */
export const MAX_NODES = 4000;

/** What the trees of one discovery may still grow by. */
export class NodeBudget {
  used = 0;
  exceeded = false;
  readonly limit: number;

  constructor(limit = MAX_NODES) {
    this.limit = limit;
  }
}

export interface PathStats {
  /** The path as a mapping pattern: `info.actors[*]`, `contacts.*.phone`. */
  readonly path: string;
  /** Items that hold the path at least once. */
  readonly items: number;
  /** `items` over the items sampled, 0 to 1. */
  readonly presence: number;
  /** Times a value sat on the path (each element of a list counts; a set counts once). */
  readonly values: number;
  /** How often each DynamoDB type was seen. */
  readonly types: Partial<Record<AttributeType, number>>;
  /** Strings and numbers seen, each element of a set counted. */
  readonly scalarValues: number;
  /** Distinct strings and numbers; a lower bound when `distinctAtLeast`. */
  readonly distinctValues: number;
  readonly distinctAtLeast: boolean;
  /** Set when `items` is an estimate (a map folded below MAX_VERSIONS levels); absent when exact. */
  readonly estimated?: true;
}

/**
 * One discovered path: its statistics (plain data, holding no item value)
 * and its sample of values, which must stay in the process (see
 * value-sample.ts).
 */
export interface DiscoveredPath {
  readonly segments: readonly PatternSegment[];
  readonly stats: PathStats;
  readonly sample: readonly SampledValue[];
}

/** Map paths (as patterns) whose keys fold into `*`: decided on the whole table, applied to each item type alike. */
export type FoldDecisions = Map<string, boolean>;

class PathNode {
  items = 0;
  values = 0;
  lastItem = -1;
  readonly types: Partial<Record<AttributeType, number>> = {};
  readonly sample = new ValueSample();
  keys: Map<string, PathNode> | undefined;
  anyKey: PathNode | undefined;
  anyIndex: PathNode | undefined;
  /** Too many keys: only `anyKey` remains. */
  collapsed = false;
  /** Whether this map node keeps a `*` child; fixed on first need. */
  shadowable: boolean | undefined;
  estimated = false;

  readonly dataKey: boolean;

  constructor(dataKey = false) {
    this.dataKey = dataKey;
  }

  see(type: AttributeType, itemNo: number): void {
    if (this.lastItem !== itemNo) {
      this.lastItem = itemNo;
      this.items++;
    }
    this.values++;
    this.types[type] = (this.types[type] ?? 0) + 1;
  }
}

export class PathTree {
  readonly #root = new PathNode();
  readonly #budget: NodeBudget;
  /** Nodes of this tree, root aside; kept in step with the budget. */
  #nodes = 0;
  #truncated = false;

  constructor(budget: NodeBudget = new NodeBudget()) {
    this.#budget = budget;
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  record(item: Item, itemNo: number): void {
    // for-in rather than Object.entries: no array per item or map, on the hottest path of `init`.
    for (const name in item) {
      const node = this.#keyChild(this.#root, name, false);
      if (node !== undefined) this.#visit([node], item[name]!, itemNo);
    }
  }

  #visit(nodes: readonly PathNode[], value: AttributeValue, itemNo: number): void {
    const type = attributeType(value);
    for (const node of nodes) node.see(type, itemNo);
    switch (type) {
      case 'S':
        addScalar(nodes, 'S', value.S!);
        break;
      case 'N':
        addScalar(nodes, 'N', value.N!);
        break;
      case 'SS':
        for (const element of value.SS!) addScalar(nodes, 'S', element);
        break;
      case 'NS':
        for (const element of value.NS!) addScalar(nodes, 'N', element);
        break;
      case 'L': {
        if (value.L!.length === 0) break;
        const next: PathNode[] = [];
        for (const node of nodes) {
          const elements = this.#indexChild(node);
          if (elements !== undefined) next.push(elements);
        }
        if (next.length > 0) for (const element of value.L!) this.#visit(next, element, itemNo);
        break;
      }
      case 'M':
        for (const key in value.M!) {
          const child = value.M![key]!;
          const next: PathNode[] = [];
          for (const node of nodes) {
            const named = node.collapsed ? undefined : this.#keyChild(node, key, true);
            if (named !== undefined) next.push(named);
            node.shadowable ??= nodes.length * 2 <= MAX_VERSIONS;
            const any = this.#anyKeyChild(node);
            if (any !== undefined) next.push(any);
          }
          if (next.length > 0) this.#visit(next, child, itemNo);
        }
        break;
      default:
        break;
    }
  }

  #newNode(dataKey = false): PathNode | undefined {
    if (this.#budget.used >= this.#budget.limit) {
      this.#truncated = true;
      this.#budget.exceeded = true;
      return undefined;
    }
    this.#nodes++;
    this.#budget.used++;
    return new PathNode(dataKey);
  }

  #keyChild(parent: PathNode, key: string, nested: boolean): PathNode | undefined {
    parent.keys ??= new Map();
    let node = parent.keys.get(key);
    if (node === undefined) {
      node = this.#newNode(nested && looksLikeDataKey(key));
      if (node === undefined) return undefined;
      parent.keys.set(key, node);
      if (nested && parent.keys.size > MAX_MAP_KEYS) {
        this.#collapse(parent);
        return undefined;
      }
    }
    return node;
  }

  #anyKeyChild(parent: PathNode): PathNode | undefined {
    if (parent.anyKey === undefined && (parent.shadowable === true || parent.collapsed)) parent.anyKey = this.#newNode();
    return parent.anyKey;
  }

  #indexChild(parent: PathNode): PathNode | undefined {
    parent.anyIndex ??= this.#newNode();
    return parent.anyIndex;
  }

  /** Keeps only the `*` side of a map node (building it from the named side when there was none). */
  #collapse(node: PathNode): void {
    if (node.anyKey === undefined) node.anyKey = estimatedAnyKey(node);
    node.keys = undefined;
    node.collapsed = true;
    this.#recount();
  }

  #recount(): void {
    const nodes = countNodes(this.#root) - 1;
    this.#budget.used += nodes - this.#nodes;
    this.#nodes = nodes;
  }

  /** Takes in the tree of a disjoint set of items (another item type's); `other` is consumed. */
  merge(other: PathTree): void {
    mergeNodes(this.#root, other.#root, true, true);
    this.#truncated ||= other.#truncated;
    // The other tree's nodes are now this one's (or gone, where both had the path).
    if (other.#budget === this.#budget) this.#budget.used -= other.#nodes;
    other.#nodes = 0;
    this.#recount();
  }

  /** A deep copy, to merge from without consuming this tree; it counts against a budget of its own. */
  copy(): PathTree {
    const copy = new PathTree(new NodeBudget(Number.POSITIVE_INFINITY));
    for (const [name, child] of this.#root.keys ?? []) {
      copy.#root.keys ??= new Map();
      copy.#root.keys.set(name, cloneNode(child));
    }
    copy.#nodes = this.#nodes;
    copy.#budget.used = this.#nodes;
    copy.#truncated = this.#truncated;
    return copy;
  }

  /** Which maps fold, decided on this tree (the whole table). */
  foldDecisions(): FoldDecisions {
    const decisions: FoldDecisions = new Map();
    const walk = (node: PathNode, segments: PatternSegment[]): void => {
      if (node.anyIndex !== undefined) walk(node.anyIndex, [...segments, { kind: 'anyIndex' }]);
      if (node.keys === undefined && node.anyKey === undefined) return;
      const fold = segments.length > 0 && shouldFold(node);
      if (segments.length > 0) decisions.set(formatPattern(segments), fold);
      if (fold) walk((node.anyKey ??= estimatedAnyKey(node)), [...segments, { kind: 'anyKey' }]);
      else for (const [key, child] of node.keys ?? []) walk(child, [...segments, { kind: 'key', name: key }]);
    };
    walk(this.#root, []);
    return decisions;
  }

  /** Every path, sorted, folded as `decisions` say (or as this tree alone suggests where they are silent). */
  paths(itemCount: number, decisions: FoldDecisions = this.foldDecisions()): DiscoveredPath[] {
    const out: DiscoveredPath[] = [];
    const walk = (node: PathNode, segments: PatternSegment[]): void => {
      if (segments.length > 0) out.push(discovered(node, segments, itemCount));
      if (node.anyIndex !== undefined) walk(node.anyIndex, [...segments, { kind: 'anyIndex' }]);
      if (node.keys === undefined && node.anyKey === undefined) return;
      const fold = segments.length > 0 && (decisions.get(formatPattern(segments)) ?? shouldFold(node));
      if (fold) {
        node.anyKey ??= estimatedAnyKey(node);
        walk(node.anyKey, [...segments, { kind: 'anyKey' }]);
      } else {
        for (const [key, child] of node.keys ?? []) walk(child, [...segments, { kind: 'key', name: key }]);
      }
    };
    walk(this.#root, []);
    return out.sort((a, b) => (a.stats.path < b.stats.path ? -1 : a.stats.path > b.stats.path ? 1 : 0));
  }
}

function addScalar(nodes: readonly PathNode[], type: ScalarType, text: string): void {
  const textHash = hashText(text);
  for (const node of nodes) node.sample.add(type, text, textHash);
}

function shouldFold(node: PathNode): boolean {
  if (node.collapsed) return true;
  const keys = [...(node.keys?.values() ?? [])];
  if (keys.length === 0) return false;
  const dataKeys = keys.filter((child) => child.dataKey).length;
  if (dataKeys >= keys.length * DATA_KEY_SHARE) return true;
  const once = keys.filter((child) => child.values === 1).length;
  return keys.length >= RARE_KEYS_MIN_KEYS && node.values >= RARE_KEYS_MIN_MAPS && once >= keys.length * RARE_KEYS_SHARE;
}

function discovered(node: PathNode, segments: readonly PatternSegment[], itemCount: number): DiscoveredPath {
  const stats: PathStats = {
    path: formatPattern(segments),
    items: node.items,
    presence: itemCount === 0 ? 0 : node.items / itemCount,
    values: node.values,
    types: { ...node.types },
    scalarValues: node.sample.seen,
    distinctValues: node.sample.distinct,
    distinctAtLeast: node.sample.distinctCapped,
    ...(node.estimated ? { estimated: true as const } : {}),
  };
  return { segments, stats, sample: node.sample.values };
}

/** Renders a pattern so that `parsePathPattern` reads it back: names as `formatPath` writes them, then `.*` and `[*]`. */
export function formatPattern(segments: readonly PatternSegment[]): string {
  let out = '';
  for (const segment of segments) {
    switch (segment.kind) {
      case 'key': {
        const name = formatPath([segment.name]);
        out += out === '' ? name : `.${name}`;
        break;
      }
      case 'anyKey':
        out += '.*';
        break;
      case 'index':
        out += `[${segment.index}]`;
        break;
      case 'anyIndex':
        out += '[*]';
        break;
    }
  }
  return out;
}

/**
 * Merges `from` into `into`. With `disjoint`, the two saw different items,
 * so item counts add up exactly; otherwise (named children of one map, which
 * share items) the sum is capped by the parent's count and marked estimated.
 */
function mergeNodes(into: PathNode, from: PathNode, disjoint: boolean, root = false): void {
  into.items += from.items;
  into.values += from.values;
  for (const [type, count] of Object.entries(from.types) as [AttributeType, number][]) into.types[type] = (into.types[type] ?? 0) + count;
  into.sample.merge(from.sample);
  into.estimated ||= from.estimated || !disjoint;
  into.lastItem = Math.max(into.lastItem, from.lastItem);
  if (from.anyIndex !== undefined) {
    if (into.anyIndex === undefined) into.anyIndex = from.anyIndex;
    else mergeNodes(into.anyIndex, from.anyIndex, disjoint);
  }
  // Both sides need a `*` child once either has one, or the merged one would miss the other's keys.
  if (from.anyKey !== undefined || into.anyKey !== undefined) {
    if (into.anyKey === undefined && (into.keys?.size ?? 0) > 0) into.anyKey = estimatedAnyKey(into);
    if (from.anyKey === undefined && (from.keys?.size ?? 0) > 0) from.anyKey = estimatedAnyKey(from);
    if (from.anyKey !== undefined) {
      if (into.anyKey === undefined) into.anyKey = from.anyKey;
      else mergeNodes(into.anyKey, from.anyKey, disjoint);
    }
  }
  into.shadowable = (into.shadowable ?? true) && (from.shadowable ?? true);
  if (into.collapsed || from.collapsed) {
    into.keys = undefined;
    into.collapsed = true;
    return;
  }
  for (const [key, child] of from.keys ?? []) {
    into.keys ??= new Map();
    const mine = into.keys.get(key);
    if (mine === undefined) into.keys.set(key, child);
    else mergeNodes(mine, child, disjoint);
  }
  // Top-level attribute names are the table's schema: never folded, however many.
  if (!root && (into.keys?.size ?? 0) > MAX_MAP_KEYS) {
    into.anyKey ??= estimatedAnyKey(into);
    into.keys = undefined;
    into.collapsed = true;
  }
}

/** A `*` node built from a map's named children, whose item counts overlap: capped by the map's own. */
function estimatedAnyKey(node: PathNode): PathNode {
  const any = new PathNode();
  // Copies: the named side may still be walked (or merged into) after this.
  for (const child of node.keys?.values() ?? []) mergeNodes(any, cloneNode(child), false);
  capItems(any, node.items);
  any.estimated = true;
  return any;
}

function cloneNode(node: PathNode): PathNode {
  const copy = new PathNode(node.dataKey);
  copy.items = node.items;
  copy.values = node.values;
  copy.lastItem = node.lastItem;
  Object.assign(copy.types, node.types);
  copy.sample.merge(node.sample);
  copy.collapsed = node.collapsed;
  copy.shadowable = node.shadowable;
  copy.estimated = node.estimated;
  if (node.anyIndex !== undefined) copy.anyIndex = cloneNode(node.anyIndex);
  if (node.anyKey !== undefined) copy.anyKey = cloneNode(node.anyKey);
  if (node.keys !== undefined) copy.keys = new Map([...node.keys].map(([key, child]) => [key, cloneNode(child)]));
  return copy;
}

function capItems(node: PathNode, limit: number): void {
  node.items = Math.min(node.items, limit);
  if (node.anyIndex !== undefined) capItems(node.anyIndex, node.items);
  if (node.anyKey !== undefined) capItems(node.anyKey, node.items);
  for (const child of node.keys?.values() ?? []) capItems(child, node.items);
}

function countNodes(node: PathNode): number {
  let count = 1;
  if (node.anyIndex !== undefined) count += countNodes(node.anyIndex);
  if (node.anyKey !== undefined) count += countNodes(node.anyKey);
  for (const child of node.keys?.values() ?? []) count += countNodes(child);
  return count;
}
