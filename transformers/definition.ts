/**
 * The shape every transformer has. One definition drives job validation
 * (its options schema), the CLI listing, the README reference, the
 * benchmark and the determinism test (its sample), and the value function
 * used at run time.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import type { AttributeType } from '../model/item.ts';
import type { Path } from '../model/path.ts';

/** Returned by a value function to remove the attribute from the item. */
export const DROP: unique symbol = Symbol('dynamask.drop');
export type Drop = typeof DROP;

export type ValueFunction = (value: AttributeValue, path: Path) => AttributeValue | Drop;

/**
 * What `make` gets beside its options. The registry builds it from the
 * definition itself, so a definition never spells its own name: a copied
 * file that is not fully renamed cannot share another transformer's random
 * stream or speak for it in messages.
 */
export interface TransformerContext {
  /** Key that makes output a pure function of (salt, transformer, options, input). */
  readonly salt: string;
  /** The definition's name, for messages. */
  readonly name: string;
  /** The definition's `accepts`, for the type checks of the element-wise helpers. */
  readonly accepts: readonly AttributeType[] | 'any';
  /** What keys this instance's random stream beside the salt: `transformerScope(name, parsed options)`. */
  readonly seedScope: string;
}

/** What a caller of `instantiate` supplies; the registry adds the rest from the definition. */
export type JobKeys = Pick<TransformerContext, 'salt'>;

/** Realistic inputs of a transformer: the benchmark and the cross-process determinism test run them. */
export interface TransformerSample<Options extends z.ZodObject = z.ZodObject> {
  /** Options to run with, where the transformer needs some. */
  readonly options?: z.input<Options>;
  /** The i-th distinct input. */
  input(i: number): AttributeValue;
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
  /**
   * Whether the output depends on the job salt; true unless said. False for
   * output that is fixed (constant) or a function of the input alone (mask):
   * anyone can recompute it.
   */
  readonly dependsOnSalt?: boolean;
  /** Every built-in has one (builtin/index.ts); other definitions may. */
  readonly sample?: TransformerSample<Options>;
  make(options: z.infer<Options>, context: TransformerContext): ValueFunction;
}

/** A definition that brings its sample, as every built-in does. */
export type SampledDefinition<Options extends z.ZodObject = z.ZodObject> = TransformerDefinition<Options> & { readonly sample: TransformerSample<Options> };

/**
 * Keeps `Options` inferred at the definition site while the registry sees
 * the erased type, and a sample known to be there when one is given.
 */
export function defineTransformer<Options extends z.ZodObject>(definition: SampledDefinition<Options>): SampledDefinition<Options>;
export function defineTransformer<Options extends z.ZodObject>(definition: TransformerDefinition<Options>): TransformerDefinition<Options>;
export function defineTransformer<Options extends z.ZodObject>(definition: TransformerDefinition<Options>): TransformerDefinition<Options> {
  return definition;
}
