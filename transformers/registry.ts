/**
 * Transformers by name, built from an explicit list of definitions (no
 * import side effects), and the one place that turns a TransformerRef into
 * a value function.
 */
import type { z } from 'zod';
import type { TransformerRef } from '../model/job.ts';
import type { JobKeys, TransformerContext, TransformerDefinition, ValueFunction } from './definition.ts';
import { transformerScope } from './seed-scope.ts';

export interface TransformerRegistry {
  readonly definitions: readonly TransformerDefinition[];
  get(name: string): TransformerDefinition | undefined;
  /** Validates the options and builds the value function; throws on bad options. */
  instantiate(ref: TransformerRef, keys: JobKeys): ValueFunction;
}

export function createRegistry(definitions: readonly TransformerDefinition<any>[]): TransformerRegistry {
  const byName = new Map<string, TransformerDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`duplicate transformer name "${definition.name}"`);
    byName.set(definition.name, definition);
  }
  return {
    definitions: [...byName.values()],
    get: (name) => byName.get(name),
    instantiate(ref, keys) {
      const definition = byName.get(ref.type);
      if (definition === undefined) throw new Error(`unknown transformer "${ref.type}"`);
      const options: z.infer<z.ZodObject> = definition.options.parse(ref.options);
      return definition.make(options, transformerContext(definition, options, keys));
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
