/**
 * From a destination key back to the source key a copy mapped onto it, so
 * that `mode: replace` can ask the source whether its subset holds the item
 * (src/activities/prune-destination.ts).
 *
 * A key attribute is transformed only by the mapping that names it
 * literally and alone (mapping-rules.ts); the others are copied as they
 * are. Each such mapping must have an inverse, as a property of what it is:
 * `makeInverse` on a definition (passthrough, permuteId), and for a template
 * the inverses of its parts (templates/template-inverse.ts, which needs
 * `otherwise` to be an error or passthrough). Scripts, fakes, hashes and
 * other many-to-one or one-way transformers have none. A value of a type
 * its mapping does not take went through `onTypeMismatch`, as in
 * item-walk.ts: copied (passthrough), or it could not be a key.
 *
 * Every source key found is mapped forward again by the copy's own plan
 * code (buildPlan with the key mappings alone) and must give the
 * destination key back. A bijection always does, so a mismatch is a fault
 * of an inverse: it fails the prune (KeyInverseError) rather than keep an
 * item no selected source item maps to or delete one that is.
 *
 * A table with rule sets chosen by `when` would have one such mapping set
 * per rule set: each gives its own candidate source key, and the item is
 * selected when a candidate is, under the rule set its source item
 * matches. Today a table has one set of mappings.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { attributeType, type Item } from '../model/item.ts';
import { primaryKeyText } from '../model/item-key.ts';
import type { RuleSet, TransformerRef } from '../model/job.ts';
import { parsePathPattern } from '../model/path.ts';
import type { InverseFunction } from './definition.ts';
import { isScriptRef } from './js/script-ref.ts';
import { ruleSetsMapKeys } from './key-mapping-agreement.ts';
import { buildPlan, type TransformPlan, type TypeMismatchPolicy } from './plan.ts';
import type { TransformerRegistry } from './registry.ts';
import { isTemplateRef, otherwiseIsInvertible, TEMPLATE_ACCEPTS, templateInverseFunction } from './templates/index.ts';

/** A table's mappings as far as its keys are concerned. */
export interface KeyMappingSet {
  /** Path pattern as written -> transformer. */
  readonly transformers: Record<string, TransformerRef>;
  /** The table's hash and range key attribute names. */
  readonly keyAttributes: readonly string[];
  readonly onTypeMismatch?: TypeMismatchPolicy;
}

/** A key attribute's mapping that has no inverse, and why, as messages say it: `transformer "hash"`. */
export interface NonInvertibleKey {
  readonly attribute: string;
  /** The mapping's pattern as written. */
  readonly pattern: string;
  readonly why: string;
}

export interface KeyInverse {
  /**
   * The source key (the table's key attributes) that the copy maps onto
   * `key`, or undefined when no source key maps there.
   */
  sourceKey(key: Item): Item | undefined;
}

/** An inverse gave a source key that does not map back onto its destination key: a fault in the code, never in the data. */
export class KeyInverseError extends Error {
  override name = 'KeyInverseError';
}

/** The mapping the plan applies to a key attribute: the first written that names it literally and alone, or undefined (copied as it is). */
export function keyMapping(transformers: Record<string, TransformerRef>, attribute: string): { pattern: string; ref: TransformerRef } | undefined {
  for (const [pattern, ref] of Object.entries(transformers)) {
    if (namesAlone(pattern, attribute)) return { pattern, ref };
  }
  return undefined;
}

function namesAlone(pattern: string, attribute: string): boolean {
  try {
    const [only, ...rest] = parsePathPattern(pattern).segments;
    return only?.kind === 'key' && rest.length === 0 && only.name === attribute;
  } catch {
    return false; // the job loader reports bad patterns
  }
}

/** The key attributes whose mappings have no inverse; empty when every key can be mapped back. */
export function nonInvertibleKeys(mappings: KeyMappingSet, registry: TransformerRegistry): NonInvertibleKey[] {
  return mappings.keyAttributes.flatMap((attribute) => {
    const mapping = keyMapping(mappings.transformers, attribute);
    if (mapping === undefined) return [];
    const why = inversionProblem(mapping.ref, registry);
    return why === undefined ? [] : [{ attribute, pattern: mapping.pattern, why }];
  });
}

/**
 * Whether every destination key of the table can be mapped back through
 * one set of mappings: each key mapping has an inverse, and no rule set
 * maps a key otherwise than the table (a destination key does not say
 * which rule set gave it). Otherwise `mode: replace` prunes forward
 * (src/activities/prune-way.ts).
 */
export function keysMapBack(table: { readonly transformers: Record<string, TransformerRef>; readonly rules?: readonly Pick<RuleSet, 'transformers'>[] }, keyAttributes: readonly string[], registry: TransformerRegistry): boolean {
  return nonInvertibleKeys({ transformers: table.transformers, keyAttributes }, registry).length === 0 && !ruleSetsMapKeys(table, keyAttributes);
}

/** Why a mapping has no inverse, or undefined when it has one. */
function inversionProblem(ref: TransformerRef, registry: TransformerRegistry): string | undefined {
  if (isScriptRef(ref)) return `a ${ref.type} script`;
  if (isTemplateRef(ref)) {
    const culprits = Object.entries(ref.options.parts)
      .filter(([, part]) => inversionProblem(part, registry) !== undefined)
      .map(([name, part]) => `part {${name}} (transformer "${part.type}")`);
    if (!otherwiseIsInvertible(ref.options)) culprits.push(`otherwise (transformer "${(ref.options.otherwise as TransformerRef).type}", whose output may match a template)`);
    return culprits.length === 0 ? undefined : `a template through ${culprits.join(' and ')}`;
  }
  const definition = registry.get(ref.type);
  if (definition === undefined) return `unknown transformer "${ref.type}"`;
  return definition.makeInverse === undefined ? `transformer "${ref.type}"` : undefined;
}

interface KeyStep {
  readonly attribute: string;
  readonly pattern: string;
  readonly ref: TransformerRef;
  readonly accepts: readonly string[] | 'any';
  readonly inverse: InverseFunction;
}

/** Throws when a key mapping has no inverse (check nonInvertibleKeys first to say so well), or when the forward plan cannot be built. */
export function createKeyInverse(mappings: KeyMappingSet & { readonly salt: string }, registry: TransformerRegistry): KeyInverse {
  const problems = nonInvertibleKeys(mappings, registry);
  if (problems.length > 0) throw new Error(`key mappings without an inverse: ${problems.map((p) => `${p.attribute} (${p.why})`).join(', ')}`);
  const keys = { salt: mappings.salt };
  const inverseOf = (ref: TransformerRef): InverseFunction =>
    isTemplateRef(ref) ? templateInverseFunction(ref.options, inverseOf) : registry.instantiateInverse(ref, keys)!;

  const steps: KeyStep[] = mappings.keyAttributes.flatMap((attribute) => {
    const mapping = keyMapping(mappings.transformers, attribute);
    if (mapping === undefined) return [];
    const accepts = isTemplateRef(mapping.ref) ? TEMPLATE_ACCEPTS : registry.get(mapping.ref.type)!.accepts;
    return [{ attribute, pattern: mapping.pattern, ref: mapping.ref, accepts, inverse: inverseOf(mapping.ref) }];
  });
  if (steps.length === 0) return { sourceKey: (key) => key };

  const forward: TransformPlan = buildPlan(
    {
      transformers: Object.fromEntries(steps.map((step) => [step.pattern, step.ref])),
      defaults: {},
      keyAttributes: mappings.keyAttributes,
      salt: mappings.salt,
      ...(mappings.onTypeMismatch !== undefined ? { onTypeMismatch: mappings.onTypeMismatch } : {}),
    },
    registry,
  );
  const policy = mappings.onTypeMismatch ?? 'error';
  const back = (step: KeyStep, value: AttributeValue): AttributeValue | undefined => {
    const type = attributeType(value);
    // As item-walk.ts applies it: a type the mapping does not take is copied, or never became a key.
    if (step.accepts !== 'any' && !step.accepts.includes(type)) return policy === 'passthrough' ? value : undefined;
    return step.inverse(value);
  };

  return {
    sourceKey(key) {
      const source: Item = { ...key };
      for (const step of steps) {
        const value = key[step.attribute];
        if (value === undefined) return undefined;
        const found = back(step, value);
        if (found === undefined) return undefined;
        source[step.attribute] = found;
      }
      let again: Item;
      try {
        again = forward.transformItem(source);
      } catch (error) {
        throw new KeyInverseError(`${mismatch(steps)}: mapping it forward failed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
      if (primaryKeyText(again, mappings.keyAttributes) !== primaryKeyText(key, mappings.keyAttributes)) throw new KeyInverseError(`${mismatch(steps)}: it maps to another key`);
      return source;
    },
  };
}

/** Names the mappings, never the key. */
function mismatch(steps: readonly KeyStep[]): string {
  return `the inverse of the key mapping${steps.length > 1 ? 's' : ''} ${steps.map((step) => `${JSON.stringify(step.pattern)} (${step.ref.type})`).join(', ')} gave a source key that does not map back onto its destination key`;
}
