/**
 * Item types of a single-table design, told apart by the prefix of their key
 * values. The sort key's prefix names the type, since the partition key
 * usually names the collection: `PK = USER#42, SK = ORDER#2026-01-05#7` is
 * an `ORDER`, `PK = USER#42, SK = USER#42` a `USER`, `PK = USER#42,
 * SK = PROFILE` a `PROFILE`; without a sort-key prefix the partition key's
 * names it. Where two types would share a name, discover.ts names both by
 * both prefixes (`USER/METADATA`, `ORDER/METADATA`).
 *
 * A prefix is a label in capitals, digits and underscores, starting with a
 * letter, up to the first `#`, `|` or `:` (`USER#`, `ORDER|`, `TENANT:`);
 * or a whole key value of that form (`PROFILE`, `METADATA`). Capitals only,
 * because that is how entity prefixes are written and because a prefix
 * becomes an item type's name in the job file: a lower-case run before a
 * `#` (`acme#user-1`, `ada#2026`) is as likely a tenant or a person, which
 * must not be written anywhere. A `:` followed by a space or `//` is prose
 * or a URL ("TRON: Legacy"), not a separator. Keys without a prefix make no
 * type; discover.ts also wants most items to carry a separated prefix before
 * it believes in types at all, since titles such as "JFK" look like whole-value labels.
 */
import type { Item } from '../../model/item.ts';

export interface KeySchema {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface KeyPrefix {
  readonly attribute: string;
  /** `USER#` (the label and its separator), or the whole value (`PROFILE`) when `whole`. */
  readonly prefix: string;
  readonly whole: boolean;
}

export interface ItemType {
  /** `USER`, `ORDER`, `USER/METADATA`; empty for the items whose keys carry no prefix when other items' do. */
  readonly name: string;
  readonly partition?: KeyPrefix;
  readonly sort?: KeyPrefix;
}

const LABEL = /^([A-Z][A-Z0-9_]{0,31})(#|\||:(?![/ ]))/;
const WHOLE_LABEL = /^[A-Z][A-Z0-9_]{1,31}$/;

export function keyPrefix(attribute: string, value: string): KeyPrefix | undefined {
  const labelled = LABEL.exec(value);
  if (labelled !== null) return { attribute, prefix: labelled[1]! + labelled[2]!, whole: false };
  return WHOLE_LABEL.test(value) ? { attribute, prefix: value, whole: true } : undefined;
}

/** The label alone: `USER` of `USER#`. */
export function prefixLabel(prefix: KeyPrefix): string {
  return prefix.whole ? prefix.prefix : prefix.prefix.slice(0, -1);
}

export function itemTypeOf(item: Item, keys: KeySchema): ItemType {
  const partitionValue = item[keys.partitionKey]?.S;
  const sortValue = keys.sortKey === undefined ? undefined : item[keys.sortKey]?.S;
  const partition = partitionValue === undefined ? undefined : keyPrefix(keys.partitionKey, partitionValue);
  const sort = sortValue === undefined || keys.sortKey === undefined ? undefined : keyPrefix(keys.sortKey, sortValue);
  const named = sort ?? partition;
  const name = named === undefined ? '' : prefixLabel(named);
  return { name, ...(partition !== undefined ? { partition } : {}), ...(sort !== undefined ? { sort } : {}) };
}
