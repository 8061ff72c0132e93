/**
 * Discovery over a sample of items: every attribute path with its
 * statistics and a bounded sample of its values, for the table and for each
 * item type its key prefixes tell apart (item-types.ts).
 *
 * Items are added one at a time, so a caller can feed pages as it reads
 * them; memory is bounded by the number of paths, not of items. Each item
 * type keeps a tree of its own and the table's is their merge at the end:
 * the types are disjoint sets of items, so the table's counts are exact.
 * Whether a map folds into `*` is decided once, on the table, and applied to
 * every type alike, so a mapping pattern means the same in each.
 */
import type { Item } from '../../model/item.ts';
import { itemTypeOf, prefixLabel, type ItemType, type KeySchema } from './item-types.ts';
import { KeyShapes, type AttributeShapes } from './key-shapes.ts';
import { NodeBudget, PathTree, type DiscoveredPath } from './path-tree.ts';

/** Item types tracked; more distinct prefixes than this are no longer types (one group for all). */
export const MAX_ITEM_TYPES = 24;
/**
 * Share of items whose partition or sort key has a separated prefix
 * (`USER#…`) for the prefixes to count as item types. Below it, labels such
 * as whole capitalised values are more likely data (a movie titled "JFK").
 */
export const MIN_PREFIXED_SHARE = 0.5;

export interface DiscoveryOptions {
  /** The table's key attributes; without them, or when their values carry no prefix, there are no item types. */
  readonly keys?: KeySchema;
  /** The key attributes of the table and its indexes, whose parts are compared with the other attributes of each item; default: `keys`'. */
  readonly keyAttributes?: readonly string[];
}

export interface ItemTypeDiscovery extends ItemType {
  readonly items: number;
  /** `items` over the items sampled. */
  readonly share: number;
  readonly paths: readonly DiscoveredPath[];
}

export interface Discovery {
  readonly items: number;
  /** Every path of the table. */
  readonly paths: readonly DiscoveredPath[];
  /** Paths per item type; empty when the keys carry no prefix (or there was one type only, the table). */
  readonly itemTypes: readonly ItemTypeDiscovery[];
  /** Prefixes were seen but not taken for item types: more than MAX_ITEM_TYPES of them, or on fewer than MIN_PREFIXED_SHARE of the items. */
  readonly itemTypesDropped: boolean;
  /** Some paths went untracked (the trees reached MAX_NODES). */
  readonly truncated: boolean;
  /** The shapes of every top-level attribute's values, over every item (key-shapes.ts). */
  readonly shapes: readonly AttributeShapes[];
}

interface Group {
  readonly type: ItemType;
  items: number;
  readonly tree: PathTree;
}

export class PathDiscovery {
  readonly #keys: KeySchema | undefined;
  readonly #groups = new Map<string, Group>();
  /** One budget for every type's tree, so many item types do not multiply memory. */
  readonly #budget = new NodeBudget();
  readonly #shapes: KeyShapes;
  #items = 0;
  #prefixedItems = 0;
  #typesDropped = false;
  #finished = false;

  constructor(options: DiscoveryOptions = {}) {
    this.#keys = options.keys;
    const keys = options.keyAttributes ?? (options.keys === undefined ? [] : [options.keys.partitionKey, ...(options.keys.sortKey !== undefined ? [options.keys.sortKey] : [])]);
    this.#shapes = new KeyShapes({ linked: keys });
  }

  add(item: Item): void {
    if (this.#finished) throw new Error('PathDiscovery.add after finish');
    const group = this.#groupOf(item);
    if (group.type.partition?.whole === false || group.type.sort?.whole === false) this.#prefixedItems++;
    group.items++;
    group.tree.record(item, this.#items++);
    this.#shapes.add(item);
  }

  #groupOf(item: Item): Group {
    const type = this.#keys === undefined || this.#typesDropped ? { name: '' } : itemTypeOf(item, this.#keys);
    const id = `${type.partition?.prefix ?? ''}\u0000${type.sort?.prefix ?? ''}`;
    let group = this.#groups.get(id);
    if (group === undefined) {
      if (this.#groups.size >= MAX_ITEM_TYPES) {
        this.#dropTypes();
        return this.#groupOf(item);
      }
      group = { type, items: 0, tree: new PathTree(this.#budget) };
      this.#groups.set(id, group);
    }
    return group;
  }

  /** Too many prefixes to be a schema: one group from here on, the groups so far merged into it. */
  #dropTypes(): void {
    const all: Group = { type: { name: '' }, items: 0, tree: new PathTree(this.#budget) };
    for (const group of this.#groups.values()) {
      all.items += group.items;
      all.tree.merge(group.tree);
    }
    this.#groups.clear();
    this.#groups.set('\u0000', all);
    this.#typesDropped = true;
  }

  finish(): Discovery {
    if (this.#finished) throw new Error('PathDiscovery.finish called twice');
    this.#finished = true;
    const typed = [...this.#groups.values()].some((group) => group.type.name !== '');
    if (typed && this.#prefixedItems < this.#items * MIN_PREFIXED_SHARE) this.#dropTypes();
    const groups = [...this.#groups.values()];
    if (groups.length <= 1 && (groups[0]?.type.name ?? '') === '') {
      const tree = groups[0]?.tree ?? new PathTree();
      return { items: this.#items, paths: tree.paths(this.#items), itemTypes: [], itemTypesDropped: this.#typesDropped, truncated: this.#budget.exceeded, shapes: this.#shapes.finish() };
    }
    // Merging consumes a tree, and each type's tree is still to be read: the table is a merge of copies.
    const table = new PathTree(new NodeBudget(Number.POSITIVE_INFINITY));
    for (const group of groups) table.merge(group.tree.copy());
    const decisions = table.foldDecisions();
    const names = uniqueNames(groups.map((group) => group.type));
    const itemTypes = groups
      .map((group, index) => ({
        ...group.type,
        name: names[index]!,
        items: group.items,
        share: group.items / this.#items,
        paths: group.tree.paths(group.items, decisions),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      items: this.#items,
      paths: table.paths(this.#items, decisions),
      itemTypes,
      itemTypesDropped: this.#typesDropped,
      truncated: this.#budget.exceeded,
      shapes: this.#shapes.finish(),
    };
  }
}

/** Folds a sample at once. */
export function discoverPaths(items: Iterable<Item>, options: DiscoveryOptions = {}): Discovery {
  const discovery = new PathDiscovery(options);
  for (const item of items) discovery.add(item);
  return discovery.finish();
}

/** Each type's own name, unless another type has it too: then both prefixes, `USER/METADATA`. */
function uniqueNames(types: readonly ItemType[]): string[] {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type.name, (counts.get(type.name) ?? 0) + 1);
  return types.map((type) =>
    (counts.get(type.name) ?? 0) > 1 && type.partition !== undefined && type.sort !== undefined
      ? `${prefixLabel(type.partition)}/${prefixLabel(type.sort)}`
      : type.name,
  );
}
