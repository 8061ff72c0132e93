/**
 * Whether a table's mappings keep its keys safe: every key attribute (the
 * table's hash and range key, and the keys of its GSIs and LSIs) keeps its
 * type, and goes through a mapping that keeps distinct values distinct,
 * unless the job allows collisions. Two source items whose table keys meet
 * become one destination item; index keys that meet make a query of the
 * index find another item under one key.
 *
 * What reaches a key attribute is what the plan applies (mapping-rules.ts,
 * item-walk.ts): a table key only through a mapping that names it; an
 * index key also through a wildcard `*` mapping and, when none names it,
 * the default for its type. A template keeps values distinct when all its
 * parts do, and its `otherwise` is an error or passthrough (its templates
 * never overlap: the loader and the plan both refuse that).
 *
 * Pure: the caller (prepareTable, `validate --sample`, `preview`) brings the
 * key schema from DescribeTable. Problems carry a path inside the table's
 * entry of the job file, so each caller can point at the line.
 */
import type { AttributeType } from '../model/item.ts';
import type { TransformerRef } from '../model/job.ts';
import { parsePathPattern, patternMatches } from '../model/path.ts';
import type { DocPath } from '../model/problems.ts';
import type { Uniqueness } from './definition.ts';
import { isScriptRef } from './js/script-ref.ts';
import type { TransformerRegistry } from './registry.ts';
import { isTemplateRef, type TemplateRef } from './templates/index.ts';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
  /** Part of the table's primary key (else only of an index). */
  readonly primary: boolean;
  /** What it is a key of, for messages: `the table's hash key`, `the range key of index GSI1`. */
  readonly roles: readonly string[];
}

export interface KeyMappings {
  /** Path pattern as written -> transformer. */
  readonly transformers: Record<string, TransformerRef>;
  readonly defaults: Partial<Record<AttributeType, TransformerRef>>;
  readonly keys: readonly KeyAttribute[];
  /** The table allows every key mapping to merge keys. */
  readonly allowKeyCollisions: boolean;
  /** The table's onTypeMismatch: `passthrough` copies a key whose type its mapping does not take. */
  readonly onTypeMismatch?: 'error' | 'passthrough' | 'null';
  /**
   * Where `transformers` is written inside the table's entry; default
   * `["transformers"]`. A rule set's mappings pass their own place
   * (`["rules", 0, "transformers"]`), checked the same way
   * (checkTableKeyMappings in rule-sets.ts).
   */
  readonly at?: DocPath;
}

export interface KeyMappingProblem {
  /** Inside the table's entry of the job file: `["transformers", "pk"]`, or `["transformers"]` for a key no mapping names. */
  readonly path: DocPath;
  readonly message: string;
}

export interface KeyMappingCheck {
  readonly problems: readonly KeyMappingProblem[];
  /**
   * A table key goes through an allowed mapping that may merge keys: the
   * run must count the items that merge (and the writer may drop
   * duplicates of a page).
   */
  readonly countMerges: boolean;
}

const ORDER: Record<Uniqueness, number> = { preserved: 0, 'not guaranteed': 1, lossy: 2 };
const worst = (a: Uniqueness, b: Uniqueness): Uniqueness => (ORDER[a] >= ORDER[b] ? a : b);

/** Whether a mapping keeps distinct inputs distinct: templates from their parts, scripts never known to. */
export function mappingUniqueness(ref: TransformerRef, registry: TransformerRegistry): Uniqueness {
  if (isScriptRef(ref)) return 'not guaranteed';
  if (isTemplateRef(ref)) return templateUniqueness(ref, registry).uniqueness;
  return registry.uniqueness(ref);
}

/** A template's uniqueness and the parts (or `otherwise`) that decide it when it is not `preserved`. */
function templateUniqueness(ref: TemplateRef, registry: TransformerRegistry): { uniqueness: Uniqueness; culprits: string[] } {
  let uniqueness: Uniqueness = 'preserved';
  const culprits: string[] = [];
  for (const [name, part] of Object.entries(ref.options.parts)) {
    const own = mappingUniqueness(part, registry);
    if (own === 'preserved') continue;
    uniqueness = worst(uniqueness, own);
    culprits.push(`part {${name}} (transformer "${part.type}", ${own})`);
  }
  const { otherwise } = ref.options;
  if (otherwise !== 'error' && otherwise.type !== 'passthrough') {
    // Any output other than the value itself may match a template and meet a transformed value.
    const own = worst('not guaranteed', mappingUniqueness(otherwise, registry));
    uniqueness = worst(uniqueness, own);
    culprits.push(`otherwise (transformer "${otherwise.type}", ${own}: its output may match a template)`);
  }
  return { uniqueness, culprits };
}

export function checkKeyMappings(mappings: KeyMappings, registry: TransformerRegistry): KeyMappingCheck {
  const patterns = Object.entries(mappings.transformers).map(([source, ref]) => ({ source, ref, pattern: parsePathPattern(source) }));
  const problems: KeyMappingProblem[] = [];
  let countMerges = false;

  for (const key of mappings.keys) {
    const what = `${key.name} is ${key.roles.join(' and ')}`;
    // The mapping the plan applies to the top-level attribute: a literal name beats a wildcard; table keys take only literal names.
    const named = patterns.find(({ pattern }) => pattern.segments.length === 1 && pattern.segments[0]!.kind === 'key' && patternMatches(pattern, [key.name]));
    const wildcard = key.primary ? undefined : patterns.find(({ pattern }) => pattern.segments.length === 1 && patternMatches(pattern, [key.name]));
    const mapping = named ?? wildcard;
    const fallback = mapping === undefined && !key.primary ? mappings.defaults[key.type] : undefined;
    const ref = mapping?.ref ?? fallback;
    if (ref === undefined) continue; // copied as it is

    // An index key that a mapping removes takes its item out of the index: nothing can meet there.
    if (!key.primary && registry.get(ref.type)?.produces === 'none') continue;
    const at = mappings.at ?? ['transformers'];
    const path: DocPath = mapping !== undefined ? [...at, mapping.source] : at;
    const applies = mapping !== undefined ? (isTemplateRef(ref) ? 'its template mapping' : `its mapping (${describe(ref)})`) : `no mapping names it, so the default for ${key.type} (${describe(ref)}) applies, which`;
    const accepts = isTemplateRef(ref) || isScriptRef(ref) ? undefined : registry.get(ref.type)?.accepts;
    const mismatched = accepts !== undefined && accepts !== 'any' && !accepts.includes(key.type);
    if (mismatched && mappings.onTypeMismatch === 'passthrough') continue; // copied as it is
    const typeProblem = keyTypeProblem(ref, key, registry);
    if (typeProblem !== undefined) {
      problems.push({ path, message: `${what}, of type ${key.type}; ${mapping !== undefined ? typeProblem : `no mapping names it, and the default for ${key.type}: ${typeProblem}`}` });
      continue;
    }

    const { uniqueness, culprits } = isTemplateRef(ref) ? templateUniqueness(ref, registry) : { uniqueness: mappingUniqueness(ref, registry), culprits: [] };
    if (uniqueness === 'preserved') continue;
    const allowed = mappings.allowKeyCollisions || (mapping !== undefined && ref.allowKeyCollisions === true);
    if (allowed) {
      if (key.primary) countMerges = true;
      continue;
    }
    const through = culprits.length > 0 ? `, through ${culprits.join(' and ')}` : '';
    const consequence = key.primary ? 'two source items could become one' : 'a query of the index could find two items under one key';
    const allow = isTemplateRef(ref) && mapping !== undefined ? 'allowKeyCollisions: true (on the table, or on this template)' : 'allowKeyCollisions: true on the table';
    const counted = key.primary ? ', and the run counts the items that merge' : '';
    problems.push({
      path,
      message:
        `${what}; ${applies} does not keep distinct values distinct (${uniqueness}${through}), so ${consequence}. ` +
        `Map it with permuteId, hash, passthrough or a template of such parts; or allow it with ${allow}${counted}`,
    });
  }
  return { problems, countMerges };
}

function describe(ref: TransformerRef): string {
  if (isScriptRef(ref)) return `a ${ref.type} script`;
  return `transformer "${ref.type}"`;
}

/** Why a mapping cannot keep the key's type, or undefined when it does (or cannot be known before it runs: scripts, constant). */
function keyTypeProblem(ref: TransformerRef, key: KeyAttribute, registry: TransformerRegistry): string | undefined {
  if (isScriptRef(ref)) return undefined;
  if (isTemplateRef(ref)) return key.type === 'S' ? undefined : 'a template maps strings (S), and a key keeps its type';
  const definition = registry.get(ref.type);
  if (definition === undefined) return undefined;
  const { accepts, produces } = definition;
  if (accepts !== 'any' && !accepts.includes(key.type)) return `transformer "${ref.type}" does not take ${key.type} (it takes ${accepts.join(', ')}), and onTypeMismatch would fail or null every item`;
  if (produces === 'none') return `transformer "${ref.type}" removes the value, and an item cannot lose a key`;
  if (produces !== 'same' && produces !== 'any' && produces !== key.type) return `transformer "${ref.type}" gives ${produces}, and a key keeps its type`;
  return undefined;
}

/**
 * Whether a table's job lets its primary key mappings merge keys: the
 * table's allowKeyCollisions, or the flag on a mapping of a table key, the
 * table's own or a rule set's. The writer refuses a page whose keys meet
 * unless this says so.
 */
export function keyCollisionsAllowed(
  table: { readonly allowKeyCollisions?: boolean; readonly transformers: Record<string, TransformerRef>; readonly rules?: readonly { readonly transformers: Record<string, TransformerRef> }[] },
  keyAttributes: readonly string[],
): boolean {
  if (table.allowKeyCollisions === true) return true;
  return [table.transformers, ...(table.rules ?? []).map((rule) => rule.transformers)].some((transformers) =>
    Object.entries(transformers).some(([source, ref]) => {
      if (ref.allowKeyCollisions !== true) return false;
      const { segments } = parsePathPattern(source);
      return segments.length === 1 && segments[0]!.kind === 'key' && keyAttributes.includes(segments[0]!.name);
    }),
  );
}
