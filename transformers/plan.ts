/**
 * The transformation plan of one table: which transformer each value of an
 * item goes through. Built once per table (value functions instantiated
 * once), then applied to every item by walking it. The rules are compiled
 * in mapping-rules.ts; what happens at each path is item-walk.ts.
 *
 * JavaScript mappings run in a sandbox (transformers/js/), which a page
 * crosses into once: `transformPage` walks every item first, then runs all
 * scripts of the page in one request and fills the placeholders the walk
 * left.
 *
 * A table with rule sets (rule-sets.ts) gets one compiled set of rules per
 * rule set, its mappings merged with the table's, and one for the items no
 * rule set selects, all built here once; each item takes the first whose
 * condition holds, so choosing costs one predicate call per rule set until
 * one holds. They share one set of value functions and one sandbox, so a
 * page still crosses into it once, whichever rule sets its items take.
 */
import type { AttributeType, Item } from '../model/item.ts';
import type { RuleSet, SandboxLimits, TransformerRef } from '../model/job.ts';
import type { ValueFunction } from './definition.ts';
import { checkKeyTypes, createItemWalk, pruneDropped, type ItemWalk, type WalkContext } from './item-walk.ts';
import { DEFAULT_SANDBOX_LIMITS, PlanScripts } from './js/plan-scripts.ts';
import type { SandboxPool } from './js/sandbox-pool.ts';
import { isScriptRef } from './js/script-ref.ts';
import { ScriptSyntaxError } from './js/script-source.ts';
import type { PathCount } from '../model/counts.ts';
import { tableKnownNames } from './unnamed-paths.ts';
import { compileMappingRules, knownNamesOf, type MappingRules, type Step, type StepMaker } from './mapping-rules.ts';
import type { TransformerRegistry } from './registry.ts';
import { compileRuleConditions, ruleSetLabel, ruleSetMappings, selectRuleSet } from './rule-sets.ts';
import { isTemplateRef, TEMPLATE_ACCEPTS, templateValueFunction } from './templates/index.ts';
import { mapYielding } from './yielding-map.ts';

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
  /** Rule sets per item type (rule-sets.ts), tried in order on each item; absent or empty: none. */
  rules?: readonly RuleSet[];
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
  /**
   * When present, the privacy report's rows (model/counts.ts), by path and
   * transformer: what each transformer took, and type mismatches, per path.
   */
  paths?: Map<string, PathCount>;
  /**
   * When present, counts the items each rule set took (`matched[i]` for
   * the table's rules[i], absent while none has) and those none took.
   */
  ruleSets?: { matched: number[]; unmatched: number };
}

export interface TransformPlan {
  /** Whether any mapping or default is JavaScript (then only transformPage can run the plan). */
  readonly usesJavaScript: boolean;
  /** The literal names of the job's mapping patterns: a message may show these map keys in a path, and masks others. */
  readonly knownNames: ReadonlySet<string>;
  /**
   * Transforms one item; `counts` collects what the run report shows.
   * Throws on a plan with JavaScript mappings: use transformPage.
   */
  transformItem(item: Item, counts?: PlanCounts): Item;
  /**
   * Transforms a page of items, giving the event loop a turn every few
   * milliseconds (yielding-map.ts); JavaScript mappings cross into their
   * sandbox once per page.
   */
  transformPage(items: readonly Item[], counts?: PlanCounts): Promise<Item[]>;
  /** Frees the plan's sandbox (if it has one) once no page is running in it. */
  dispose(): void;
}

export function buildPlan(input: PlanInput, registry: TransformerRegistry, runtime: PlanRuntime = {}): TransformPlan {
  const ruleSets = input.rules ?? [];
  const knownNames = tableKnownNames(input);
  const scripts = new PlanScripts({
    knownNames,
    salt: input.salt,
    keyAttributes: input.keyAttributes,
    limits: input.sandbox ?? DEFAULT_SANDBOX_LIMITS,
    keysAreSensitive: input.keysAreSensitive ?? true,
    revealMessages: runtime.revealScriptMessages ?? false,
    registry,
    ...(runtime.sandboxes ? { pool: runtime.sandboxes } : {}),
  });
  const makeStep = stepMaker(registry, scripts, input.salt);
  const settings = { onTypeMismatch: input.onTypeMismatch ?? 'error', knownNames };
  const compile = (transformers: Record<string, TransformerRef>, step: StepMaker): Compiled => {
    const rules = compileMappingRules({ transformers, defaults: input.defaults, keyAttributes: input.keyAttributes }, step);
    return { rules, walk: createItemWalk(rules, settings) };
  };
  const table = compile(input.transformers, makeStep);
  const variants = ruleSets.map((rule, index) => {
    // A rule set's own mappings say which rule set they belong to in messages; the table's read as always.
    const own = new Set(Object.values(rule.transformers));
    const label = ruleSetLabel(rule, index);
    return compile(ruleSetMappings(input.transformers, rule), (ref, where) => makeStep(ref, own.has(ref) ? `${where} in ${label}` : where));
  });
  const predicates = compileRuleConditions(ruleSets);
  const choose = (item: Item, counts: PlanCounts): Compiled => {
    if (predicates.length === 0) return table;
    const index = selectRuleSet(predicates, item);
    const tally = counts.ruleSets;
    if (tally !== undefined) {
      if (index < 0) tally.unmatched++;
      else tally.matched[index] = (tally.matched[index] ?? 0) + 1;
    }
    return index < 0 ? table : variants[index]!;
  };
  const transformOne = (item: Item, ctx: WalkContext): Item => {
    const { rules, walk } = choose(item, ctx.counts);
    const out = walk(item, ctx);
    checkKeyTypes(rules, item, out);
    return out;
  };

  return {
    usesJavaScript: scripts.size > 0,
    knownNames,
    async transformPage(items: readonly Item[], counts: PlanCounts = { typeMismatches: 0 }): Promise<Item[]> {
      if (scripts.size === 0) return mapYielding(items, (item, pageItem) => transformOne(item, { counts, page: undefined, pageItem, item }));
      return scripts.hold(async () => {
        const page = scripts.page();
        const chosen = items.map((item) => choose(item, counts));
        const outs = await mapYielding(items, (item, pageItem) => chosen[pageItem]!.walk(item, { counts, page, pageItem, item }));
        await page.run();
        for (const index of page.itemsWithDrops) outs[index] = pruneDropped(outs[index]!, page, table.rules.keyAttributes);
        outs.forEach((out, index) => checkKeyTypes(chosen[index]!.rules, items[index]!, out));
        return outs;
      });
    },
    transformItem(item: Item, counts: PlanCounts = { typeMismatches: 0 }): Item {
      if (scripts.size > 0) throw new Error('this plan has JavaScript mappings (js, jsGenerate), which run a page at a time: call transformPage, not transformItem');
      return transformOne(item, { counts, page: undefined, pageItem: 0, item });
    },
    dispose() {
      scripts.dispose();
    },
  };
}

/** One set of compiled mapping rules and the walk over them: the table's, or a rule set's merged with it. */
interface Compiled {
  readonly rules: MappingRules;
  readonly walk: ItemWalk;
}

/**
 * Steps instantiate built-ins once per plan, and hand scripts to the plan's
 * sandbox. Equal refs share one value function: a single-table item repeats
 * an identifier in several attributes and template parts, and one instance
 * holds one permutation (and its memo of recent values) for them all.
 */
function stepMaker(registry: TransformerRegistry, scripts: PlanScripts, salt: string): StepMaker {
  const instances = new Map<string, ValueFunction>();
  const instantiate = (ref: TransformerRef): ValueFunction => {
    const key = JSON.stringify([ref.type, ref.options]);
    let fn = instances.get(key);
    if (fn === undefined) {
      fn = registry.instantiate(ref, { salt }); // throws on unknown names and bad options
      instances.set(key, fn);
    }
    return fn;
  };
  // The table's mappings and the defaults are compiled again into each rule set's rules: each gets its step once.
  const steps = new Map<TransformerRef, Map<string, Step>>();
  const make = (ref: TransformerRef, where: string): Step => {
    let byPlace = steps.get(ref);
    if (byPlace === undefined) steps.set(ref, (byPlace = new Map()));
    let step = byPlace.get(where);
    if (step === undefined) byPlace.set(where, (step = makeStep(ref, where)));
    return step;
  };
  const makeStep = (ref: TransformerRef, where: string): Step => {
    if (isTemplateRef(ref)) {
      let fn: ValueFunction;
      try {
        fn = templateValueFunction(ref.options, instantiate);
      } catch (error) {
        throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return { name: ref.type, accepts: TEMPLATE_ACCEPTS, producesSame: true, drops: false, fn };
    }
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
      return { name: ref.type, accepts: undefined, producesSame: false, drops: false, fn, script: { index, generates: ref.type === 'jsGenerate', label } };
    }
    const fn = instantiate(ref);
    const { accepts, produces } = registry.get(ref.type)!;
    return { name: ref.type, accepts: accepts === 'any' ? undefined : accepts, producesSame: produces === 'same', drops: produces === 'none', fn };
  };
  return make;
}
