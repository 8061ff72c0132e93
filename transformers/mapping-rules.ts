/**
 * A table's mappings compiled into rules: each path pattern with the
 * transformer it names, in order of specificity; the key attributes a
 * mapping may transform; and the defaults by type. What the plan does with
 * them at each path is item-walk.ts.
 *
 * Specificity: the longest pattern first; then the one with more literal
 * segments (keys and indexes); then the one written first. A key attribute
 * may be transformed only by a mapping that names it literally and alone
 * (`id: ...`; a wildcard `*` does not count), and never dropped.
 *
 * A rule set's mappings are compiled merged with the table's, written
 * first (rule-sets.ts), so this one order decides between the two as well.
 */
import type { AttributeType } from '../model/item.ts';
import type { TransformerRef } from '../model/job.ts';
import { literalNames, parsePathPattern, patternMatches, patternReachesBelow, type Path, type PathPattern } from '../model/path.ts';
import type { ValueFunction } from './definition.ts';

/** One instantiated transformer with what the plan needs to know about it. */
export interface Step {
  readonly name: string;
  /** undefined: accepts any type. */
  readonly accepts: readonly AttributeType[] | undefined;
  /** Output derived from the input, of its type (fakes), rather than fixed. */
  readonly producesSame: boolean;
  /** Removes the value (a built-in that produces nothing): never allowed on a key attribute. */
  readonly drops: boolean;
  readonly fn: ValueFunction;
  /** A JavaScript mapping: its script's index, whether it generates, and how messages name it. */
  readonly script?: { readonly index: number; readonly generates: boolean; readonly label: string };
}

export interface Rule {
  readonly pattern: PathPattern;
  readonly step: Step;
  readonly literals: number;
  readonly order: number;
}

/** Builds the step of one mapping; `where` names it in messages: `"info.actors[*]"` or `defaults.S`. */
export type StepMaker = (ref: TransformerRef, where: string) => Step;

export interface Mappings {
  /** Path pattern text -> transformer. */
  readonly transformers: Record<string, TransformerRef>;
  /** By leaf type, for leaves no mapping covers. */
  readonly defaults: Partial<Record<AttributeType, TransformerRef>>;
  /** The table's hash and range key attribute names. */
  readonly keyAttributes: readonly string[];
}

export interface MappingRules {
  readonly keyAttributes: ReadonlySet<string>;
  /** Generators on paths of attribute names: they also add the attribute where it is missing. */
  readonly creators: readonly Rule[];
  /** Whether a mapping names this key attribute literally, so that it is transformed rather than passed through. */
  transformsKey(name: string): boolean;
  /** The most specific mapping that names exactly this path. */
  ruleAt(path: Path): Rule | undefined;
  /** Whether a mapping names something inside this path, so the container must be opened rather than replaced. */
  mappedBelow(path: Path): boolean;
  defaultFor(type: AttributeType): Step | undefined;
}

/** Nested map keys the mappings name: other keys in a path may be data, and never appear in messages. */
export function knownNamesOf(transformers: Record<string, TransformerRef>): ReadonlySet<string> {
  return literalNames(Object.keys(transformers).map((source) => parsePathPattern(source)));
}

/** Steps are made in the order the mappings are written, then the defaults: scripts are numbered in that order. */
export function compileMappingRules(mappings: Mappings, makeStep: StepMaker): MappingRules {
  const keyAttributes = new Set(mappings.keyAttributes);
  const rules: Rule[] = Object.entries(mappings.transformers)
    .map(([source, ref], order) => {
      const pattern = parsePathPattern(source);
      const literals = pattern.segments.filter((s) => s.kind === 'key' || s.kind === 'index').length;
      return { pattern, step: makeStep(ref, JSON.stringify(source)), literals, order };
    })
    .sort((x, y) => y.pattern.segments.length - x.pattern.segments.length || y.literals - x.literals || x.order - y.order);

  const creators = rules.filter(({ pattern, step }) => step.script?.generates && pattern.segments.every((segment) => segment.kind === 'key'));

  const mappedKeys = new Set<string>();
  for (const { pattern, step } of rules) {
    const [only, ...rest] = pattern.segments;
    if (only?.kind !== 'key' || rest.length > 0 || !keyAttributes.has(only.name)) continue;
    if (step.drops) throw new Error(`${pattern.source}: key attribute cannot be mapped to transformer "${step.name}", which drops it`);
    mappedKeys.add(only.name);
  }

  const defaults = new Map<AttributeType, Step>();
  for (const [type, ref] of Object.entries(mappings.defaults) as [AttributeType, TransformerRef | undefined][]) {
    if (ref === undefined) continue;
    const step = makeStep(ref, `defaults.${type}`);
    if (step.accepts !== undefined && !step.accepts.includes(type)) {
      throw new Error(`defaults.${type}: transformer "${step.name}" accepts ${step.accepts.join(', ')}; not ${type}`);
    }
    defaults.set(type, step);
  }

  // Rules whose first segment can match a top-level attribute, by name.
  // Items of one table share their attribute names, so this stays small; the
  // cap guards tables whose top-level names are themselves data.
  const rulesByTop = new Map<string, readonly Rule[]>();
  const rulesFor = (top: string): readonly Rule[] => {
    let found = rulesByTop.get(top);
    if (found === undefined) {
      found = rules.filter(({ pattern }) => {
        const first = pattern.segments[0];
        return first?.kind === 'anyKey' || (first?.kind === 'key' && first.name === top);
      });
      if (rulesByTop.size < 10_000) rulesByTop.set(top, found);
    }
    return found;
  };

  return {
    keyAttributes,
    creators,
    transformsKey: (name) => mappedKeys.has(name),
    ruleAt(path) {
      // Rules are sorted most specific first.
      for (const rule of rulesFor(path[0] as string)) {
        if (patternMatches(rule.pattern, path)) return rule;
      }
      return undefined;
    },
    mappedBelow: (path) => rulesFor(path[0] as string).some((rule) => patternReachesBelow(rule.pattern, path)),
    defaultFor: (type) => defaults.get(type),
  };
}
