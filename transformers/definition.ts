/**
 * The shape every transformer has. One definition drives job validation
 * (its options schema), the CLI listing, the README reference and the value
 * function used at run time.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import type { AttributeType } from '../model/item.ts';
import type { Path } from '../model/path.ts';

/** Returned by a value function to remove the attribute from the item. */
export const DROP: unique symbol = Symbol('dynamask.drop');
export type Drop = typeof DROP;

export type ValueFunction = (value: AttributeValue, path: Path) => AttributeValue | Drop;

export interface TransformerContext {
  /** Key that makes output a pure function of (salt, transformer, options, input). */
  readonly salt: string;
}

export interface TransformerDefinition<Options extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  /** Leaf types the transformer takes; 'any' for structural ones. */
  readonly accepts: readonly AttributeType[] | 'any';
  /** What it returns: a fixed type, the input's type, or nothing (drop). */
  readonly produces: AttributeType | 'same' | 'none' | 'any';
  /** Strict schema of the options; a job file's `{ type, ...options }` minus `type`. */
  readonly options: Options;
  make(options: z.infer<Options>, context: TransformerContext): ValueFunction;
}

/** Keeps `Options` inferred at the definition site while the registry sees the erased type. */
export function defineTransformer<Options extends z.ZodObject>(definition: TransformerDefinition<Options>): TransformerDefinition<Options> {
  return definition;
}
