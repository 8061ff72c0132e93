/**
 * The walk of one item through a table's mapping rules (mapping-rules.ts):
 * which transformer each value goes through, and what comes out.
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
 * page crosses into once: the walk leaves a placeholder wherever a script's
 * result goes, and the plan runs all scripts of the page in one request and
 * fills the placeholders. A generator mapped on a path of attribute names
 * (`Profile.FullName`) also adds the attribute to items that lack it, when
 * the map that would hold it is there.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { attributeType, setOwn, type AttributeType, type Item } from '../model/item.ts';
import { formatPath, formatPathForMessage, type Path, type PathPattern, type PathSegment } from '../model/path.ts';
import { DROP, type Drop } from './definition.ts';
import { TemplateMismatchError, TransformTypeError, TransformValueError } from './errors.ts';
import type { ScriptPage } from './js/plan-scripts.ts';
import type { MappingRules, Step } from './mapping-rules.ts';
import type { PathCount } from '../model/counts.ts';
import type { PlanCounts, TypeMismatchPolicy } from './plan.ts';

/** What one walk of an item carries along. */
export interface WalkContext {
  readonly counts: PlanCounts;
  /** Collects the values scripts compute; absent for a plan without scripts. */
  readonly page: ScriptPage | undefined;
  readonly pageItem: number;
  readonly item: Item;
}

export interface WalkSettings {
  readonly onTypeMismatch: TypeMismatchPolicy;
  /** Nested map keys the job names; others may be data and never appear in messages. */
  readonly knownNames: ReadonlySet<string>;
}

/** The transformed copy of an item (with placeholders for script results, when the context has a page). */
export type ItemWalk = (item: Item, ctx: WalkContext) => Item;

export function createItemWalk(rules: MappingRules, { onTypeMismatch, knownNames }: WalkSettings): ItemWalk {
  const { keyAttributes } = rules;

  const walk = (path: PathSegment[], value: AttributeValue, inherited: Step | undefined, isKey: boolean, ctx: WalkContext): AttributeValue | Drop => {
    const step = isKey && !rules.transformsKey(path[0] as string) ? undefined : (rules.ruleAt(path)?.step ?? inherited);
    const type = attributeType(value);
    if (type === 'M' || type === 'L') {
      // A mapping whose transformer takes containers (null, constant, drop…)
      // replaces the container whole, unless another mapping names something
      // inside it; a transformer of values reaches the values inside it.
      const takesContainer = step !== undefined && (step.accepts === undefined || step.accepts.includes(type));
      if (takesContainer && !rules.mappedBelow(path)) return apply(step, path, value, type, ctx);
      const empty = type === 'M' ? Object.keys(value.M!).length === 0 : value.L!.length === 0;
      if (empty) {
        if (step !== undefined) return apply(step, path, value, type, ctx);
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
    if (step !== undefined) return apply(step, path, value, type, ctx);
    return isKey ? value : applyDefault(path, value, type, ctx);
  };

  const applyDefault = (path: Path, value: AttributeValue, type: AttributeType, ctx: WalkContext): AttributeValue | Drop => {
    const fallback = rules.defaultFor(type);
    ctx.counts.unmapped?.set(anyIndexPath(path), { type, default: fallback?.name });
    if (fallback !== undefined) return apply(fallback, path, value, type, ctx, true);
    // An empty map or list copied as it is holds no value to report.
    if (ctx.counts.paths !== undefined && type !== 'M' && type !== 'L') pathRow(ctx.counts.paths, path, undefined, true).values++;
    return value;
  };

  const apply = (step: Step, path: Path, value: AttributeValue, type: AttributeType, ctx: WalkContext, unnamed = false): AttributeValue | Drop => {
    const row = ctx.counts.paths === undefined ? undefined : pathRow(ctx.counts.paths, path, step.name, unnamed);
    if (row !== undefined && !(step.accepts !== undefined && !step.accepts.includes(type))) row.values++;
    if (step.script !== undefined) {
      const { index, generates, label } = step.script;
      return ctx.page!.defer(index, label, ctx.pageItem, ctx.item, path, generates ? undefined : value);
    }
    if (step.accepts !== undefined && !step.accepts.includes(type)) {
      // An empty map or list holds no value; a transformer of values leaves it be.
      if ((type === 'M' || type === 'L') && (value.M ? Object.keys(value.M).length === 0 : value.L!.length === 0)) return value;
      ctx.counts.typeMismatches++;
      if (row !== undefined) row.typeMismatches++;
      if (onTypeMismatch === 'passthrough') return value;
      if (onTypeMismatch === 'null') return { NULL: true };
      throw withSafePath(new TransformTypeError(path, step.name, step.accepts, type), path, knownNames);
    }
    // An empty string holds nothing to anonymize: value-derived fakes keep it empty.
    if (value.S === '' && step.producesSame) return value;
    let out: AttributeValue | Drop;
    try {
      out = step.fn(value, path);
    } catch (error) {
      throw withSafePath(error, path, knownNames);
    }
    // DynamoDB refuses empty sets; a set that loses every element is dropped.
    if (out !== DROP && SET_TYPES.has(attributeType(out)) && (out.SS ?? out.NS ?? out.BS)!.length === 0) return DROP;
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

  /**
   * The report's row of a path and transformer, made on first use; the path
   * as messages show it, since the row leaves the worker. Found through a
   * tree of path segments (list indexes one branch, unknown map keys one
   * branch), so a value costs map lookups, not a path string.
   */
  const trees = new WeakMap<Map<string, PathCount>, RowNode>();
  const pathRow = (rows: Map<string, PathCount>, path: Path, transformer: string | undefined, unnamed: boolean): PathCount => {
    let node: RowNode | undefined = trees.get(rows);
    if (node === undefined) trees.set(rows, (node = newRowNode()));
    for (const [i, segment] of path.entries()) {
      const branch = typeof segment === 'number' ? ANY_INDEX : i === 0 || knownNames.has(segment) ? segment : ANY_KEY;
      let next: RowNode | undefined = node.children.get(branch);
      if (next === undefined) node.children.set(branch, (next = newRowNode()));
      node = next;
    }
    const own = transformer ?? '';
    let row = node.rows.get(own);
    if (row === undefined) {
      const shown = anyIndexPath(path, knownNames);
      const key = `${shown}\u0000${own}`;
      row = rows.get(key);
      if (row === undefined) {
        row = { path: shown, ...(transformer !== undefined && { transformer }), values: 0, typeMismatches: 0, ...(unnamed && { unnamed: true as const }) };
        rows.set(key, row);
      }
      node.rows.set(own, row);
    }
    return row;
  };

  return (item, ctx) => {
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
    for (const { pattern, step } of rules.creators) addGenerated(out, pattern, step, ctx);
    return out;
  };
}

/**
 * A transformed key attribute must keep its type (DynamoDB refuses a put
 * whose key has another type than its definition, mid-run): checked on the
 * finished item, as scripts fill their values in after the walk.
 */
export function checkKeyTypes(rules: MappingRules, before: Item, after: Item): void {
  for (const name of rules.keyAttributes) {
    if (!rules.transformsKey(name) || !Object.hasOwn(before, name) || !Object.hasOwn(after, name)) continue;
    const from = attributeType(before[name]!);
    const to = attributeType(after[name]!);
    if (from !== to) throw new Error(`${formatPath([name])}: a key attribute keeps its type, but its mapping (${rules.ruleAt([name])?.step.name ?? 'a script'}) turned ${from} into ${to}`);
  }
}

/**
 * Removes what scripts dropped, as the walk does for built-ins: a list
 * closes the gap, and a map or list left empty by it goes too.
 */
export function pruneDropped(item: Item, page: ScriptPage, keyAttributes: ReadonlySet<string>): Item {
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

const SET_TYPES: ReadonlySet<AttributeType> = new Set(['SS', 'NS', 'BS']);

interface RowNode {
  readonly children: Map<string | symbol, RowNode>;
  /** By transformer name ('' for none). */
  readonly rows: Map<string, PathCount>;
}
const ANY_INDEX = Symbol('[*]');
const ANY_KEY = Symbol('*');
const newRowNode = (): RowNode => ({ children: new Map(), rows: new Map() });

/** Transformers name the full path in their errors; a map key in it may be data, so it is masked on the way out. */
function withSafePath(error: unknown, path: Path, knownNames: ReadonlySet<string>): unknown {
  if (!(error instanceof Error)) return error;
  const raw = formatPath(path);
  const safe = formatPathForMessage(path, knownNames);
  if (raw !== safe) {
    error.message = error.message.split(raw).join(safe);
    if (error instanceof TransformTypeError || error instanceof TransformValueError || error instanceof TemplateMismatchError) (error as { path: string }).path = safe;
  }
  return error;
}

/**
 * `info.actors[3]` -> `info.actors[*]`: one row per attribute, not per list
 * element. With `knownNames`, a nested map key the job does not name shows
 * as `*`, as in messages: the privacy report leaves the worker.
 */
function anyIndexPath(path: Path, knownNames?: ReadonlySet<string>): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return '[*]';
      const name = i === 0 || knownNames === undefined || knownNames.has(segment) ? formatPath([segment]) : '*';
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}
