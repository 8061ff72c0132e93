/**
 * The transformation plan of one table: which transformer each value of an
 * item goes through. Built once per table (value functions instantiated
 * once), then applied to every item by walking it.
 *
 * At each path, in order:
 * 1. a primary-key attribute passes through, unless a mapping names it
 *    literally (`id: ...`; a wildcard `*` does not count);
 * 2. else the most specific mapping that names the path applies (longest
 *    pattern; then more literal segments; then the one written first), or
 *    the mapping of the nearest mapped container above it;
 * 3. else the default for the value's type applies;
 * 4. else the value passes through.
 * A map or list is replaced whole by a mapping whose transformer takes
 * containers (null, constant, drop), unless another mapping names something
 * inside it; a transformer of values (fullName…) reaches every value inside,
 * so `info.actors` and `info.actors[*]` do the same thing.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { attributeType, type AttributeType, type Item } from '../src/dynamo/item-codec.ts';
import type { TransformerRef } from '../src/job/job.ts';
import { DROP, type Drop, type TransformerContext, type ValueFunction } from './definition.ts';
import { formatPath, parsePathPattern, patternMatches, patternReachesBelow, type Path, type PathPattern, type PathSegment } from './path.ts';
import type { TransformerRegistry } from './registry.ts';

export interface PlanInput {
  /** Path pattern text -> transformer (already validated by the job loader). */
  transformers: Record<string, TransformerRef>;
  /** By leaf type, for leaves no mapping covers. */
  defaults: Partial<Record<AttributeType, TransformerRef>>;
  /** The table's hash and range key attribute names. */
  keyAttributes: readonly string[];
  salt: string;
  /** What a value of a type its transformer does not take becomes; default 'error'. */
  onTypeMismatch?: TypeMismatchPolicy;
}

export type TypeMismatchPolicy = 'error' | 'passthrough' | 'null';
export const TYPE_MISMATCH_POLICIES: readonly TypeMismatchPolicy[] = ['error', 'passthrough', 'null'];

/** Tallies of one batch of items, for the run report. */
export interface PlanCounts {
  typeMismatches: number;
  /**
   * When present, collects the values no mapping names, by path with list
   * indexes as [*]: their type and the default that handled them, if any.
   */
  unmapped?: Map<string, { type: AttributeType; default: string | undefined }>;
}

export interface TransformPlan {
  /** Transforms one item; `counts` collects what the run report shows. */
  transformItem(item: Item, counts?: PlanCounts): Item;
  /** Transforms a page of items; JavaScript mappings cross into their sandbox once per page. */
  transformPage(items: readonly Item[], counts?: PlanCounts): Promise<Item[]>;
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
  /** Output derived from the input, of its type (fakes), rather than fixed. */
  readonly producesSame: boolean;
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
    const { accepts, produces } = registry.get(ref.type)!;
    return { name: ref.type, accepts: accepts === 'any' ? undefined : accepts, producesSame: produces === 'same', fn };
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

  /** The most specific mapping that names exactly this path (rules are sorted most specific first). */
  const ruleAt = (path: Path): Rule | undefined => {
    for (const rule of rulesFor(path[0] as string)) {
      if (patternMatches(rule.pattern, path)) return rule;
    }
    return undefined;
  };

  /** Whether a mapping names something inside this path, so the container must be opened rather than replaced. */
  const mappedBelow = (path: Path): boolean => rulesFor(path[0] as string).some((rule) => patternReachesBelow(rule.pattern, path));

  const onTypeMismatch = input.onTypeMismatch ?? 'error';

  const walk = (path: PathSegment[], value: AttributeValue, inherited: Step | undefined, isKey: boolean, counts: PlanCounts): AttributeValue | Drop => {
    const step = isKey && !mappedKeys.has(path[0] as string) ? undefined : (ruleAt(path)?.step ?? inherited);
    const type = attributeType(value);
    if (type === 'M' || type === 'L') {
      // A mapping whose transformer takes containers (null, constant, drop…)
      // replaces the container whole, unless another mapping names something
      // inside it; a transformer of values reaches the values inside it.
      const takesContainer = step !== undefined && (step.accepts === undefined || step.accepts.includes(type));
      if (takesContainer && !mappedBelow(path)) return apply(step, path, value, type, onTypeMismatch, counts);
      const empty = type === 'M' ? Object.keys(value.M!).length === 0 : value.L!.length === 0;
      if (empty) {
        if (step !== undefined) return apply(step, path, value, type, onTypeMismatch, counts);
        return isKey ? value : applyDefault(path, value, type, counts);
      }
      if (type === 'M') {
        const entries = Object.entries(value.M!);
        const M: Item = {};
        for (const [key, child] of entries) {
          const out = walk([...path, key], child, step, false, counts);
          if (out !== DROP) setOwn(M, key, out);
        }
        return Object.keys(M).length === 0 ? DROP : { M };
      }
      const L: AttributeValue[] = [];
      value.L!.forEach((child, index) => {
        const out = walk([...path, index], child, step, false, counts);
        if (out !== DROP) L.push(out);
      });
      return L.length === 0 ? DROP : { L };
    }
    if (step !== undefined) return apply(step, path, value, type, onTypeMismatch, counts);
    return isKey ? value : applyDefault(path, value, type, counts);
  };

  const applyDefault = (path: Path, value: AttributeValue, type: AttributeType, counts: PlanCounts): AttributeValue | Drop => {
    const fallback = defaults.get(type);
    counts.unmapped?.set(anyIndexPath(path), { type, default: fallback?.name });
    return fallback === undefined ? value : apply(fallback, path, value, type, onTypeMismatch, counts);
  };

  const plan: TransformPlan = {
    async transformPage(items: readonly Item[], counts: PlanCounts = { typeMismatches: 0 }): Promise<Item[]> {
      return items.map((item) => plan.transformItem(item, counts));
    },
    transformItem(item: Item, counts: PlanCounts = { typeMismatches: 0 }): Item {
      const out: Item = {};
      for (const [name, value] of Object.entries(item)) {
        const isKey = keyAttributes.has(name);
        const result = walk([name], value, undefined, isKey, counts);
        if (result === DROP) {
          if (isKey) throw new Error(`${formatPath([name])}: a transformer dropped a key attribute`);
          continue;
        }
        setOwn(out, name, result);
      }
      return out;
    },
  };
  return plan;
}

/** `__proto__` is a legal attribute name; plain assignment would set the prototype instead. */
function setOwn(target: Item, key: string, value: AttributeValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `info.actors[3]` -> `info.actors[*]`: one row per attribute, not per list element. */
function anyIndexPath(path: Path): string {
  return path.map((segment, i) => (typeof segment === 'number' ? '[*]' : `${i === 0 ? '' : '.'}${formatPath([segment])}`)).join('');
}

const SET_TYPES: ReadonlySet<AttributeType> = new Set(['SS', 'NS', 'BS']);

function apply(step: Step, path: Path, value: AttributeValue, type: AttributeType, onTypeMismatch: TypeMismatchPolicy, counts: PlanCounts): AttributeValue | Drop {
  if (step.accepts !== undefined && !step.accepts.includes(type)) {
    // An empty map or list holds no value; a transformer of values leaves it be.
    if ((type === 'M' || type === 'L') && (value.M ? Object.keys(value.M).length === 0 : value.L!.length === 0)) return value;
    counts.typeMismatches++;
    if (onTypeMismatch === 'passthrough') return value;
    if (onTypeMismatch === 'null') return { NULL: true };
    throw new TransformTypeError(path, step.name, step.accepts, type);
  }
  // An empty string holds nothing to anonymize: value-derived fakes keep it empty.
  if (value.S === '' && step.producesSame) return value;
  const out = step.fn(value, path);
  // DynamoDB refuses empty sets; a set that loses every element is dropped.
  if (out !== DROP && SET_TYPES.has(attributeType(out)) && (out.SS ?? out.NS ?? out.BS)!.length === 0) return DROP;
  return out;
}
