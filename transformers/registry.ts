/**
 * Transformers by name, built from an explicit list of definitions (no
 * import side effects), and the one place that turns a TransformerRef into
 * a value function.
 */
import type { z } from 'zod';
import type { TransformerRef } from '../model/job.ts';
import type { TransformerContext, TransformerDefinition, ValueFunction } from './definition.ts';

export interface TransformerRegistry {
  readonly definitions: readonly TransformerDefinition[];
  get(name: string): TransformerDefinition | undefined;
  /** Validates the options and builds the value function; throws on bad options. */
  instantiate(ref: TransformerRef, context: TransformerContext): ValueFunction;
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
    instantiate(ref, context) {
      const definition = byName.get(ref.type);
      if (definition === undefined) throw new Error(`unknown transformer "${ref.type}"`);
      const options: z.infer<z.ZodObject> = definition.options.parse(ref.options);
      return definition.make(options, context);
    },
  };
}
