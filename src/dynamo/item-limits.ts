/**
 * What DynamoDB refuses in a put, checked on transformed items before a
 * page is written, so that a run fails naming the table, the path and the
 * key attributes instead of with a bare ValidationException for a whole
 * batch. The limits, from "Quotas in Amazon DynamoDB"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html):
 *
 * - an item is at most 400 KB, its attribute names and values counted as
 *   for capacity (model/item-size.ts);
 * - every key attribute of the table is present; an S or B key is not
 *   empty; a partition key is at most 2048 bytes and a sort key 1024;
 * - a key attribute of a GSI or LSI may be absent (the item is then not in
 *   that index), but present it must have the type the table declares for
 *   it, not be empty if S or B, and keep within the same byte limits.
 *
 * A source item met these limits when DynamoDB stored it, so only what a
 * transformer produced can break them: a refusal names the path that grew
 * most. Messages name paths (unknown map keys masked) and key attribute
 * names, never a value or a key.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { itemSize, utf8Bytes, valueSize } from '../../model/item-size.ts';
import { formatPathForMessage, type Path } from '../../model/path.ts';

export const MAX_ITEM_BYTES = 400 * 1024;
const MAX_KEY_BYTES = [2048, 1024] as const;

/** What to do with a transformed item over 400 KB: fail the run, or leave it out and count it. */
export type OversizePolicy = 'error' | 'skip';

/** A key attribute of the destination's indexes only, as DescribeTable declares it. */
export interface IndexKeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
  /** Whether it is a partition key of one of its indexes (2048 bytes) rather than sort keys only (1024). */
  readonly partition: boolean;
  /** `the hash key of index GSI1`, for messages. */
  readonly roles: readonly string[];
}

export interface ItemLimitOptions {
  /** The table's hash and range key attribute names, in that order. */
  keyAttributes: readonly string[];
  /** Key attributes of the destination's GSIs and LSIs that are no table key; absent: none checked. */
  indexKeys?: readonly IndexKeyAttribute[];
  /** Names the job holds, which a message may show (formatPathForMessage). */
  knownNames: ReadonlySet<string>;
  oversize: OversizePolicy;
}

export interface WritableItems {
  items: Item[];
  /** Items left out for their size (oversize: skip). */
  skipped: number;
}

/** A transformed item DynamoDB would refuse. The message names paths and key attribute names only. */
export class ItemRefusedError extends Error {
  override name = 'ItemRefusedError';
  /** The path at fault (`body`, `sk`), formatted for messages. */
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

/** The limits a table job's writes are checked against, from its prepared keys (names and types only). */
export function itemLimitsOf(
  input: { keyAttributes: readonly string[]; indexKeys?: readonly IndexKeyAttribute[]; table: { oversizeItems?: OversizePolicy } },
  knownNames: ReadonlySet<string>,
): ItemLimitOptions {
  return { keyAttributes: input.keyAttributes, ...(input.indexKeys && { indexKeys: input.indexKeys }), knownNames, oversize: input.table.oversizeItems ?? 'error' };
}

/**
 * The transformed items of a page that DynamoDB would take, given the
 * source items they came from (same order). Throws ItemRefusedError on the
 * first item it would refuse for its key, or for its size unless the policy
 * skips those.
 */
export function writableItems(sources: readonly Item[], transformed: readonly Item[], options: ItemLimitOptions): WritableItems {
  let kept: Item[] | undefined;
  for (const [index, item] of transformed.entries()) {
    checkKey(item, options);
    if (!overLimit(item)) {
      kept?.push(item);
      continue;
    }
    if (options.oversize === 'error') throw tooLarge(sources[index] ?? {}, item, options);
    kept ??= transformed.slice(0, index);
  }
  return kept === undefined ? { items: [...transformed], skipped: 0 } : { items: kept, skipped: transformed.length - kept.length };
}

function checkKey(item: Item, { keyAttributes, indexKeys }: ItemLimitOptions): void {
  const names = keyAttributes.join(', ');
  for (const [position, name] of keyAttributes.entries()) {
    const role = position === 0 ? 'partition key' : 'sort key';
    const value = Object.hasOwn(item, name) ? item[name] : undefined;
    const fail = (why: string) => new ItemRefusedError(`the ${role} ${name} of a transformed item ${why} (the table's key attributes: ${names}); nothing of the page was written`, name);
    if (value === undefined) throw fail('is missing');
    const bytes = keyBytes(value);
    if (bytes === 0) throw fail('came out empty, which DynamoDB refuses for a key');
    if (bytes > MAX_KEY_BYTES[position === 0 ? 0 : 1]!) throw fail(`is ${bytes} bytes, over DynamoDB's ${MAX_KEY_BYTES[position === 0 ? 0 : 1]}-byte limit for a ${role}`);
  }
  for (const key of indexKeys ?? []) {
    const value = Object.hasOwn(item, key.name) ? item[key.name] : undefined;
    if (value === undefined) continue;
    const fail = (why: string) =>
      new ItemRefusedError(`${key.name}, ${key.roles.join(' and ')}, of a transformed item ${why} (the table's key attributes: ${names}); nothing of the page was written`, key.name);
    const type = typeOf(value);
    if (type !== key.type) throw fail(`came out ${type}, where the table declares ${key.type} for it, which DynamoDB refuses for an index key`);
    const bytes = keyBytes(value);
    if (bytes === 0) throw fail('came out empty, which DynamoDB refuses for an index key (leave the attribute out to keep the item out of the index)');
    const limit = MAX_KEY_BYTES[key.partition ? 0 : 1];
    if (bytes > limit) throw fail(`is ${bytes} bytes, over DynamoDB's ${limit}-byte limit for ${key.partition ? 'a partition' : 'a sort'} key`);
  }
}

function typeOf(value: AttributeValue): string {
  for (const type of ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const) if (value[type] !== undefined) return type;
  return 'of no type';
}

/** An S or B key's bytes; other types (N, or a type the key check of the plan refuses) count as non-empty and short. */
function keyBytes(value: AttributeValue): number {
  if (value.S !== undefined || value.B !== undefined) return valueSize(value);
  return 1;
}

/**
 * An upper bound first (3 UTF-8 bytes at most per UTF-16 unit), which needs
 * no encoding: only items that could be over it are counted exactly.
 */
function overLimit(item: Item): boolean {
  let bound = 0;
  for (const name in item) bound += 3 * name.length + valueBound(item[name]!);
  return bound > MAX_ITEM_BYTES && itemSize(item) > MAX_ITEM_BYTES;
}

function valueBound(value: AttributeValue): number {
  if (value.S !== undefined) return 3 * value.S.length;
  if (value.N !== undefined) return value.N.length + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.M !== undefined) {
    let bound = 3;
    for (const key in value.M) bound += 1 + 3 * key.length + valueBound(value.M[key]!);
    return bound;
  }
  if (value.L !== undefined) return value.L.reduce((sum, child) => sum + 1 + valueBound(child), 3);
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + 3 * s.length, 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + n.length + 1, 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  return 1;
}

function tooLarge(source: Item, item: Item, options: ItemLimitOptions): ItemRefusedError {
  const { path, growth } = grewMost(source, item);
  const where = formatPathForMessage(path, options.knownNames);
  return new ItemRefusedError(
    `a transformed item would be ${itemSize(item)} bytes, over DynamoDB's 400 KB item limit (${MAX_ITEM_BYTES} bytes of attribute names and values); ` +
      `${where} grew most (${growth >= 0 ? '+' : ''}${growth} bytes); the table's key attributes: ${options.keyAttributes.join(', ')}; ` +
      'oversizeItems: skip would leave such items out and count them; nothing of the page was written',
    where,
  );
}

/**
 * The path whose growth from source to transformed item is largest: the
 * attribute that grew most, then into its map key or list element that
 * grew most while that one holds more than half of the growth.
 */
export function grewMost(source: Item, item: Item): { path: Path; growth: number } {
  const grown = (before: AttributeValue | undefined, after: AttributeValue) => valueSize(after) - (before === undefined ? 0 : valueSize(before));
  // A new attribute's name grew the item too.
  const best = maxBy(Object.keys(item), (name) => (Object.hasOwn(source, name) ? grown(source[name], item[name]!) : utf8Bytes(name) + valueSize(item[name]!)));
  const path: (string | number)[] = [best.key];
  let before: AttributeValue | undefined = Object.hasOwn(source, best.key) ? source[best.key] : undefined;
  let after = item[best.key]!;
  const growth = best.value;
  for (let share = growth; ; ) {
    const children = childrenOf(before, after);
    if (children.length === 0) break;
    const child = maxBy(children, ([, b, a]) => grown(b, a));
    if (child.value * 2 <= share) break;
    const [segment, b, a] = child.key;
    path.push(segment);
    [before, after, share] = [b, a, child.value];
  }
  return { path, growth };
}

type Child = [string | number, AttributeValue | undefined, AttributeValue];

function childrenOf(before: AttributeValue | undefined, after: AttributeValue): Child[] {
  if (after.M !== undefined) return Object.entries(after.M).map(([key, a]) => [key, before?.M && Object.hasOwn(before.M, key) ? before.M[key] : undefined, a]);
  if (after.L !== undefined) return after.L.map((a, index) => [index, before?.L?.[index], a]);
  return [];
}

function maxBy<T>(values: readonly T[], score: (value: T) => number): { key: T; value: number } {
  let best: { key: T; value: number } = { key: values[0]!, value: -Infinity };
  for (const key of values) {
    const value = score(key);
    if (value > best.value) best = { key, value };
  }
  return best;
}
