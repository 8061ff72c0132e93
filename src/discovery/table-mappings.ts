/**
 * What `init` writes for one table, as data: a mapping for every path of the
 * sample that holds values, grouped by the item types that hold it, each
 * with the comment that says why. A flagged path gets the recognizer's
 * transformer; every other path is written as `passthrough`, so that nothing
 * is left to a default; key attributes (of the table and of its indexes)
 * are written by keyMapping.
 *
 * Paths that only ever held maps or lists get no mapping of their own:
 * their contents do. A mapping on a container would also cover whatever it
 * comes to hold, and hide a new attribute inside it from `--update`.
 */
import type { AttributeType } from '../../model/item.ts';
import type { TransformerRef } from '../../model/job.ts';
import { formatPath } from '../../model/path.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { Verdict } from './detect.ts';
import type { Discovery, ItemTypeDiscovery } from './discover.ts';
import type { KeyPrefix } from './item-types.ts';
import type { KeyRole, TableKeyRoles } from './key-roles.ts';
import { flaggedComment, matchText, passthroughComment, percent, presenceText, typesText } from './path-notes.ts';
import { formatPattern, type DiscoveredPath, type PathStats } from './path-tree.ts';

/** Where the README explains keys of single-table designs; key comments point there. */
export const KEYS_README_SECTION = 'README "Single-table designs"';

export type EntryKind = 'flagged' | 'passthrough' | 'key';

export interface MappingEntry {
  readonly path: string;
  readonly transformer: TransformerRef;
  readonly comment: string;
  readonly kind: EntryKind;
}

export interface MappingGroup {
  /** Comment lines above the group's first mapping; none for a table without item types. */
  readonly header: readonly string[];
  readonly entries: readonly MappingEntry[];
}

export interface TypeMismatch {
  readonly path: string;
  readonly transformer: string;
  readonly types: readonly AttributeType[];
}

export interface TableMappings {
  readonly groups: readonly MappingGroup[];
  /** Flagged paths that also hold types their transformer does not take. */
  readonly mismatches: readonly TypeMismatch[];
  /** Paths that only ever held empty maps or lists: nothing to map yet. */
  readonly emptyContainers: readonly string[];
}

export interface MappingInput {
  readonly keys: TableKeyRoles;
  readonly discovery: Discovery;
  readonly verdicts: readonly Verdict[];
}

export interface MappingOptions {
  /** Only these paths (drift: the ones the job does not name); key attributes are paths by their names. */
  readonly include?: (path: string) => boolean;
}

const PASSTHROUGH: TransformerRef = { type: 'passthrough', options: {} };
const CONTAINERS: readonly AttributeType[] = ['M', 'L'];

/**
 * A path a mapping is written for: it held a value other than a map or a
 * list at least once. A map that is sometimes NULL (an optional address)
 * is still a container: a passthrough on it would cover its contents.
 */
export function holdsValues(stats: Pick<PathStats, 'types'>): boolean {
  const types = (Object.keys(stats.types) as AttributeType[]).filter((type) => (stats.types[type] ?? 0) > 0);
  const values = types.filter((type) => !CONTAINERS.includes(type));
  if (values.length === 0) return false;
  return !(values.length === 1 && values[0] === 'NULL' && values.length < types.length);
}

export function tableMappings(input: MappingInput, registry: TransformerRegistry, options: MappingOptions = {}): TableMappings {
  const include = options.include ?? (() => true);
  const { discovery } = input;
  const verdicts = new Map(input.verdicts.map((verdict) => [verdict.path, verdict]));
  const byPath = new Map(discovery.paths.map((path) => [path.stats.path, path]));
  const keyNames = new Set(input.keys.keys.map((key) => formatPath([key.name])));

  const keyEntries = input.keys.keys
    .filter((key) => include(formatPath([key.name])))
    .map((key) => {
      const path = formatPath([key.name]);
      return keyMapping(key, { stats: byPath.get(path)?.stats, verdict: verdicts.get(path), prefixes: prefixesOf(key.name, discovery.itemTypes) });
    });
  const mismatches: TypeMismatch[] = [];
  const entryOf = (path: DiscoveredPath): MappingEntry => {
    const verdict = verdicts.get(path.stats.path);
    if (verdict?.flagged !== true || verdict.suggests === undefined) return { path: path.stats.path, transformer: PASSTHROUGH, comment: passthroughComment(path.stats, verdict), kind: 'passthrough' };
    const transformer: TransformerRef = { type: verdict.suggests.type, options: { ...verdict.suggests.options } };
    const accepts = registry.get(transformer.type)?.accepts;
    const refused = (Object.keys(path.stats.types) as AttributeType[]).filter((type) => !CONTAINERS.includes(type) && accepts !== undefined && accepts !== 'any' && !accepts.includes(type));
    if (refused.length > 0) mismatches.push({ path: path.stats.path, transformer: transformer.type, types: refused });
    return { path: path.stats.path, transformer, comment: flaggedComment(path.stats, verdict), kind: 'flagged' };
  };

  const valuePaths = discovery.paths.filter((path) => !keyNames.has(path.stats.path) && holdsValues(path.stats) && include(path.stats.path));
  const parents = new Set(discovery.paths.filter((path) => path.segments.length > 1).map((path) => formatPattern(path.segments.slice(0, -1))));
  const emptyContainers = discovery.paths
    .filter((path) => !holdsValues(path.stats) && !parents.has(path.stats.path))
    .map((path) => path.stats.path)
    .filter(include);
  const groups: MappingGroup[] = [];
  if (keyEntries.length > 0) groups.push({ header: [], entries: keyEntries });
  for (const group of groupByItemType(valuePaths, discovery)) groups.push({ header: group.header, entries: group.paths.map(entryOf) });
  return { groups: groups.filter((group) => group.entries.length > 0), mismatches, emptyContainers };
}

export interface KeyContext {
  readonly stats: PathStats | undefined;
  readonly verdict: Verdict | undefined;
  /** The prefixes its values carry (`USER#`, `PROFILE`), where the item types saw some. */
  readonly prefixes: readonly KeyPrefix[];
}

/**
 * The mapping of a key attribute: passed through for now, since a key
 * transformed value by value would break the joins its prefixes and
 * references make. When templates and permuteId are in the registry, a key
 * whose values carry a prefix (`context.prefixes`: `USER#`) is where to write
 * `{ type: template, template: "USER#{id}", parts: { id: permuteId } }`
 * instead: this function is the one place that decides.
 */
export function keyMapping(key: KeyRole, context: KeyContext): MappingEntry {
  const values = context.prefixes.length > 0 ? ` (values ${context.prefixes.map((prefix) => (prefix.whole ? prefix.prefix : `${prefix.prefix}…`)).join(', ')})` : '';
  const what = context.stats === undefined ? 'not in the sample' : `${typesText(context.stats)}, ${presenceText(context.stats)}`;
  const flagged = context.verdict?.flagged === true ? `; its values look like ${matchText(context.verdict.matches[0]!, context.verdict.sampled)}` : '';
  return {
    path: formatPath([key.name]),
    transformer: PASSTHROUGH,
    comment: `key: ${key.roles.join(', ')}${values}, passed through (see ${KEYS_README_SECTION}) | ${what}${flagged}`,
    kind: 'key',
  };
}

function prefixesOf(attribute: string, types: readonly ItemTypeDiscovery[]): KeyPrefix[] {
  const seen = new Map<string, KeyPrefix>();
  for (const type of types) {
    for (const prefix of [type.partition, type.sort]) if (prefix?.attribute === attribute) seen.set(prefix.prefix, prefix);
  }
  return [...seen.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
}

/**
 * Paths grouped by the item types that hold them: those of every type first,
 * then each type's own, then those of several; one group without a header
 * when the table has no item types.
 */
function groupByItemType(paths: readonly DiscoveredPath[], discovery: Discovery): { header: string[]; paths: DiscoveredPath[] }[] {
  if (discovery.itemTypes.length === 0) return [{ header: [], paths: [...paths] }];
  const holders = new Map<string, string[]>();
  for (const type of discovery.itemTypes) for (const path of type.paths) if (holdsValues(path.stats)) holders.set(path.stats.path, [...(holders.get(path.stats.path) ?? []), type.name]);
  const all = discovery.itemTypes.map((type) => type.name);
  const groups = new Map<string, { header: string[]; paths: DiscoveredPath[]; order: number }>();
  for (const path of paths) {
    const names = holders.get(path.stats.path) ?? [];
    const id = names.join('\u0000');
    let group = groups.get(id);
    if (group === undefined) {
      const one = names.length === 1 ? discovery.itemTypes.find((type) => type.name === names[0]) : undefined;
      const header =
        all.length > 1 && names.length === all.length
          ? ['in every item type']
          : one !== undefined
            ? [itemTypeHeader(one)]
            : [`in item types ${names.map(typeLabel).join(', ')}`];
      const order = names.length === all.length ? 0 : one !== undefined ? 1 + all.indexOf(one.name) : 1 + all.length;
      group = { header, paths: [], order };
      groups.set(id, group);
    }
    group.paths.push(path);
  }
  return [...groups.values()].sort((a, b) => a.order - b.order);
}

function typeLabel(name: string): string {
  return name === '' ? '(no key prefix)' : name;
}

export function itemTypeHeader(type: ItemTypeDiscovery): string {
  const keys = [type.partition, type.sort]
    .filter((prefix): prefix is KeyPrefix => prefix !== undefined)
    .map((prefix) => `${prefix.attribute} ${prefix.whole ? prefix.prefix : `${prefix.prefix}…`}`);
  const label = type.name === '' ? 'items whose keys carry no prefix' : `item type ${type.name}`;
  return `${label}${keys.length > 0 ? ` (${keys.join(', ')})` : ''}: ${percent(type.share)} of the sample (${type.items} item${type.items === 1 ? '' : 's'})`;
}
