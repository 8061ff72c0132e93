/**
 * The transformation plan of one table: which transformer each leaf of an
 * item goes through. Built once per table (value functions instantiated
 * once), then applied to every item.
 *
 * Per leaf, in order:
 * 1. a primary-key attribute passes through, unless a mapping names it
 *    literally (`id: ...`; a wildcard `*` does not count);
 * 2. else the most specific mapping that covers the leaf applies (longest
 *    pattern; then more literal segments; then the one written first);
 * 3. else the default for the leaf's type applies;
 * 4. else the leaf passes through.
 * A leaf inside a mapped container gets the container's transformer, so
 * `info.actors` and `info.actors[*]` do the same thing.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { attributeType, flattenItem, unflattenItem, type AttributeType, type FlatEntry, type Item } from '../src/dynamo/item-codec.ts';
import type { TransformerRef } from '../src/job/job.ts';
import { DROP, type Drop, type TransformerContext, type ValueFunction } from './definition.ts';
import { formatPath, parsePathPattern, patternCovers, type Path, type PathPattern } from './path.ts';
import type { TransformerRegistry } from './registry.ts';

export interface PlanInput {
  /** Path pattern text -> transformer (already validated by the job loader). */
  transformers: Record<string, TransformerRef>;
  /** By leaf type, for leaves no mapping covers. */
  defaults: Partial<Record<AttributeType, TransformerRef>>;
  /** The table's hash and range key attribute names. */
  keyAttributes: readonly string[];
  salt: string;
}

export interface TransformPlan {
  transformItem(item: Item): Item;
}

/**
 * A leaf's type is not one the transformer accepts. The message names the
 * path and the types, never the value.
 */
export class TransformTypeError extends Error {
  override name = 'TransformTypeError';
  /** The leaf's path, formatted (`info.rating`). */
  readonly path: string;
  readonly transformer: string;
  readonly accepts: readonly AttributeType[];
  readonly got: AttributeType;

  constructor(path: Path, transformer: string, accepts: readonly AttributeType[], got: AttributeType) {
    const where = formatPath(path);
    super(`${where}: transformer "${transformer}" accepts ${accepts.join(', ')}; got ${got}`);
    this.path = where;
    this.transformer = transformer;
    this.accepts = accepts;
    this.got = got;
  }
}

/** One instantiated transformer with what the plan needs to know about it. */
interface Step {
  readonly name: string;
  /** undefined: accepts any type. */
  readonly accepts: readonly AttributeType[] | undefined;
  readonly fn: ValueFunction;
}

interface Rule {
  readonly pattern: PathPattern;
  readonly step: Step;
  readonly literals: number;
  readonly order: number;
}

export function buildPlan(input: PlanInput, registry: TransformerRegistry): TransformPlan {
  const context: TransformerContext = { salt: input.salt };
  const keyAttributes = new Set(input.keyAttributes);

  const makeStep = (ref: TransformerRef): Step => {
    const fn = registry.instantiate(ref, context); // throws on unknown names and bad options
    const { accepts } = registry.get(ref.type)!;
    return { name: ref.type, accepts: accepts === 'any' ? undefined : accepts, fn };
  };

  const rules: Rule[] = Object.entries(input.transformers)
    .map(([source, ref], order) => {
      const pattern = parsePathPattern(source);
      const literals = pattern.segments.filter((s) => s.kind === 'key' || s.kind === 'index').length;
      return { pattern, step: makeStep(ref), literals, order };
    })
    .sort((x, y) => y.pattern.segments.length - x.pattern.segments.length || y.literals - x.literals || x.order - y.order);

  // Key attributes a mapping names literally; only these may be transformed.
  const mappedKeys = new Set<string>();
  for (const { pattern, step } of rules) {
    const [only, ...rest] = pattern.segments;
    if (only?.kind !== 'key' || rest.length > 0 || !keyAttributes.has(only.name)) continue;
    if (registry.get(step.name)?.produces === 'none') {
      throw new Error(`${pattern.source}: key attribute cannot be mapped to transformer "${step.name}", which drops it`);
    }
    mappedKeys.add(only.name);
  }

  const defaults = new Map<AttributeType, Step>();
  for (const [type, ref] of Object.entries(input.defaults) as [AttributeType, TransformerRef | undefined][]) {
    if (ref === undefined) continue;
    const step = makeStep(ref);
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

  const stepFor = (entry: FlatEntry, top: string): Step | undefined => {
    for (const rule of rulesFor(top)) {
      if (patternCovers(rule.pattern, entry.path)) return rule.step;
    }
    return defaults.get(attributeType(entry.value));
  };

  return {
    transformItem(item: Item): Item {
      const out: FlatEntry[] = [];
      for (const entry of flattenItem(item)) {
        const top = entry.path[0] as string;
        const isKey = keyAttributes.has(top);
        const step = isKey && !mappedKeys.has(top) ? undefined : stepFor(entry, top);
        if (step === undefined) {
          out.push(entry);
          continue;
        }
        const value = apply(step, entry);
        if (value === DROP) {
          if (isKey) throw new Error(`${formatPath(entry.path)}: transformer "${step.name}" dropped a key attribute`);
          continue;
        }
        out.push(value === entry.value ? entry : { path: entry.path, value });
      }
      return unflattenItem(out);
    },
  };
}

function apply(step: Step, { path, value }: FlatEntry): AttributeValue | Drop {
  if (step.accepts !== undefined) {
    const type = attributeType(value);
    if (!step.accepts.includes(type)) {
      // An empty map or list is a leaf only so that it survives the round
      // trip; it holds no value, so a transformer of values leaves it be.
      if (type === 'M' || type === 'L') return value;
      throw new TransformTypeError(path, step.name, step.accepts, type);
    }
  }
  return step.fn(value, path);
}
