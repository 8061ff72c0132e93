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
 */
import type { AttributeType, Item } from '../model/item.ts';
import type { SandboxLimits, TransformerRef } from '../model/job.ts';
import type { ValueFunction } from './definition.ts';
import { checkKeyTypes, createItemWalk, pruneDropped } from './item-walk.ts';
import { DEFAULT_SANDBOX_LIMITS, PlanScripts } from './js/plan-scripts.ts';
import type { SandboxPool } from './js/sandbox-pool.ts';
import { isScriptRef } from './js/script-ref.ts';
import { ScriptSyntaxError } from './js/script-source.ts';
import { compileMappingRules, knownNamesOf, type Step, type StepMaker } from './mapping-rules.ts';
import type { TransformerRegistry } from './registry.ts';
import { isTemplateRef, TEMPLATE_ACCEPTS, templateValueFunction } from './templates/index.ts';

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

export function buildPlan(input: PlanInput, registry: TransformerRegistry, runtime: PlanRuntime = {}): TransformPlan {
  const knownNames = knownNamesOf(input.transformers);
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
  const rules = compileMappingRules(input, stepMaker(registry, scripts, input.salt));
  const transform = createItemWalk(rules, { onTypeMismatch: input.onTypeMismatch ?? 'error', knownNames });
  const transformOne: typeof transform = (item, ctx) => {
    const out = transform(item, ctx);
    checkKeyTypes(rules, item, out);
    return out;
  };

  return {
    usesJavaScript: scripts.size > 0,
    async transformPage(items: readonly Item[], counts: PlanCounts = { typeMismatches: 0 }): Promise<Item[]> {
      if (scripts.size === 0) return items.map((item, pageItem) => transformOne(item, { counts, page: undefined, pageItem, item }));
      const page = scripts.page();
      const outs = items.map((item, pageItem) => transform(item, { counts, page, pageItem, item }));
      await page.run();
      for (const index of page.itemsWithDrops) outs[index] = pruneDropped(outs[index]!, page, rules.keyAttributes);
      outs.forEach((out, index) => checkKeyTypes(rules, items[index]!, out));
      return outs;
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
  return (ref, where): Step => {
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
}
