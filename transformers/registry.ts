/**
 * Transformers by name, built from an explicit list of definitions (no
 * import side effects): the one place that checks a transformer's options
 * and the one that turns a TransformerRef into a value function.
 */
import type { TransformerRef } from '../model/job.ts';
import { didYouMean, issuesFromZod, renderPath, type PathIssue } from '../model/problems.ts';
import type { InverseFunction, JobKeys, TransformerContext, TransformerDefinition, Uniqueness, ValueFunction } from './definition.ts';
import { transformerScope } from './seed-scope.ts';

/** Options with their defaults filled in, or what is wrong with them (paths relative to the options object). */
export type OptionsCheck = { readonly ok: true; readonly options: Record<string, unknown> } | { readonly ok: false; readonly issues: readonly PathIssue[] };

export interface TransformerRegistry {
  readonly definitions: readonly TransformerDefinition[];
  get(name: string): TransformerDefinition | undefined;
  /**
   * Checks `options` (a job file's `{ type, ...options }` minus `type`)
   * against the definition of `type`: an unknown type, unknown option keys
   * (with did-you-mean) and bad values come back as issues. `owner` ends the
   * message of an unknown key; default ` for transformer "<type>"`.
   */
  validateOptions(type: string, options: unknown, owner?: string): OptionsCheck;
  /** Validates the options and builds the value function; throws on an unknown type or bad options. */
  instantiate(ref: TransformerRef, keys: JobKeys): ValueFunction;
  /**
   * The inverse of what `instantiate` builds from the same ref and keys, or
   * undefined when the definition has none. Throws on an unknown type or
   * bad options.
   */
  instantiateInverse(ref: TransformerRef, keys: JobKeys): InverseFunction | undefined;
  /**
   * Whether the transformer keeps distinct inputs distinct under these
   * options (defaults filled in); `not guaranteed` for a definition that
   * does not say. Throws on an unknown type or bad options.
   */
  uniqueness(ref: TransformerRef): Uniqueness;
}

export function createRegistry(definitions: readonly TransformerDefinition<any>[]): TransformerRegistry {
  const byName = new Map<string, TransformerDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`duplicate transformer name "${definition.name}"`);
    byName.set(definition.name, definition);
  }

  const validateOptions = (type: string, options: unknown, owner = ` for transformer "${type}"`): OptionsCheck => {
    const definition = byName.get(type);
    if (definition === undefined) return { ok: false, issues: [{ path: [], message: `unknown transformer "${type}"${didYouMean(type, byName.keys())}` }] };
    // reportInput lets the messages say what type was given; they never quote it.
    const parsed = definition.options.safeParse(options, { reportInput: true });
    if (parsed.success) return { ok: true, options: parsed.data as Record<string, unknown> };
    return { ok: false, issues: issuesFromZod(parsed.error.issues, { schema: definition.options, noun: 'option', owner }) };
  };

  /** The definition and its parsed options (defaults filled in), as make and makeInverse both take them. */
  const resolve = (ref: TransformerRef) => {
    const checked = validateOptions(ref.type, ref.options);
    if (!checked.ok) throw new Error(byName.has(ref.type) ? `transformer "${ref.type}": ${renderOptionIssues(checked.issues)}` : renderOptionIssues(checked.issues));
    return { definition: byName.get(ref.type)!, options: checked.options };
  };

  return {
    definitions: [...byName.values()],
    get: (name) => byName.get(name),
    validateOptions,
    instantiate(ref, keys) {
      const { definition, options } = resolve(ref);
      return definition.make(options, transformerContext(definition, options, keys));
    },
    instantiateInverse(ref, keys) {
      const { definition, options } = resolve(ref);
      return definition.makeInverse?.(options, transformerContext(definition, options, keys));
    },
    uniqueness(ref) {
      const checked = validateOptions(ref.type, ref.options);
      if (!checked.ok) throw new Error(renderOptionIssues(checked.issues));
      return uniquenessOf(byName.get(ref.type)!, checked.options);
    },
  };
}

/**
 * The context `make` gets: name and types from the definition itself, and
 * the seed scope from its name and the parsed options (defaults filled in).
 */
export function transformerContext(definition: Pick<TransformerDefinition, 'name' | 'accepts'>, options: Record<string, unknown>, keys: JobKeys): TransformerContext {
  return { salt: keys.salt, name: definition.name, accepts: definition.accepts, seedScope: transformerScope(definition.name, options) };
}

/** A definition's uniqueness under parsed options. */
export function uniquenessOf(definition: Pick<TransformerDefinition, 'uniqueness'>, options: Record<string, unknown>): Uniqueness {
  const declared = definition.uniqueness;
  if (declared === undefined) return 'not guaranteed';
  return typeof declared === 'string' ? declared : declared.of(options);
}

/** Option issues on one line, for messages that have no document to point into: `option keepLast: expected a number, got a string`. */
export function renderOptionIssues(issues: readonly PathIssue[]): string {
  return issues.map((issue) => (issue.at === 'key' || issue.path.length === 0 ? issue.message : `option ${renderPath(issue.path)}: ${issue.message}`)).join('; ');
}
