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
 * The way back through a value function, for one scalar (S, N or B: what a
 * key attribute holds): the one input that the function maps onto `value`,
 * or undefined when no input does (a value of no format where the mapping
 * fails on those, text that matches none of a template's patterns). It
 * never throws for what a value holds, so nothing it says can carry one.
 */
export type InverseFunction = (value: AttributeValue) => AttributeValue | undefined;

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

/**
 * Whether a transformer keeps distinct inputs distinct, which decides
 * whether it may map a key attribute (transformers/key-safety.ts):
 * - `preserved`: never maps two different inputs to one output (a
 *   bijection such as permuteId, or a keyed cryptographic hash of at least
 *   128 bits);
 * - `not guaranteed`: outputs are drawn at random from a large space, so
 *   two inputs can meet (fakes, random UUIDs);
 * - `lossy`: many inputs map to one output by design (masks, constants,
 *   small lists such as states).
 */
export type Uniqueness = 'preserved' | 'not guaranteed' | 'lossy';
export const UNIQUENESS_LEVELS: readonly Uniqueness[] = ['preserved', 'not guaranteed', 'lossy'];

/** A uniqueness that depends on the options, with the sentence the reference shows for it. */
export interface UniquenessByOptions<Options extends z.ZodObject = z.ZodObject> {
  of(options: z.infer<Options>): Uniqueness;
  /** Completes the reference's entry: `preserved at full length; not guaranteed below 128 bits (...)`. */
  readonly says: string;
}

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
  /**
   * Whether distinct inputs stay distinct; `not guaranteed` when absent.
   * Every built-in says (builtin/index.ts).
   */
  readonly uniqueness?: Uniqueness | UniquenessByOptions<Options>;
  /** Every built-in has one (builtin/index.ts); other definitions may. */
  readonly sample?: TransformerSample<Options>;
  make(options: z.infer<Options>, context: TransformerContext): ValueFunction;
  /**
   * Only for a bijection: the inverse of what `make` builds from the same
   * options and context, so that `invert(make(x)) = x` for every scalar of
   * a type it takes, and outputs no input gives come back undefined.
   * `mode: replace` maps destination keys back to source keys through it
   * (transformers/key-inverse.ts); a transformer without one cannot map a
   * key of a replaced table.
   */
  makeInverse?(options: z.infer<Options>, context: TransformerContext): InverseFunction;
}

/** A definition that brings its sample and says its uniqueness, as every built-in does. */
export type SampledDefinition<Options extends z.ZodObject = z.ZodObject> = TransformerDefinition<Options> & {
  readonly sample: TransformerSample<Options>;
  readonly uniqueness: Uniqueness | UniquenessByOptions<Options>;
};

/**
 * Keeps `Options` inferred at the definition site while the registry sees
 * the erased type, and a sample known to be there when one is given.
 */
export function defineTransformer<Options extends z.ZodObject>(definition: SampledDefinition<Options>): SampledDefinition<Options>;
export function defineTransformer<Options extends z.ZodObject>(definition: TransformerDefinition<Options>): TransformerDefinition<Options>;
export function defineTransformer<Options extends z.ZodObject>(definition: TransformerDefinition<Options>): TransformerDefinition<Options> {
  return definition;
}
