/**
 * Whether a table key goes through the same mapping for every item,
 * whichever rule set takes it. Each mapping set is checked on its own by
 * key-safety.ts, but two one-to-one mappings together are not one-to-one:
 * if the table passes `pk` through and a rule set maps it with permuteId
 * (or two rule sets use permuteId with different domains), a rule set's
 * output can equal another item's untouched (or differently mapped) key,
 * and the later put overwrites the earlier item. So when a key attribute
 * of the table (its hash or range key) is mapped differently by any two of
 * {the table's own mappings, for the items no rule set takes; each rule
 * set, its mappings merged with the table's}, the combination is `not
 * guaranteed` to keep keys distinct: refused unless the table allows key
 * collisions (or each differing rule set's mapping does, by its own
 * allowKeyCollisions), whose run then counts the merged items
 * (countMergedKeys).
 *
 * "The same mapping" is the same transformer with the same options (the
 * parsed TransformerRef, whatever order the options were written in);
 * passthrough is the same as no mapping. A table key takes only a mapping
 * that names it literally (as key-safety.ts and the plan apply them), and
 * never a default, so the defaults do not enter the comparison. A
 * conservative rule: two different mappings whose outputs cannot meet on
 * the items each rule set takes (disjoint templates, say) are refused too;
 * mapping the key the same way everywhere is the fix.
 */
import type { RuleSet, TransformerRef } from '../model/job.ts';
import { parsePathPattern, patternMatches } from '../model/path.ts';
import type { DocPath } from '../model/problems.ts';
import type { KeyAttribute, KeyMappingProblem } from './key-safety.ts';
import { isTemplateRef } from './templates/index.ts';

/** The mapping the plan applies to a table key in one mapping set: the first that names it literally and alone, or undefined (copied as it is). */
export function tableKeyMapping(transformers: Record<string, TransformerRef>, attribute: string): { source: string; ref: TransformerRef } | undefined {
  for (const [source, ref] of Object.entries(transformers)) {
    let pattern;
    try {
      pattern = parsePathPattern(source);
    } catch {
      continue; // the job loader reports bad patterns
    }
    if (pattern.segments.length === 1 && pattern.segments[0]!.kind === 'key' && patternMatches(pattern, [attribute])) return { source, ref };
  }
  return undefined;
}

/** One text per distinct mapping: the transformer and its options, keys sorted; passthrough and no mapping alike. */
export function mappingIdentity(ref: TransformerRef | undefined): string {
  if (ref === undefined || ref.type === 'passthrough') return 'passthrough';
  return stableJson({ type: ref.type, options: ref.options });
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export interface KeyMappingSets {
  /** The table's own mappings. */
  readonly transformers: Record<string, TransformerRef>;
  /** Each rule set's mappings merged with the table's (ruleSetMappings), as its items see them, with the rule set. */
  readonly rules: readonly { readonly rule: Pick<RuleSet, 'name' | 'transformers'>; readonly label: string; readonly merged: Record<string, TransformerRef> }[];
}

/** Where a mapping set maps a key attribute, for the problems' paths: the rule set's own mapping, or the table's. */
function placeOf(attribute: string, sets: KeyMappingSets, index: number | undefined): DocPath {
  if (index !== undefined) {
    const own = tableKeyMapping(sets.rules[index]!.rule.transformers, attribute);
    if (own !== undefined) return ['rules', index, 'transformers', own.source];
  }
  const table = tableKeyMapping(sets.transformers, attribute);
  return table !== undefined ? ['transformers', table.source] : ['transformers'];
}

function describe(ref: TransformerRef | undefined): string {
  if (mappingIdentity(ref) === 'passthrough') return 'passed through';
  if (isTemplateRef(ref!)) return `the template${ref.options.templates.length > 1 ? 's' : ''} ${ref.options.templates.map((t) => JSON.stringify(t)).join(', ')}`;
  const options = stableJson(ref!.options);
  return `transformer "${ref!.type}"${options === '{}' ? '' : ` ${options}`}`;
}

/**
 * The table keys that mapping sets map differently. With `allowed` (the
 * table allows key collisions) there is no problem, and `merges` says the
 * run must count the merged items. A key attribute whose mappings already
 * have a problem of their own (`known`) is left to that problem.
 */
export function keyMappingDisagreements(
  sets: KeyMappingSets,
  keys: readonly KeyAttribute[],
  allowed: boolean,
  known: readonly KeyMappingProblem[],
): { problems: KeyMappingProblem[]; merges: boolean } {
  const problems: KeyMappingProblem[] = [];
  let merges = false;
  if (sets.rules.length === 0) return { problems, merges };
  const sameFor = (a: DocPath, b: DocPath) => a.length === b.length && a.every((part, i) => part === b[i]);
  for (const key of keys.filter((k) => k.primary)) {
    const table = tableKeyMapping(sets.transformers, key.name)?.ref;
    const tableIdentity = mappingIdentity(table);
    const differing = sets.rules.flatMap((set, index) => {
      const ref = tableKeyMapping(set.merged, key.name)?.ref;
      return mappingIdentity(ref) === tableIdentity ? [] : [{ index, label: set.label, ref }];
    });
    // Any two mapping sets that disagree include one that disagrees with the table's: none, and all agree.
    if (differing.length === 0) continue;
    const places = [placeOf(key.name, sets, undefined), ...differing.map(({ index }) => placeOf(key.name, sets, index))];
    if (known.some(({ path }) => places.some((place) => sameFor(place, path)))) continue;
    // A rule set's own mapping that allows merges (allowKeyCollisions on its template) allows meeting the others too.
    if (allowed || differing.every(({ ref }) => ref?.allowKeyCollisions === true)) {
      merges = true;
      continue;
    }
    // Even when every rule set maps the key alike, the items no rule set takes (the table's own mapping) can meet theirs.
    const others = differing.map(({ label, ref }) => `${label} (${describe(ref)}${describe(ref) === describe(table) ? ', with other parts or options' : ''})`).join(', ');
    problems.push({
      path: places[1]!,
      message:
        `${key.name} is ${key.roles.join(' and ')}, mapped differently by ${others} and by the table's own mappings for items no rule set takes (${describe(table)}); ` +
        'each mapping keeps distinct values distinct, but together they do not (not guaranteed): an item of one could get the key of an item of another, so two source items could become one. ' +
        `Map ${key.name} the same way in every rule set and the table; or allow it with allowKeyCollisions: true on the table, and the run counts the items that merge`,
    });
  }
  return { problems, merges };
}

/**
 * Whether a rule set maps a table key otherwise than the table does: a
 * destination key then does not say which rule set gave it, so mode
 * replace cannot map it back through one set of mappings (only its
 * forward prune serves). One that maps it exactly as the table does is as
 * good as the table's.
 */
export function ruleSetsMapKeys(table: { readonly transformers: Record<string, TransformerRef>; readonly rules?: readonly Pick<RuleSet, 'transformers'>[] }, keyAttributes: readonly string[]): boolean {
  return (table.rules ?? []).some((rule) =>
    keyAttributes.some((attribute) => {
      const own = tableKeyMapping(rule.transformers, attribute);
      return own !== undefined && mappingIdentity(own.ref) !== mappingIdentity(tableKeyMapping(table.transformers, attribute)?.ref);
    }),
  );
}
