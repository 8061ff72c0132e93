/**
 * Whether the key a copy wrote for an item can be computed again later,
 * from the same item, salt and job: what the forward prune of `mode:
 * replace` needs (src/activities/prune-forward.ts), which recomputes every
 * selected item's destination key and deletes the destination keys not
 * among them. A mapping that could give another key on another run would
 * make it delete items it should keep.
 *
 * Every built-in is a pure function of (salt, transformer, options,
 * input): that is TransformerContext's contract, and the fakes and random
 * draws are seeded from an HMAC of the salt and the input (the
 * cross-process determinism test holds it). A template is as deterministic
 * as its parts and its `otherwise`. A script is not known to be: its
 * `random()` is seeded, but it can read the clock (`Date.now()`, `new
 * Date()`), and a job has no way to declare a script deterministic, so a
 * key mapped by one is refused for the forward prune.
 *
 * Which mapping reaches a key attribute, per rule set: the one that names it
 * literally and alone in the rule set's mappings merged with the table's
 * (keyMapping, ruleSetMappings), as the plan applies them.
 */
import type { RuleSet, TransformerRef } from '../model/job.ts';
import { isScriptRef } from './js/script-ref.ts';
import { keyMapping } from './key-inverse.ts';
import type { TransformerRegistry } from './registry.ts';
import { ruleSetLabel, ruleSetMappings } from './rule-sets.ts';
import { isTemplateRef } from './templates/index.ts';

/** A key attribute's mapping that may give another key on another run, where it is written and why. */
export interface NonDeterministicKey {
  readonly attribute: string;
  /** The mapping's pattern as written. */
  readonly pattern: string;
  /** `the table's mappings`, or `rule set "account"`. */
  readonly where: string;
  readonly why: string;
}

/** Why a mapping may give another output for the same input and salt, or undefined when it cannot. */
export function nonDeterminism(ref: TransformerRef, registry: TransformerRegistry): string | undefined {
  if (isScriptRef(ref)) return `a ${ref.type} script, which can read the clock`;
  if (isTemplateRef(ref)) {
    const culprits = Object.entries(ref.options.parts).flatMap(([name, part]) => {
      const why = nonDeterminism(part, registry);
      return why === undefined ? [] : [`part {${name}} (${why})`];
    });
    const { otherwise } = ref.options;
    const otherwiseWhy = otherwise === 'error' ? undefined : nonDeterminism(otherwise, registry);
    if (otherwiseWhy !== undefined) culprits.push(`otherwise (${otherwiseWhy})`);
    return culprits.length === 0 ? undefined : `a template through ${culprits.join(' and ')}`;
  }
  return registry.get(ref.type) === undefined ? `unknown transformer "${ref.type}"` : undefined;
}

/** The key mappings, the table's and each rule set's (merged with the table's), that may not give the same key again; empty when all do. */
export function nonDeterministicKeys(
  table: { readonly transformers: Record<string, TransformerRef>; readonly rules?: readonly RuleSet[] },
  keyAttributes: readonly string[],
  registry: TransformerRegistry,
): NonDeterministicKey[] {
  const sets = [
    { where: "the table's mappings", transformers: table.transformers, own: table.transformers },
    ...(table.rules ?? []).map((rule, index) => ({ where: ruleSetLabel(rule, index), transformers: ruleSetMappings(table.transformers, rule), own: rule.transformers })),
  ];
  return sets.flatMap(({ where, transformers, own }) =>
    keyAttributes.flatMap((attribute) => {
      const mapping = keyMapping(transformers, attribute);
      // A rule set that inherits the table's mapping is reported once, as the table's.
      if (mapping === undefined || !Object.hasOwn(own, mapping.pattern)) return [];
      const why = nonDeterminism(mapping.ref, registry);
      return why === undefined ? [] : [{ attribute, pattern: mapping.pattern, where, why }];
    }),
  );
}
