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
 *
 * JavaScript mappings (`js`, `jsGenerate`) take any type, so on a container
 * they receive it whole. They run in a sandbox (transformers/js/), which a
 * page crosses into once: `transformPage` walks every item first, leaving a
 * placeholder wherever a script's result goes, then runs all scripts of the
 * page in one request and fills the placeholders. A generator mapped on a
 * path of attribute names (`Profile.FullName`) also adds the attribute to
 * items that lack it, when the map that would hold it is there.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { attributeType, setOwn, type AttributeType, type Item } from '../model/item.ts';
import type { SandboxLimits, TransformerRef } from '../model/job.ts';
import { DROP, type Drop, type TransformerContext, type ValueFunction } from './definition.ts';
import { DEFAULT_SANDBOX_LIMITS, PlanScripts, type ScriptPage } from './js/plan-scripts.ts';
import type { SandboxPool } from './js/sandbox-pool.ts';
import { isScriptRef } from './js/script-ref.ts';
import { ScriptSyntaxError } from './js/script-source.ts';
import { formatPath, formatPathForMessage, literalNames, parsePathPattern, patternMatches, patternReachesBelow, type Path, type PathPattern, type PathSegment } from '../model/path.ts';
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
  /** Limits of the JavaScript sandbox; default 64 MB and 100 ms. */
  sandbox?: SandboxLimits;
  /** When false, script errors may show the item's key values; default true. */
  keysAreSensitive?: boolean;
}

/** What a plan with JavaScript mappings runs them with; not part of what the plan computes. */
export interface PlanRuntime {
  /** Default: the process-wide pool (one sandbox process per worker). */
  sandboxes?: SandboxPool;
  /** Show every message a script throws, even one that may hold values (`dynamask preview`). */
  revealScriptMessages?: boolean;
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
  /** Whether any mapping or default is JavaScript (then only transformPage can run the plan). */
  readonly usesJavaScript: boolean;
  /**
   * Transforms one item; `counts` collects what the run report shows.
   * Throws on a plan with JavaScript mappings: use transformPage.
   */
  transformItem(item: Item, counts?: PlanCounts): Item;
  /** Transforms a page of items; JavaScript mappings cross into their sandbox once per page. */
  transformPage(items: readonly Item[], counts?: PlanCounts): Promise<Item[]>;
  /** Frees the plan's sandbox (if it has one) once no page is running in it. */
  dispose(): void;
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
  /** A JavaScript mapping: its script's index, whether it generates, and how messages name it. */
  readonly script?: { readonly index: number; readonly generates: boolean; readonly label: string };
}

/** What one walk of an item carries along. */
interface WalkContext {
  readonly counts: PlanCounts;
  /** Collects the values scripts compute; absent in transformItem, which refuses plans with scripts. */
  readonly page: ScriptPage | undefined;
  readonly pageItem: number;
  readonly item: Item;
  /** Nested map keys the job names; others may be data and never appear in messages. */
  readonly knownNames: ReadonlySet<string>;
}

interface Rule {
  readonly pattern: PathPattern;
  readonly step: Step;
  readonly literals: number;
  readonly order: number;
}

export function buildPlan(input: PlanInput, registry: TransformerRegistry, runtime: PlanRuntime = {}): TransformPlan {
  const context: TransformerContext = { salt: input.salt };
  const keyAttributes = new Set(input.keyAttributes);
  const knownNames = literalNames(Object.keys(input.transformers).map((source) => parsePathPattern(source)));
  const scripts = new PlanScripts({
    knownNames,
    salt: input.salt,
    keyAttributes: input.keyAttributes,
    limits: input.sandbox ?? DEFAULT_SANDBOX_LIMITS,
    keysAreSensitive: input.keysAreSensitive ?? true,
    revealMessages: runtime.revealScriptMessages ?? false,
    ...(runtime.sandboxes ? { pool: runtime.sandboxes } : {}),
  });

  /** `where` names the mapping in messages: `"info.actors[*]"` or `defaults.S`. */
  const makeStep = (ref: TransformerRef, where: string): Step => {
    if (isScriptRef(ref)) {
      let index: number;
      try {
        index = scripts.add(ref);
      } catch (error) {
        if (error instanceof ScriptSyntaxError) throw new ScriptSyntaxError(`${where}: ${error.message}`, error.line, error.column);
        throw error;
      }
      const label = `the ${ref.type} ${where.startsWith('defaults.') ? `default for ${where.slice('defaults.'.length)}` : `mapping of ${where}`}`;
      const fn: ValueFunction = () => {
        throw new Error(`${where}: JavaScript runs only in transformPage`);
      };
      return { name: ref.type, accepts: undefined, producesSame: false, fn, script: { index, generates: ref.type === 'jsGenerate', label } };
    }
    const fn = registry.instantiate(ref, context); // throws on unknown names and bad options
    const { accepts, produces } = registry.get(ref.type)!;
    return { name: ref.type, accepts: accepts === 'any' ? undefined : accepts, producesSame: produces === 'same', fn };
  };

  const rules: Rule[] = Object.entries(input.transformers)
    .map(([source, ref], order) => {
      const pattern = parsePathPattern(source);
      const literals = pattern.segments.filter((s) => s.kind === 'key' || s.kind === 'index').length;
      return { pattern, step: makeStep(ref, JSON.stringify(source)), literals, order };
    })
    .sort((x, y) => y.pattern.segments.length - x.pattern.segments.length || y.literals - x.literals || x.order - y.order);

  // Generators on paths of attribute names also add the attribute where it is missing.
  const creators = rules.filter(({ pattern, step }) => step.script?.generates && pattern.segments.every((segment) => segment.kind === 'key'));

  // Key attributes a mapping names literally; only these may be transformed.
  const mappedKeys = new Set<string>();
  for (const { pattern, step } of rules) {
    const [only, ...rest] = pattern.segments;
    if (only?.kind !== 'key' || rest.length > 0 || !keyAttributes.has(only.name)) continue;
    if (step.script === undefined && registry.get(step.name)?.produces === 'none') {
      throw new Error(`${pattern.source}: key attribute cannot be mapped to transformer "${step.name}", which drops it`);
    }
    mappedKeys.add(only.name);
  }

  const defaults = new Map<AttributeType, Step>();
  for (const [type, ref] of Object.entries(input.defaults) as [AttributeType, TransformerRef | undefined][]) {
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

  const walk = (path: PathSegment[], value: AttributeValue, inherited: Step | undefined, isKey: boolean, ctx: WalkContext): AttributeValue | Drop => {
    const step = isKey && !mappedKeys.has(path[0] as string) ? undefined : (ruleAt(path)?.step ?? inherited);
    const type = attributeType(value);
    if (type === 'M' || type === 'L') {
      // A mapping whose transformer takes containers (null, constant, drop…)
      // replaces the container whole, unless another mapping names something
      // inside it; a transformer of values reaches the values inside it.
      const takesContainer = step !== undefined && (step.accepts === undefined || step.accepts.includes(type));
      if (takesContainer && !mappedBelow(path)) return apply(step, path, value, type, onTypeMismatch, ctx);
      const empty = type === 'M' ? Object.keys(value.M!).length === 0 : value.L!.length === 0;
      if (empty) {
        if (step !== undefined) return apply(step, path, value, type, onTypeMismatch, ctx);
        return isKey ? value : applyDefault(path, value, type, ctx);
      }
      if (type === 'M') {
        const entries = Object.entries(value.M!);
        const M: Item = {};
        for (const [key, child] of entries) {
          const out = walk([...path, key], child, step, false, ctx);
          if (out !== DROP) setOwn(M, key, out);
        }
        return Object.keys(M).length === 0 ? DROP : { M };
      }
      const L: AttributeValue[] = [];
      value.L!.forEach((child, index) => {
        const out = walk([...path, index], child, step, false, ctx);
        if (out !== DROP) L.push(out);
      });
      return L.length === 0 ? DROP : { L };
    }
    if (step !== undefined) return apply(step, path, value, type, onTypeMismatch, ctx);
    return isKey ? value : applyDefault(path, value, type, ctx);
  };

  const applyDefault = (path: Path, value: AttributeValue, type: AttributeType, ctx: WalkContext): AttributeValue | Drop => {
    const fallback = defaults.get(type);
    ctx.counts.unmapped?.set(anyIndexPath(path), { type, default: fallback?.name });
    return fallback === undefined ? value : apply(fallback, path, value, type, onTypeMismatch, ctx);
  };

  const transform = (item: Item, ctx: WalkContext): Item => {
    const out: Item = {};
    for (const [name, value] of Object.entries(item)) {
      const isKey = keyAttributes.has(name);
      const result = walk([name], value, undefined, isKey, ctx);
      if (result === DROP) {
        if (isKey) throw new Error(`${formatPath([name])}: a transformer dropped a key attribute`);
        continue;
      }
      setOwn(out, name, result);
    }
    for (const { pattern, step } of creators) addGenerated(out, pattern, step, ctx);
    return out;
  };

  /** A generator's attribute that the item lacks goes into the map that would hold it, if that map is there. */
  const addGenerated = (out: Item, pattern: PathPattern, step: Step, ctx: WalkContext): void => {
    const names = pattern.segments.map((segment) => (segment as { name: string }).name);
    let source: Item | undefined = ctx.item;
    let target: Item | undefined = out;
    for (const name of names.slice(0, -1)) {
      source = Object.hasOwn(source, name) ? source[name]!.M : undefined;
      target = target !== undefined && Object.hasOwn(target, name) ? target[name]!.M : undefined;
      if (source === undefined || target === undefined) return;
    }
    const last = names.at(-1)!;
    if (Object.hasOwn(source, last)) return;
    setOwn(target!, last, ctx.page!.defer(step.script!.index, step.script!.label, ctx.pageItem, ctx.item, names, undefined));
  };

  const plan: TransformPlan = {
    usesJavaScript: scripts.size > 0,
    async transformPage(items: readonly Item[], counts: PlanCounts = { typeMismatches: 0 }): Promise<Item[]> {
      if (scripts.size === 0) return items.map((item, pageItem) => transform(item, { counts, page: undefined, pageItem, item, knownNames }));
      const page = scripts.page();
      const outs = items.map((item, pageItem) => transform(item, { counts, page, pageItem, item, knownNames }));
      await page.run();
      for (const index of page.itemsWithDrops) outs[index] = pruneDropped(outs[index]!, page, keyAttributes);
      return outs;
    },
    transformItem(item: Item, counts: PlanCounts = { typeMismatches: 0 }): Item {
      if (scripts.size > 0) throw new Error('this plan has JavaScript mappings (js, jsGenerate), which run a page at a time: call transformPage, not transformItem');
      return transform(item, { counts, page: undefined, pageItem: 0, item, knownNames });
    },
    dispose() {
      scripts.dispose();
    },
  };
  return plan;
}

/**
 * Removes what scripts dropped, as the walk does for built-ins: a list
 * closes the gap, and a map or list left empty by it goes too.
 */
function pruneDropped(item: Item, page: ScriptPage, keyAttributes: ReadonlySet<string>): Item {
  const prune = (value: AttributeValue): AttributeValue | Drop => {
    if (page.isDropped(value)) return DROP;
    // Containers here were built by the walk for this output, so they are changed in place.
    if (value.M !== undefined) {
      let removed = false;
      for (const key of Object.keys(value.M)) {
        if (prune(value.M[key]!) === DROP) {
          delete value.M[key];
          removed = true;
        }
      }
      return removed && Object.keys(value.M).length === 0 ? DROP : value;
    }
    if (value.L !== undefined) {
      const kept = value.L.filter((element) => prune(element) !== DROP);
      if (kept.length === value.L.length) return value;
      if (kept.length === 0) return DROP;
      value.L = kept;
      return value;
    }
    return value;
  };
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) {
    const result = prune(value);
    if (result === DROP) {
      if (keyAttributes.has(name)) throw new Error(`${formatPath([name])}: a script dropped a key attribute`);
      continue;
    }
    setOwn(out, name, result);
  }
  return out;
}

/** Transformers name the full path in their errors; a map key in it may be data, so it is masked on the way out. */
function withSafePath(error: unknown, path: Path, knownNames: ReadonlySet<string>): unknown {
  if (!(error instanceof Error)) return error;
  const raw = formatPath(path);
  const safe = formatPathForMessage(path, knownNames);
  if (raw !== safe) {
    error.message = error.message.split(raw).join(safe);
    if (error instanceof TransformTypeError) (error as { path: string }).path = safe;
  }
  return error;
}

/** `info.actors[3]` -> `info.actors[*]`: one row per attribute, not per list element. */
function anyIndexPath(path: Path): string {
  return path.map((segment, i) => (typeof segment === 'number' ? '[*]' : `${i === 0 ? '' : '.'}${formatPath([segment])}`)).join('');
}

const SET_TYPES: ReadonlySet<AttributeType> = new Set(['SS', 'NS', 'BS']);

function apply(step: Step, path: Path, value: AttributeValue, type: AttributeType, onTypeMismatch: TypeMismatchPolicy, ctx: WalkContext): AttributeValue | Drop {
  if (step.script !== undefined) {
    const { index, generates, label } = step.script;
    return ctx.page!.defer(index, label, ctx.pageItem, ctx.item, path, generates ? undefined : value);
  }
  const counts = ctx.counts;
  if (step.accepts !== undefined && !step.accepts.includes(type)) {
    // An empty map or list holds no value; a transformer of values leaves it be.
    if ((type === 'M' || type === 'L') && (value.M ? Object.keys(value.M).length === 0 : value.L!.length === 0)) return value;
    counts.typeMismatches++;
    if (onTypeMismatch === 'passthrough') return value;
    if (onTypeMismatch === 'null') return { NULL: true };
    throw withSafePath(new TransformTypeError(path, step.name, step.accepts, type), path, ctx.knownNames);
  }
  // An empty string holds nothing to anonymize: value-derived fakes keep it empty.
  if (value.S === '' && step.producesSame) return value;
  let out: AttributeValue | Drop;
  try {
    out = step.fn(value, path);
  } catch (error) {
    throw withSafePath(error, path, ctx.knownNames);
  }
  // DynamoDB refuses empty sets; a set that loses every element is dropped.
  if (out !== DROP && SET_TYPES.has(attributeType(out)) && (out.SS ?? out.NS ?? out.BS)!.length === 0) return DROP;
  return out;
}
